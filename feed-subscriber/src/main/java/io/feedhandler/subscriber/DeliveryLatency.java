package io.feedhandler.subscriber;

import org.HdrHistogram.Histogram;

/**
 * The latency figures of one run, kept apart by what they mean. A tick delivered from live measures
 * the feed: publisher due time to delivery ({@link #live}, and {@link #steady} once the warm-up is
 * over, which leaves out the JIT, page faults and the first connection). A tick delivered through
 * recovery measures how old history was when it arrived ({@link #recoveredAge}): a subscriber that
 * starts at sequence 1 of an hour-old journal has ticks an hour old, which says nothing about the
 * feed's latency, so it is never mixed into it. {@link #recent} is live latency since the live
 * counters were last refreshed, for {@code feed metrics}. Recording allocates nothing.
 */
final class DeliveryLatency
{
    private final Histogram live = histogram();
    private final Histogram steady = histogram();
    private final Histogram recoveredAge = histogram();
    private final Histogram recent = histogram();
    private final long warmupNanos;
    /** Epoch nanoseconds the warm-up ends at: {@code warmupNanos} after the first live tick; 0 before one. */
    private long steadyFromEpochNanos;
    private LatencyLog latencyLog;

    /** @param warmupNanos how long after the first live tick live latency is left out of {@link #steady}. */
    DeliveryLatency(final long warmupNanos)
    {
        this.warmupNanos = warmupNanos;
    }

    static Histogram histogram()
    {
        return new Histogram(SubscriberConfiguration.MAX_RECORDED_LATENCY_NANOS, 3);
    }

    /** Also record live latency into {@code log}'s intervals. */
    void latencyLog(final LatencyLog log)
    {
        this.latencyLog = log;
    }

    /** A tick sent at {@code sendEpochNanos} delivered at {@code nowEpochNanos}; {@code recovered} through the pull path. */
    void record(final long sendEpochNanos, final long nowEpochNanos, final boolean recovered)
    {
        final long nanos = Math.max(0, Math.min(nowEpochNanos - sendEpochNanos,
            SubscriberConfiguration.MAX_RECORDED_LATENCY_NANOS));
        if (recovered)
        {
            recoveredAge.recordValue(nanos);
            return;
        }
        live.recordValue(nanos);
        recent.recordValue(nanos);
        if (steadyFromEpochNanos == 0)
        {
            steadyFromEpochNanos = nowEpochNanos + warmupNanos;
        }
        if (nowEpochNanos >= steadyFromEpochNanos)
        {
            steady.recordValue(nanos);
        }
        if (latencyLog != null)
        {
            latencyLog.record(nanos);
        }
    }

    /** Every live tick's latency. */
    Histogram live()
    {
        return live;
    }

    /** Live ticks delivered after the warm-up. */
    Histogram steady()
    {
        return steady;
    }

    /** Age at delivery of ticks delivered through recovery. */
    Histogram recoveredAge()
    {
        return recoveredAge;
    }

    /** Live latency since the last {@link #resetRecent}. */
    Histogram recent()
    {
        return recent;
    }

    void resetRecent()
    {
        recent.reset();
    }

    long warmupNanos()
    {
        return warmupNanos;
    }
}
