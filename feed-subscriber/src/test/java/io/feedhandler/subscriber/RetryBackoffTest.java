package io.feedhandler.subscriber;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryBackoffTest
{
    private static final long MS = 1_000_000;

    @Test
    void doublesAfterEachFailureUpToTheCapWithTheSecondHalfRandom()
    {
        final RetryBackoff backoff = new RetryBackoff(250 * MS, 4_000 * MS, new SplittableRandom(7));
        final long[] ceilings = {250 * MS, 500 * MS, 1_000 * MS, 2_000 * MS, 4_000 * MS, 4_000 * MS};
        for (int failures = 1; failures <= ceilings.length; failures++)
        {
            final long ceiling = ceilings[failures - 1];
            for (int i = 0; i < 1_000; i++)
            {
                final long delay = backoff.delayNanos(failures);
                assertTrue(delay >= ceiling - ceiling / 2 && delay <= ceiling, failures + " failures: " + delay);
            }
        }
        assertTrue(backoff.delayNanos(1_000) <= 4_000 * MS, "no overflow however many failures");
        assertTrue(backoff.delayNanos(Integer.MAX_VALUE) >= 2_000 * MS);
    }

    @Test
    void requestersRefusedTogetherDoNotComeBackTogether()
    {
        final Set<Long> delays = new HashSet<>();
        final SplittableRandom seed = new SplittableRandom(42);
        for (int requester = 0; requester < 8; requester++)
        {
            delays.add(new RetryBackoff(250 * MS, 4_000 * MS, seed.split()).delayNanos(3) / MS);
        }
        assertTrue(delays.size() >= 6, "spread over the second half of a second: " + delays);
    }

    @Test
    void theSameSeedGivesTheSameDelays()
    {
        final RetryBackoff a = new RetryBackoff(250 * MS, 4_000 * MS, new SplittableRandom(3));
        final RetryBackoff b = new RetryBackoff(250 * MS, 4_000 * MS, new SplittableRandom(3));
        for (int failures = 1; failures < 10; failures++)
        {
            assertEquals(a.delayNanos(failures), b.delayNanos(failures));
        }
    }

    @Test
    void aMaximumBelowTheBaseIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(250 * MS, 100 * MS, new SplittableRandom()));
    }
}
