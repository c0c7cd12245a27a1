package io.feedhandler.transport;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertTrue;

class WallClockTest
{
    @Test
    void readsTheRealTimeClockWithoutAllocating()
    {
        assertTrue(WallClock.isAllocationFree(), "the JVM flags export jdk.internal.misc");
        final WallClock clock = new WallClock();
        final Instant before = Instant.now();
        final long nanos = clock.nanoTime();
        final Instant after = Instant.now();
        final long low = before.getEpochSecond() * 1_000_000_000L + before.getNano();
        final long high = after.getEpochSecond() * 1_000_000_000L + after.getNano();
        assertTrue(nanos >= low && nanos <= high, low + " <= " + nanos + " <= " + high);
    }
}
