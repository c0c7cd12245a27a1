package io.feedhandler.subscriber;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Live latency, steady-state latency and the age of recovered ticks are kept apart. */
class DeliveryLatencyTest
{
    private static final long MS = 1_000_000;

    @Test
    void recoveredTicksAreAgeNotLatency()
    {
        final DeliveryLatency latency = new DeliveryLatency(5_000 * MS);
        latency.record(0, 60_000 * MS, true); // history a minute old
        latency.record(60_000 * MS, 60_000 * MS + 20_000, false);
        assertEquals(1, latency.live().getTotalCount());
        assertEquals(20_000, latency.live().getMaxValue(), 20);
        assertEquals(1, latency.recoveredAge().getTotalCount());
        assertEquals(60_000 * MS, latency.recoveredAge().getMaxValue(), 60_000 * MS / 500.0);
    }

    @Test
    void theWarmUpStartsAtTheFirstLiveTickAndIsLeftOutOfSteadyState()
    {
        final DeliveryLatency latency = new DeliveryLatency(5_000 * MS);
        final long start = 1_000_000 * MS;
        latency.record(start - 150 * MS, start, false); // a warm-up outlier
        latency.record(start + 4_000 * MS - 10 * MS, start + 4_000 * MS, false);
        latency.record(start + 5_000 * MS - 50_000, start + 5_000 * MS, false);
        latency.record(start + 9_000 * MS - 30_000, start + 9_000 * MS, false);
        assertEquals(4, latency.live().getTotalCount());
        assertEquals(150 * MS, latency.live().getMaxValue(), 150 * MS / 500.0);
        assertEquals(2, latency.steady().getTotalCount());
        assertEquals(50_000, latency.steady().getMaxValue(), 50);
        assertEquals(0, latency.recoveredAge().getTotalCount());
    }

    @Test
    void recentIsLiveSinceTheLastReset()
    {
        final DeliveryLatency latency = new DeliveryLatency(0);
        latency.record(0, 1_000, false);
        latency.record(0, 2_000, true);
        assertEquals(1, latency.recent().getTotalCount());
        latency.resetRecent();
        assertEquals(0, latency.recent().getTotalCount());
        assertEquals(1, latency.steady().getTotalCount(), "no warm-up: every live tick is steady state");
    }
}
