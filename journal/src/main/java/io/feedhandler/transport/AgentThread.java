package io.feedhandler.transport;

import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An agent on a thread of its own, named after the agent's role, with the idle strategy chosen by
 * name. Keeps the first error that stopped it; an agent ends normally by throwing
 * {@link AgentTerminationException} from {@code doWork()}.
 */
public final class AgentThread implements AutoCloseable
{
    private final AgentRunner runner;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread thread;

    public AgentThread(final Agent agent, final String idleStrategy)
    {
        runner = new AgentRunner(IdleStrategies.parse(idleStrategy), this::onError, null, agent);
    }

    public AgentThread start()
    {
        thread = AgentRunner.startOnThread(runner);
        return this;
    }

    /** @return true when the agent finished within the timeout. */
    public boolean awaitCompletion(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        thread.join(Math.max(1, unit.toMillis(timeout)));
        return !thread.isAlive();
    }

    /** The error that stopped the agent, or null. */
    public Throwable failure()
    {
        return failure.get();
    }

    private void onError(final Throwable error)
    {
        if (!(error instanceof AgentTerminationException))
        {
            failure.compareAndSet(null, error);
        }
    }

    public void close()
    {
        CloseHelper.close(runner);
    }
}
