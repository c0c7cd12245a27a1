package io.feedhandler.subscriber;

import io.feedhandler.journal.JournalException;
import io.feedhandler.journal.SubscriberOffset;
import io.feedhandler.transport.AeronConnection;
import io.feedhandler.transport.AgentThread;
import org.agrona.CloseHelper;
import io.feedhandler.transport.WallClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.TimeUnit;

/**
 * A running subscriber: the live stream, its recovery source and the agent that reads them, on a
 * thread of its own named {@code feed-subscriber}. It ends by itself when its count or duration is
 * reached, or on {@link #stop()}.
 */
public final class Subscriber implements AutoCloseable
{
    private final AeronConnection connection;
    private final RecoverySource recovery;
    private final SubscriberOffset offset;
    private final SubscriberAgent agent;
    private final AgentThread agentThread;

    private Subscriber(
        final SubscriberContext context, final QuoteListener listener, final FeedStatusListener statusListener)
    {
        AeronConnection connection = null;
        RecoverySource recovery = null;
        SubscriberOffset offset = null;
        try
        {
            offset = context.name().isEmpty() ? null : SubscriberOffset.open(context.offsetsDirectory(), context.name());
            connection = AeronConnection.connect(context.aeronDirectory(), context.profile());
            // The agent is the recovery source's handler; it is created just below, before any callback can come.
            final RecoveryHandlerRef handler = new RecoveryHandlerRef();
            if (context.recovery())
            {
                recovery = context.journalDirectory() != null ?
                    new JournalRecovery(context.journalDirectory(), handler) :
                    new NetworkRecovery(connection.aeron(), context, handler);
            }
            agent = new SubscriberAgent(context, connection.aeron(), recovery, offset, listener, statusListener,
                new SystemNanoClock(), new WallClock());
            handler.target = agent;
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(recovery, connection, offset);
            throw ex;
        }
        this.connection = connection;
        this.recovery = recovery;
        this.offset = offset;
        // Compact: the client conductor and the driver run in the subscriber's own duty cycle.
        this.agentThread = AgentThread.shared(context.idleStrategy(), context.cpu(), agent, connection.invokerAgent());
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
        CloseHelper.closeAll(agentThread, recovery, connection, offset);
    }

    /** Lets the recovery source exist before the agent it reports to. */
    private static final class RecoveryHandlerRef implements RecoverySource.RecoveryHandler
    {
        SubscriberAgent target;

        public void onRecoveredQuote(final io.feedhandler.codecs.Quote quote)
        {
            target.onRecoveredQuote(quote);
        }

        public void onRecoveryRefused(final boolean belowRetention, final long firstAvailable, final String reason)
        {
            target.onRecoveryRefused(belowRetention, firstAvailable, reason);
        }

        public void onRecoveryUnavailable(final long firstSequence, final long lastSequence, final String reason)
        {
            target.onRecoveryUnavailable(firstSequence, lastSequence, reason);
        }

        public void onRecoveryInterrupted(final String reason)
        {
            target.onRecoveryInterrupted(reason);
        }

        public void onRecoveryMalformed()
        {
            target.onRecoveryMalformed();
        }
    }
}
