package io.feedhandler.transport;

/**
 * When an agent's run ends: after a count of ticks, after a duration, or when asked to stop (from
 * any thread: a signal handler, a test). Zero means no limit. The agent checks it once per duty cycle.
 */
public final class RunLimit
{
    private final long count;
    private final long durationNanos;
    private volatile boolean stopRequested;
    private long startNanos;

    /**
     * @param count         ticks after which the run ends; 0 for no limit.
     * @param durationNanos how long the run lasts from {@link #start}; 0 for no limit.
     */
    public RunLimit(final long count, final long durationNanos)
    {
        this.count = count;
        this.durationNanos = durationNanos;
    }

    /** The run's clock starts. */
    public void start(final long nowNanos)
    {
        startNanos = nowNanos;
    }

    public long startNanos()
    {
        return startNanos;
    }

    public void requestStop()
    {
        stopRequested = true;
    }

    public boolean stopRequested()
    {
        return stopRequested;
    }

    /** Whether the run is over, {@code done} ticks into it. */
    public boolean reached(final long nowNanos, final long done)
    {
        return stopRequested || (count > 0 && done >= count) || (durationNanos > 0 && nowNanos - startNanos >= durationNanos);
    }
}
