package io.feedhandler.subscriber;

import io.aeron.Subscription;
import io.feedhandler.transport.AeronConnection;
import io.feedhandler.transport.AgentThread;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.TimeUnit;

/**
 * A running subscriber: the live stream and the agent that reads it, on a thread of its own named
 * {@code feed-subscriber}. It ends by itself when its count or duration is reached, or on
 * {@link #stop()}.
 */
public final class Subscriber implements AutoCloseable
{
    private final AeronConnection connection;
    private final Subscription subscription;
    private final SubscriberAgent agent;
    private final AgentThread agentThread;

    private Subscriber(
        final SubscriberContext context, final QuoteListener listener, final FeedStatusListener statusListener)
    {
        connection = AeronConnection.connect(context.aeronDirectory());
        try
        {
            subscription = connection.aeron().addSubscription(context.channel(), context.streamId());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(connection);
            throw ex;
        }
        agent = new SubscriberAgent(
            context, subscription, listener, statusListener, new SystemNanoClock(), new SystemEpochNanoClock());
        agentThread = new AgentThread(agent, context.idleStrategy());
    }

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

    /** True once the live stream has a publisher connected. */
    public boolean isConnected()
    {
        return subscription.isConnected();
    }

    public Throwable failure()
    {
        return agentThread.failure();
    }

    public SubscriberStats stats()
    {
        return agent.stats();
    }

    public void close()
    {
        CloseHelper.closeAll(agentThread, subscription, connection);
    }
}
