package io.feedhandler.gateway;

import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.Journal;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.JournalRecovery;
import io.feedhandler.subscriber.NetworkRecovery;
import io.feedhandler.subscriber.RecoverySource;
import io.feedhandler.subscriber.Subscriber;
import io.feedhandler.subscriber.SubscriberContext;
import io.feedhandler.transport.FeedProfile;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.agrona.CloseHelper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running gateway: a subscriber to the whole feed whose quotes go, serialized once, into an
 * in-memory {@link EventLog} and the gateway's own {@link GatewayBook}; and an HTTP server whose
 * event loops fan the log out to SSE clients, each from its own cursor, filtered by instrument,
 * conflated while it cannot keep up, resumed by sequence from the log or the journal. It ends when
 * its subscriber does (count, duration) or on {@link #stop()}; {@link #close()} tells the clients.
 */
public final class Gateway implements AutoCloseable
{
    private final GatewayContext context;
    private final EventLog log;
    private final GatewayBook book;
    private final Instruments instruments;
    private final GatewayCounters counters = new GatewayCounters();
    private final AddressRateLimit reconnectLimit;
    private final FeedTap tap;
    private final GatewayServer server;
    private final Map<EventLoop, Fanout> fanoutByLoop = new IdentityHashMap<>();
    private final Fanout[] fanouts;
    private Subscriber subscriber;
    private FeedCounters feedCounters;
    private ScheduledFuture<?> counterUpdates;

    private Gateway(final GatewayContext context, final FeedStatusListener status)
    {
        this.context = context;
        this.log = new EventLog(context.history());
        this.book = new GatewayBook(context.maxInstruments());
        this.instruments = new Instruments(context.maxInstruments());
        this.reconnectLimit = new AddressRateLimit(context.reconnectsPerSecond(), context.reconnectBurst(), 100_000);
        this.tap = new FeedTap(log, book, instruments, status, this::wakeAll);
        this.server = new GatewayServer(context.ioThreads());
        final RecoverySource.Factory history = historySource(context);
        final AtomicInteger resumes = new AtomicInteger();
        final List<Fanout> list = new ArrayList<>();
        for (final EventExecutor executor : server.workers())
        {
            final Fanout fanout = new Fanout((EventLoop)executor, log, book, instruments, tap, context, counters,
                history, resumes);
            fanoutByLoop.put((EventLoop)executor, fanout);
            list.add(fanout);
        }
        this.fanouts = list.toArray(new Fanout[0]);
    }

    /**
     * Where resumes from before the history are pulled from: the journal on this host, else the replay
     * server through the subscriber's media driver connection. Not in the compact profile, whose
     * driver and client run inside the subscriber's own thread, where an event loop must not call
     * them: there a resume from before the history gets a reset unless the journal is on this host.
     */
    private RecoverySource.Factory historySource(final GatewayContext context)
    {
        final SubscriberContext subscriberContext = context.subscriber();
        if (context.journal() != null)
        {
            final Path journal = context.journal();
            return handler -> new JournalRecovery(journal, handler);
        }
        if (subscriberContext.transport().profile() == FeedProfile.COMPACT || !subscriberContext.recovery())
        {
            return null;
        }
        return handler -> new NetworkRecovery(subscriberContext.transport().connection().aeron(), subscriberContext,
            handler);
    }

    /**
     * Check the context, start the subscriber, then serve.
     *
     * @throws IllegalArgumentException for a bad configuration value.
     */
    public static Gateway launch(final GatewayContext context, final FeedStatusListener status)
        throws InterruptedException
    {
        context.conclude();
        final Gateway gateway = new Gateway(context, status);
        try
        {
            if (context.journal() != null)
            {
                gateway.nameInstrumentsFromTheJournal(context.journal());
            }
            gateway.subscriber = Subscriber.launch(context.subscriber(), gateway.tap, gateway.tap);
            final Subscriber subscriber = gateway.subscriber;
            gateway.tap.feedEpoch(() -> subscriber.stats().epoch());
            gateway.feedCounters = FeedCounters.allocate(context.subscriber().transport().connection().aeron(),
                FeedCounter.Role.GATEWAY, context.name());
            gateway.server.bind(gateway);
            for (final Fanout fanout : gateway.fanouts)
            {
                fanout.startHousekeeping();
            }
            gateway.counterUpdates = gateway.fanouts[0].loop().scheduleAtFixedRate(gateway::updateCounters,
                FeedCounters.UPDATE_INTERVAL_NANOS, FeedCounters.UPDATE_INTERVAL_NANOS, TimeUnit.NANOSECONDS);
        }
        catch (final RuntimeException | InterruptedException ex)
        {
            gateway.close();
            throw ex;
        }
        return gateway;
    }

    /** Before the subscriber starts (its thread is then the only writer): the symbols the journal knows. */
    private void nameInstrumentsFromTheJournal(final Path directory)
    {
        try (Journal journal = Journal.openReadOnly(directory))
        {
            // In force now: the ones before would only take indexes for names the live feed no longer uses.
            for (final InstrumentHistory.Definition definition : journal.instruments().at(Long.MAX_VALUE))
            {
                instruments.define(definition.instrument());
            }
        }
    }

    private void wakeAll()
    {
        for (final Fanout fanout : fanouts)
        {
            fanout.wake();
        }
    }

    GatewayContext context()
    {
        return context;
    }

    GatewayCounters counters()
    {
        return counters;
    }

    AddressRateLimit reconnectLimit()
    {
        return reconnectLimit;
    }

    Instruments instruments()
    {
        return instruments;
    }

    Fanout fanout(final EventLoop loop)
    {
        return fanoutByLoop.get(loop);
    }

    /** The port served (the one the driver picked for {@code --port 0}). */
    public int port()
    {
        return server.port();
    }

    /** "epoll" or "nio". */
    public String transport()
    {
        return server.transport();
    }

    /** Ready to stream: the gateway has its first quote. */
    public boolean isReady()
    {
        return log.head() > 0;
    }

    /** The stream's epoch as clients name it ({@code ?epoch=}); null before the first quote. */
    String streamEpoch()
    {
        return tap.streamEpoch();
    }

    /** The last sequence in the gateway's history. */
    public long lastSequence()
    {
        return log.head();
    }

    String health()
    {
        return "{\"status\":\"" + (isReady() ? "ok" : "starting") + "\",\"subscriber\":\"" + subscriber.state() +
            "\",\"lastSequence\":" + log.head() + ",\"oldestSequence\":" + log.oldest(log.head()) +
            ",\"instruments\":" + instruments.count() + ",\"clients\":" + counters.clients.get() +
            ",\"connections\":" + counters.connections.get() + ",\"eventsSent\":" + eventsSent() +
            ",\"conflated\":" + conflated() + ",\"slowDisconnects\":" + counters.slowDisconnects.get() +
            ",\"refused\":" + refused() + "}\n";
    }

    /** The book as JSON, for {@code /book}: {@code {"sequence":N,"quotes":[...]}}, the client's instruments only. */
    ByteBuf bookJson(final ByteBufAllocator allocator, final ClientFilter filter)
    {
        final int count = instruments.count();
        final ByteBuf out = allocator.buffer(64 + count * QuoteJson.MAX_EVENT_LENGTH);
        final String epoch = tap.streamEpoch();
        out.writeCharSequence("{\"sequence\":" + log.head() + (epoch == null ? "" : ",\"epoch\":\"" + epoch + "\"") +
            ",\"quotes\":[", StandardCharsets.US_ASCII);
        boolean first = true;
        for (int index = 0; index < count; index++)
        {
            if (filter.matches(index) && !instruments.isRetired(index)) // a renamed id's old name is history
            {
                final int mark = out.writerIndex();
                if (!first)
                {
                    out.writeByte(',');
                }
                if (book.copyLatest(index, out, EventSlots.JSON) == 0)
                {
                    out.writerIndex(mark);
                }
                else
                {
                    first = false;
                }
            }
        }
        out.writeCharSequence("]}\n", StandardCharsets.US_ASCII);
        return out;
    }

    private void updateCounters()
    {
        final FeedCounters c = feedCounters;
        c.set(FeedCounter.GATEWAY_CONNECTIONS, counters.connections.get());
        c.set(FeedCounter.GATEWAY_CLIENTS, counters.clients.get());
        c.set(FeedCounter.GATEWAY_ACCEPTED, counters.accepted.get());
        c.set(FeedCounter.GATEWAY_EVENTS_SENT, eventsSent());
        c.set(FeedCounter.GATEWAY_BYTES_SENT, bytesSent());
        c.set(FeedCounter.GATEWAY_CONFLATED, conflated());
        c.set(FeedCounter.GATEWAY_SLOW_DISCONNECTS, counters.slowDisconnects.get());
        c.set(FeedCounter.GATEWAY_REFUSED, refused());
        c.set(FeedCounter.GATEWAY_RESUMES, counters.resumes.get() + counters.journalResumes.get());
        c.set(FeedCounter.GATEWAY_RESETS, counters.resets.get());
        c.set(FeedCounter.GATEWAY_LAST_SEQUENCE, log.head());
    }

    private long eventsSent()
    {
        long sum = 0;
        for (final Fanout fanout : fanouts)
        {
            sum += fanout.eventsSent();
        }
        return sum;
    }

    private long bytesSent()
    {
        long sum = 0;
        for (final Fanout fanout : fanouts)
        {
            sum += fanout.bytesSent();
        }
        return sum;
    }

    private long conflated()
    {
        long sum = 0;
        for (final Fanout fanout : fanouts)
        {
            sum += fanout.conflated();
        }
        return sum;
    }

    private long refused()
    {
        return counters.refusedBusy.get() + counters.refusedRate.get() + counters.unauthorized.get() +
            counters.forbidden.get() + counters.badRequests.get();
    }

    public void stop()
    {
        subscriber.stop();
    }

    public boolean awaitCompletion(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return subscriber.awaitCompletion(timeout, unit);
    }

    public Throwable failure()
    {
        return subscriber.failure();
    }

    /** The counters as one line while running. */
    public String progress()
    {
        return "lastSequence=" + log.head() + " clients=" + counters.clients.get() + " connections=" +
            counters.connections.get() + " eventsSent=" + eventsSent() + " conflated=" + conflated() +
            " slowDisconnects=" + counters.slowDisconnects.get() + " refused=" + refused() + " | " +
            subscriber.progress();
    }

    /** The summary line: the gateway's counts, then the subscriber's. */
    public SummaryLine summary()
    {
        return new SummaryLine()
            .add("role", "gateway")
            .add("lastSequence", log.head())
            .add("accepted", counters.accepted.get())
            .add("eventsSent", eventsSent())
            .add("bytesSent", bytesSent())
            .add("conflated", conflated())
            .add("slowDisconnects", counters.slowDisconnects.get())
            .add("resumes", counters.resumes.get())
            .add("journalResumes", counters.journalResumes.get())
            .add("resets", counters.resets.get())
            .add("refused", new SummaryLine()
                .add("busy", counters.refusedBusy.get())
                .add("rate", counters.refusedRate.get())
                .add("unauthorized", counters.unauthorized.get())
                .add("forbidden", counters.forbidden.get())
                .add("badRequest", counters.badRequests.get())
                .add("badFrame", counters.badFrames.get())
                .add("requestTimeout", counters.requestTimeouts.get()))
            .add("untrackedInstruments", instruments.untracked())
            .add("beforeDefinitions", tap.beforeDefinitions())
            .add("subscriber", subscriberSummary());
    }

    /**
     * The subscriber's part of the summary. A failure here must not cost the whole line (scripts read
     * it): it is printed on stderr at once, with its stack, and the line says so.
     */
    private SummaryLine subscriberSummary()
    {
        try
        {
            return subscriber.stats().toSummaryLine();
        }
        catch (final RuntimeException ex)
        {
            ex.printStackTrace();
            System.err.flush();
            return new SummaryLine().add("error", String.valueOf(ex));
        }
    }

    /** Tell every client the gateway is going (they reconnect elsewhere), stop serving, stop the subscriber. */
    public void close()
    {
        server.stopAccepting();
        final CountDownLatch told = new CountDownLatch(fanouts.length);
        for (final Fanout fanout : fanouts)
        {
            try
            {
                fanout.loop().execute(() ->
                {
                    fanout.shutdown();
                    told.countDown();
                });
            }
            catch (final RuntimeException ex)
            {
                told.countDown();
            }
        }
        try
        {
            told.await(2, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (counterUpdates != null)
        {
            counterUpdates.cancel(false);
        }
        CloseHelper.quietCloseAll(server, feedCounters, subscriber);
    }
}
