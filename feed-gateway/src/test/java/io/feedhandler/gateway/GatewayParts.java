package io.feedhandler.gateway;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.SummaryJson;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.RecoverySource;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's inner parts wired as {@link Gateway} wires them (log, book, instruments, tap, one
 * {@link Fanout} per client), with each client on a Netty {@code EmbeddedChannel} instead of a
 * socket: tests drive the writer (definitions, quotes) and the event loops by hand and read exactly
 * the bytes each client was sent.
 */
final class GatewayParts
{
    final EventLog log;
    final GatewayBook book;
    final Instruments instruments;
    final FeedTap tap;
    final GatewayContext context = new GatewayContext();
    final GatewayCounters counters = new GatewayCounters();
    final List<Fanout> fanouts = new ArrayList<>();
    RecoverySource.Factory history;
    private final MutableQuote quote = new MutableQuote();
    private long sequence;

    GatewayParts(final int history, final int maxInstruments)
    {
        log = new EventLog(history);
        book = new GatewayBook(maxInstruments);
        instruments = new Instruments(maxInstruments);
        tap = new FeedTap(log, book, instruments, new FeedStatusListener()
        {
        }, () -> fanouts.forEach(Fanout::wake));
        tap.feedEpoch(() -> 0x1234L);
    }

    void define(final int id, final String symbol)
    {
        tap.onInstrument(new Instrument(id, symbol, -2));
    }

    /** The writer delivers the next sequence, a quote of {@code id}. */
    long quote(final int id)
    {
        quote.sequence = ++sequence;
        quote.instrumentId = id;
        quote.bidPrice = 100_000_000L + sequence;
        quote.askPrice = quote.bidPrice + 1_000_000;
        quote.bidSize = 100;
        quote.askSize = 200;
        tap.onQuote(quote);
        return sequence;
    }

    long lastSequence()
    {
        return sequence;
    }

    /** A client of its own event loop, opened as {@code /stream} opens it. */
    Client open(final ClientFilter filter, final long lastEventId, final boolean snapshot)
    {
        return open(filter, lastEventId, snapshot, null);
    }

    Client open(final ClientFilter filter, final long lastEventId, final boolean snapshot, final String epoch)
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final Fanout fanout = new Fanout(channel.eventLoop(), log, book, instruments, tap, context, counters, history,
            new AtomicInteger());
        fanouts.add(fanout);
        final StreamClient client = new StreamClient(channel, EventSlots.SSE, filter, "test");
        client.epoch = epoch;
        fanout.open(client, lastEventId, snapshot);
        return new Client(channel, fanout, client);
    }

    static final class Client
    {
        final EmbeddedChannel channel;
        final Fanout fanout;
        final StreamClient stream;
        /** The size of every buffer written to the socket, in order. */
        final List<Integer> writes = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();

        Client(final EmbeddedChannel channel, final Fanout fanout, final StreamClient stream)
        {
            this.channel = channel;
            this.fanout = fanout;
            this.stream = stream;
        }

        /** Run the event loop until it has nothing more to send; every event sent so far, parsed. */
        List<Event> events()
        {
            for (int turns = 0; turns < 10_000; turns++)
            {
                channel.runPendingTasks();
                boolean any = false;
                ByteBuf out;
                while ((out = channel.readOutbound()) != null)
                {
                    writes.add(out.readableBytes());
                    text.append(out.toString(StandardCharsets.UTF_8));
                    out.release();
                    any = true;
                }
                if (!any && !channel.hasPendingTasks())
                {
                    break;
                }
            }
            final List<Event> events = new ArrayList<>();
            for (final String block : text.toString().split("\n\n"))
            {
                String type = "message";
                String data = null;
                for (final String line : block.split("\n"))
                {
                    if (line.startsWith("event: "))
                    {
                        type = line.substring(7);
                    }
                    else if (line.startsWith("data: "))
                    {
                        data = line.substring(6);
                    }
                }
                if (data != null)
                {
                    events.add(new Event(type, SummaryJson.parse(data)));
                }
            }
            return events;
        }

        List<Event> quotes()
        {
            return events().stream().filter(e -> e.type.equals("quote")).toList();
        }
    }

    record Event(String type, SummaryJson data)
    {
        long sequence()
        {
            return data.number("sequence", -1);
        }

        String symbol()
        {
            return data.text("symbol", "?");
        }

        public String toString()
        {
            return type + " " + data;
        }
    }
}
