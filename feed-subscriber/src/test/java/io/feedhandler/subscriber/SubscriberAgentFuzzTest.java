package io.feedhandler.subscriber;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Quote;
import io.feedhandler.sbe.FeedState;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Coverage-guided fuzzing of the subscriber's message handling: arbitrary live messages, recovered
 * messages and recovery events, in any order and at any pace, into a {@link SubscriberAgent} (no
 * network: a stand-in recovery source, a clock the input drives). Whatever the input, nothing may
 * throw, the listener sees sequences strictly increasing (so never twice), except after a reset
 * stream that the subscriber reports, and what the subscriber holds stays within its bounds.
 * <p>
 * The input is a script: its first byte is where the subscriber starts (0: joins at live, N: from
 * sequence N), then operations, each chosen by one byte (modulo 5):
 * <ol start="0">
 *     <li>{@code length:u16le bytes}: a message from the live stream;</li>
 *     <li>{@code length:u16le bytes}: a message from the recovery stream (quotes go on, as the replay
 *     client hands them);</li>
 *     <li>{@code steps:u8}: time passes (steps x 50 ms) and the agent runs a duty cycle;</li>
 *     <li>{@code kind:u8 skip:u8}: the recovery source refuses (below retention, the journal starting
 *     {@code skip} past what was asked), refuses for another reason, or ends the pull;</li>
 *     <li>the recovery source becomes unreachable, or reachable again.</li>
 * </ol>
 * A length past the end of the input takes what is left. The build replays the checked-in
 * corpus (SubscriberAgentFuzzTestInputs) only, so it is deterministic; {@code scripts/fuzz 30m
 * subscriber} searches for new inputs. {@link #main} writes the seed inputs.
 */
class SubscriberAgentFuzzTest
{
    static final int OP_LIVE = 0;
    static final int OP_RECOVERED = 1;
    static final int OP_TICK = 2;
    static final int OP_RECOVERY_EVENT = 3;
    static final int OP_REACHABILITY = 4;
    static final int OPS = 5;
    static final int MAX_INSTRUMENTS = 8;
    static final int BUFFER_CAPACITY = 16;

    private final UnsafeBuffer message = new UnsafeBuffer(new byte[0]);

    @FuzzTest(maxDuration = "10s")
    void anyMessagesInAnyOrder(final byte[] input)
    {
        if (input.length == 0)
        {
            return;
        }
        final long[] time = {TimeUnit.SECONDS.toNanos(1)};
        final StandInRecovery recovery = new StandInRecovery();
        final OrderCheck order = new OrderCheck();
        final SubscriberContext context = new SubscriberContext()
            .maxInstruments(MAX_INSTRUMENTS)
            .recoveryBufferCapacity(BUFFER_CAPACITY)
            .recoveryTimeoutNanos(TimeUnit.SECONDS.toNanos(1))
            .fromSequence(input[0] & 0xFF)
            .conclude();
        final SubscriberAgent agent = new SubscriberAgent(
            context, null, handler -> recovery, null, order, order, () -> time[0], () -> time[0]);
        // The recovery stream is decoded straight into the recovery's handler, as the replay client does.
        final RecoverySource.Handler handler = agent.recoveryHandler();
        final FeedDecoder recoveredDecoder = new FeedDecoder(handler);
        agent.onStart();

        int i = 1;
        while (i < input.length)
        {
            final int op = (input[i++] & 0xFF) % OPS;
            switch (op)
            {
                case OP_LIVE:
                case OP_RECOVERED:
                {
                    int length = 0;
                    if (i + 1 < input.length)
                    {
                        length = (input[i] & 0xFF) | (input[i + 1] & 0xFF) << 8;
                        i += 2;
                    }
                    length = Math.min(length, input.length - i);
                    // A copy of exactly the message's bytes: reading past them is an error the copy exposes.
                    final byte[] bytes = new byte[length];
                    System.arraycopy(input, i, bytes, 0, length);
                    i += length;
                    message.wrap(bytes);
                    if (op == OP_LIVE)
                    {
                        agent.onLiveMessage(message, 0, length);
                    }
                    else
                    {
                        recoveredDecoder.decode(message, 0, length);
                    }
                    break;
                }
                case OP_TICK:
                {
                    final int steps = i < input.length ? input[i++] & 0xFF : 1;
                    time[0] += steps * TimeUnit.MILLISECONDS.toNanos(50);
                    agent.doWork();
                    break;
                }
                case OP_RECOVERY_EVENT:
                {
                    final int kind = i < input.length ? (input[i++] & 0xFF) % 3 : 0;
                    final int skip = i < input.length ? input[i++] & 0xFF : 0;
                    if (kind == 0)
                    {
                        handler.onRefused(true, agent.lastDeliveredSequence() + 1 + skip, "BELOW_RETENTION");
                    }
                    else if (kind == 1)
                    {
                        handler.onRefused(false, 0, "TOO_MANY_SESSIONS");
                    }
                    else
                    {
                        handler.onInterrupted("replay session ended");
                    }
                    break;
                }
                default:
                    recovery.reachable = !recovery.reachable;
            }
            if (agent.book().size() > MAX_INSTRUMENTS)
            {
                throw new AssertionError("the book holds " + agent.book().size() + " instruments");
            }
        }
        final SubscriberStats stats = agent.stats();
        if (stats.instruments() > MAX_INSTRUMENTS)
        {
            throw new AssertionError("holds " + stats.instruments() + " instrument definitions");
        }
        if (stats.delivered() != order.delivered || stats.recovered() > stats.delivered())
        {
            throw new AssertionError("counted " + stats.delivered() + " delivered, " + stats.recovered() +
                " recovered; the listener saw " + order.delivered);
        }
        agent.onClose();
    }

    /** The listener and status listener: checks the order of what is delivered. */
    static final class OrderCheck implements QuoteListener, FeedStatusListener
    {
        long last;
        long delivered;

        public void onQuote(final Quote quote)
        {
            if (quote.sequence() <= last)
            {
                throw new AssertionError("delivered " + quote.sequence() + " after " + last);
            }
            last = quote.sequence();
            delivered++;
        }

        public void onStreamReset(final long lastDelivered, final long publisherLastSequence)
        {
            last = Math.min(last, publisherLastSequence); // a new stream: it starts after what the publisher says
        }

        public void onInstrument(final Instrument instrument)
        {
            if (instrument.id() < 1)
            {
                throw new AssertionError("a bad instrument was reported: " + instrument);
            }
        }
    }

    /** A recovery source that asks nobody: the input supplies what the pull brings. */
    static final class StandInRecovery implements RecoverySource
    {
        boolean reachable = true;

        public boolean start(final long fromSequence)
        {
            if (fromSequence < 1)
            {
                throw new AssertionError("asked to pull from sequence " + fromSequence);
            }
            return reachable;
        }

        public boolean startSnapshot()
        {
            return reachable;
        }

        public int poll(final int limit)
        {
            return 0;
        }

        public void stop()
        {
        }

        public String describe()
        {
            return "stand-in";
        }

        public void close()
        {
        }
    }

    /**
     * Writes the seed inputs: a clean run, a gap pulled and merged, a full buffer, a tail shown by a
     * heartbeat, a range gone from the journal, a reset stream, a start from a sequence, and bogus
     * instruments. Run it with the test class path and the inputs folder as the argument.
     */
    public static void main(final String[] args) throws IOException
    {
        final Path out = Path.of(args[0]);
        Files.createDirectories(out);

        final Script clean = new Script(0);
        for (long sequence = 1; sequence <= 5; sequence++)
        {
            clean.live(quote(sequence));
        }
        clean.live(heartbeat(5, FeedState.ENDED)).tick(1);
        clean.write(out.resolve("in-order"));

        final Script gap = new Script(0);
        gap.live(quote(1)).live(quote(2)).live(quote(6)).live(quote(7)).tick(1);
        gap.recovered(quote(3)).recovered(quote(4)).live(quote(8)).recovered(quote(5)).live(quote(9));
        gap.recovered(quote(6)).live(quote(8));
        gap.write(out.resolve("gap-merged"));

        final Script full = new Script(0);
        full.live(quote(1));
        for (long sequence = 10; sequence <= 40; sequence++)
        {
            full.live(quote(sequence));
        }
        full.tick(1);
        for (long sequence = 2; sequence <= 24; sequence++)
        {
            full.recovered(quote(sequence));
        }
        full.write(out.resolve("buffer-overwritten"));

        final Script tail = new Script(0);
        tail.live(quote(1)).live(heartbeat(4, FeedState.LIVE)).tick(1);
        tail.recovered(quote(2)).recovered(quote(3)).recovered(quote(4)).live(heartbeat(4, FeedState.LIVE));
        tail.live(quote(5)).tick(40).tick(40);
        tail.write(out.resolve("missing-tail"));

        final Script gone = new Script(0);
        gone.live(quote(1)).live(quote(10)).tick(1).refused(0, 3).tick(6);
        gone.recovered(quote(5)).recovered(quote(7)).tick(6).unreachable().tick(6).unreachable().tick(6);
        gone.recovered(quote(6)).refused(1, 0).refused(2, 0).tick(6);
        gone.write(out.resolve("below-retention"));

        final Script reset = new Script(0);
        reset.live(quote(100)).live(quote(101)).live(heartbeat(10, FeedState.LIVE)).live(quote(11));
        reset.write(out.resolve("stream-reset"));

        final Script start = new Script(1);
        start.live(quote(50)).tick(1);
        for (long sequence = 1; sequence < 50; sequence += 7)
        {
            start.recovered(quote(sequence));
        }
        start.write(out.resolve("from-sequence"));

        final Script end = new Script(0); // the last sequence there can be: nothing may come after it
        end.live(quote(Long.MAX_VALUE)).live(quote(5)).tick(1).live(heartbeat(9, FeedState.LIVE)).tick(1);
        end.write(out.resolve("sequence-overflow"));

        final Script instruments = new Script(0);
        for (int id = 1; id <= 12; id++)
        {
            instruments.live(instrument(id, "SYM" + id));
            instruments.live(quoteOf(id, id));
        }
        instruments.live(instrument(3, "CHANGED"));
        instruments.write(out.resolve("instruments"));
    }

    private static final FeedEncoder ENCODER = new FeedEncoder();

    private static byte[] quote(final long sequence)
    {
        return quoteOf(sequence, 1);
    }

    private static byte[] quoteOf(final long sequence, final int instrumentId)
    {
        final MutableQuote quote = new MutableQuote();
        quote.sequence = sequence;
        quote.instrumentId = instrumentId;
        quote.bidPrice = 100 * sequence;
        quote.askPrice = 100 * sequence + 1;
        quote.bidSize = 10;
        quote.askSize = 20;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final int length = ENCODER.encodeQuote(buffer, 0, quote);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    private static byte[] heartbeat(final long lastSequence, final FeedState state)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final int length = ENCODER.encodeHeartbeat(buffer, 0, lastSequence, 0, state, 0);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    private static byte[] instrument(final int id, final String symbol)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final int length = ENCODER.encodeInstrument(buffer, 0, new Instrument(id, symbol, -2), 0);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    /** Builds one input in the format described above. */
    static final class Script
    {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Script(final int fromSequence)
        {
            bytes.write(fromSequence);
        }

        Script live(final byte[] message)
        {
            return message(OP_LIVE, message);
        }

        Script recovered(final byte[] message)
        {
            return message(OP_RECOVERED, message);
        }

        Script tick(final int steps)
        {
            bytes.write(OP_TICK);
            bytes.write(steps);
            return this;
        }

        Script refused(final int kind, final int skip)
        {
            bytes.write(OP_RECOVERY_EVENT);
            bytes.write(kind);
            bytes.write(skip);
            return this;
        }

        Script unreachable()
        {
            bytes.write(OP_REACHABILITY);
            return this;
        }

        private Script message(final int op, final byte[] message)
        {
            bytes.write(op);
            bytes.write(message.length & 0xFF);
            bytes.write(message.length >>> 8);
            bytes.write(message, 0, message.length);
            return this;
        }

        void write(final Path file) throws IOException
        {
            Files.write(file, bytes.toByteArray());
        }
    }
}
