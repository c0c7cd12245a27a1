package io.feedhandler.publisher;

/**
 * When each tick is due: a fixed schedule from the start time at {@code rate} ticks a second, in
 * bursts of {@code burst} ticks due at the same instant (the average rate stays {@code rate}).
 * Rate 0 means every tick is due at once (as fast as the publisher can go).
 * <p>
 * The due time, not the time the publisher got round to it, is what a tick is stamped with, so
 * latency measured downstream includes any delay in sending: coordinated-omission safe.
 */
public final class TickSchedule
{
    private final long rate;
    private final int burst;
    private final double nanosPerBurst;
    private long startNanos;

    public TickSchedule(final long rate, final int burst)
    {
        if (rate < 0)
        {
            throw new IllegalArgumentException("bad --rate " + rate + ": must be >= 0 ticks/s (0 = unthrottled)");
        }
        if (burst < 1)
        {
            throw new IllegalArgumentException("bad --burst " + burst + ": must be >= 1");
        }
        this.rate = rate;
        this.burst = burst;
        this.nanosPerBurst = rate == 0 ? 0 : burst * 1e9 / rate;
    }

    public void start(final long nowNanos)
    {
        startNanos = nowNanos;
    }

    /** Due time, on the nano clock, of the tick with zero-based number {@code tickNumber} in this run. */
    public long dueNanos(final long tickNumber)
    {
        return rate == 0 ? startNanos : startNanos + (long)((tickNumber / burst) * nanosPerBurst);
    }

    public long rate()
    {
        return rate;
    }
}
