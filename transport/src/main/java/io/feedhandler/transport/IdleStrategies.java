package io.feedhandler.transport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.List;
import java.util.Locale;

/**
 * What an agent does when a duty cycle found no work. {@code busy-spin} gives the lowest latency
 * and burns a core; {@code backoff} (the default) spins briefly, then yields, then parks, which is
 * what a shared host or a test wants.
 */
public final class IdleStrategies
{
    public static final List<String> NAMES = List.of("busy-spin", "no-op", "yield", "backoff", "sleep");
    public static final String DEFAULT = "backoff";

    private IdleStrategies()
    {
    }

    /**
     * By name, any case.
     *
     * @throws IllegalArgumentException naming the bad value and the valid ones.
     */
    public static IdleStrategy parse(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "busy-spin":
                return new BusySpinIdleStrategy();
            case "no-op":
                return new NoOpIdleStrategy();
            case "yield":
                return new YieldingIdleStrategy();
            case "backoff":
                return new BackoffIdleStrategy();
            case "sleep":
                return new SleepingMillisIdleStrategy(1);
            default:
                throw new IllegalArgumentException("bad --idle '" + name + "': expected one of " + NAMES);
        }
    }
}
