package io.feedhandler.subscriber;

import io.aeron.Subscription;
import io.feedhandler.transport.AeronConnection;
import io.feedhandler.transport.IdleStrategies;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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
    private final AgentRunner runner;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread thread;

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
        runner = new AgentRunner(IdleStrategies.parse(context.idleStrategy()), this::onError, null, agent);
    }

    public static Subscriber launch(
        final SubscriberContext context, final QuoteListener listener, final FeedStatusListener statusListener)
    {
        context.conclude();
        final Subscriber subscriber = new Subscriber(context, listener, statusListener);
        subscriber.thread = AgentRunner.startOnThread(subscriber.runner);
        return subscriber;
    }

    public void stop()
    {
        agent.requestStop();
    }

    private void onError(final Throwable error)
    {
        if (!(error instanceof AgentTerminationException))
        {
            failure.compareAndSet(null, error);
        }
    }

    /** @return true when the subscriber finished within the timeout. */
    public boolean awaitCompletion(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        thread.join(Math.max(1, unit.toMillis(timeout)));
        return !thread.isAlive();
    }

    /** True once the live stream has a publisher connected. */
    public boolean isConnected()
    {
        return subscription.isConnected();
    }

    public Throwable failure()
    {
        return failure.get();
    }

    public SubscriberStats stats()
    {
        return agent.stats();
    }

    public void close()
    {
        CloseHelper.closeAll(runner, subscription, connection);
    }
}
