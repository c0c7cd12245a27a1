package io.feedhandler.transport;

import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.CompositeAgent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Agents on a thread of their own, named after their role, with the idle strategy chosen by name
 * and optionally pinned to a CPU. Several agents given together share the thread, each duty cycle
 * running them all (the compact profile). Keeps the first error that stopped it; an agent ends
 * normally by throwing {@link AgentTerminationException} from {@code doWork()}, which ends them all.
 */
public final class AgentThread implements AutoCloseable
{
    private final AgentRunner runner;
    private final int cpu;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread thread;

    public AgentThread(final Agent agent, final String idleStrategy)
    {
        this(agent, idleStrategy, CpuPinning.NONE);
    }

    public AgentThread(final Agent agent, final String idleStrategy, final int cpu)
    {
        runner = new AgentRunner(IdleStrategies.parse(idleStrategy), this::onError, null, agent);
        this.cpu = cpu;
    }

    /** One thread for all of {@code agents} (nulls skipped). */
    public static AgentThread shared(final String idleStrategy, final int cpu, final Agent... agents)
    {
        final List<Agent> present = new ArrayList<>();
        for (final Agent agent : agents)
        {
            if (agent != null)
            {
                present.add(agent);
            }
        }
        return new AgentThread(present.size() == 1 ? present.get(0) : new CompositeAgent(present), idleStrategy, cpu);
    }

    public AgentThread start()
    {
        // Pin in the thread before the runner starts, rather than wrapping the agent: every extra call
        // level on the duty cycle costs inlining depth the JIT needs for escape analysis.
        thread = AgentRunner.startOnThread(runner, runnable -> new Thread(() ->
        {
            CpuPinning.pinCurrentThread(cpu);
            runnable.run();
        }));
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
