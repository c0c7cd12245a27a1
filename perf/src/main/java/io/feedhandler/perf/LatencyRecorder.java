package io.feedhandler.perf;

import org.HdrHistogram.Histogram;

/**
 * One-way latency from the time a tick was due (its send timestamp) to now, recorded only after the
 * warm-up. Coordinated-omission safe because the timestamp is the schedule's, not the send's.
 */
final class LatencyRecorder
{
    private final Histogram histogram = new Histogram(60_000_000_000L, 3);
    private final long recordFromEpochNanos;
    private long count;

    LatencyRecorder(final long recordFromEpochNanos)
    {
        this.recordFromEpochNanos = recordFromEpochNanos;
    }

    void record(final long sendTimestamp, final long nowEpochNanos)
    {
        count++;
        if (sendTimestamp >= recordFromEpochNanos)
        {
            histogram.recordValue(Math.max(0, Math.min(nowEpochNanos - sendTimestamp, 60_000_000_000L)));
        }
    }

    long count()
    {
        return count;
    }

    Histogram histogram()
    {
        return histogram;
    }
}
