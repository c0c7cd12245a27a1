package io.feedhandler.subscriber;

import io.feedhandler.journal.JournalException;
import io.feedhandler.journal.SubscriberOffset;
import io.aeron.Aeron;
import io.feedhandler.transport.AgentThread;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
import io.feedhandler.transport.TransportContext;
import org.agrona.CloseHelper;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running subscriber: the live stream, its recovery source and the agent that reads them, on a
 * thread of its own named {@code feed-subscriber}. It ends by itself when its count or duration is
 * reached, or on {@link #stop()}.
 */
public final class Subscriber implements AutoCloseable
{
    private final TransportContext transport;
    private final SubscriberOffset offset;
    private final SubscriberAgent agent;
    private final AgentThread agentThread;
    private final FeedCounters liveCounters;
    private final LatencyLog latencyLog;
    private final ScheduledExecutorService latencyLogWriter;

    private Subscriber(
        final SubscriberContext context, final QuoteListener listener, final FeedStatusListener statusListener)
    {
        final TransportContext transport = context.transport();
        SubscriberOffset offset = null;
        SubscriberAgent agent = null;
        FeedCounters liveCounters = null;
        LatencyLog latencyLog = null;
        try
        {
            offset = context.name().isEmpty() ? null : SubscriberOffset.open(context.offsetsDirectory(), context.name());
            transport.conclude(TransportContext.Direction.SUBSCRIBE);
            final Aeron aeron = transport.connection().aeron();
            final RecoverySource.Factory recovery = context.journalDirectory() != null ?
                AwaitedJournalRecovery.factory(context.journalDirectory(), context.maxInstruments()) :
                handler -> new NetworkRecovery(aeron, context, handler);
            agent = new SubscriberAgent(context, aeron, recovery, offset, listener, statusListener,
                transport.nanoClock(), transport.epochClock());
            liveCounters = FeedCounters.allocate(aeron, FeedCounter.Role.SUBSCRIBER, context.name());
            agent.liveCounters(liveCounters);
            if (context.latencyLog() != null)
            {
                latencyLog = new LatencyLog(context.latencyLog(),
                    TimeUnit.NANOSECONDS.toMillis(context.latencyLogIntervalNanos()), System.currentTimeMillis());
                agent.latencyLog(latencyLog);
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(latencyLog, liveCounters, agent == null ? null : agent::onClose, transport, offset);
            throw ex;
        }
        this.agent = agent;
        this.transport = transport;
        this.offset = offset;
        this.liveCounters = liveCounters;
        this.latencyLog = latencyLog;
        this.latencyLogWriter = latencyLog == null ? null : startLatencyLog(latencyLog, context.latencyLogIntervalNanos());
        // Compact: the client conductor and the driver run in the subscriber's own duty cycle.
        this.agentThread = AgentThread.shared(transport.idleStrategy(), transport.cpu(), agent,
            transport.connection().invokerAgent());
    }

    /** Interval logs are written off the subscriber's thread, which only records into the recorder. */
    private static ScheduledExecutorService startLatencyLog(final LatencyLog log, final long intervalNanos)
    {
        final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "feed-latency-log");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleAtFixedRate(() -> log.writeIntervalIfDue(System.currentTimeMillis()),
            intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        return executor;
    }

    /**
     * Check the context, connect to (or embed) the media driver, open the recovery source and the
     * stored offset of a named subscriber, and start.
     *
     * @throws IllegalArgumentException for a bad configuration value.
     * @throws JournalException         when the offsets or the local journal cannot be used.
     */
    public static Subscriber launch(
        final SubscriberContext context, final QuoteListener listener, final FeedStatusListener statusListener)
    {
        context.conclude();
        final Subscriber subscriber = new Subscriber(context, listener, statusListener);
        subscriber.agentThread.start();
        return subscriber;
    }

    public void stop()
    {
        agent.requestStop();
    }

    /** @return true when the subscriber finished within the timeout. */
    public boolean awaitCompletion(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return agentThread.awaitCompletion(timeout, unit);
    }

    public Throwable failure()
    {
        return agentThread.failure();
    }

    /** LIVE or RECOVERING, as of now. */
    public SubscriberAgent.State state()
    {
        return agent.state();
    }

    /** Why the run was refused (a stored offset of another stream), as one line; null when it was not. */
    public String refusal()
    {
        return agent.refusal();
    }

    /** Last sequence delivered to the listener so far. */
    public long lastDeliveredSequence()
    {
        return agent.lastDeliveredSequence();
    }

    /** The counters as one line while running (see {@link SubscriberAgent#progress()}). */
    public String progress()
    {
        return agent.progress();
    }

    public SubscriberStats stats()
    {
        return agent.stats();
    }

    public void close()
    {
        CloseHelper.close(agentThread);
        if (latencyLogWriter != null)
        {
            latencyLogWriter.shutdown();
            try
            {
                latencyLogWriter.awaitTermination(5, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        CloseHelper.closeAll(latencyLog, liveCounters, transport, offset);
    }
}
