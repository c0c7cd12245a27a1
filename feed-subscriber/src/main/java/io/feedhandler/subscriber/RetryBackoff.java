package io.feedhandler.subscriber;

import java.util.SplittableRandom;

/**
 * How long to wait before asking again after failures in a row: exponential, capped, with "equal
 * jitter" (half the delay fixed, half random), so requesters refused together, or left by a server
 * that went away, do not all come back at the same moment. Pure: the random source is given.
 */
public final class RetryBackoff
{
    private final long baseNanos;
    private final long maxNanos;
    private final SplittableRandom random;

    /**
     * @param baseNanos the delay after the first failure (before jitter).
     * @param maxNanos  the longest delay, at least {@code baseNanos}.
     */
    public RetryBackoff(final long baseNanos, final long maxNanos, final SplittableRandom random)
    {
        if (baseNanos < 1 || maxNanos < baseNanos)
        {
            throw new IllegalArgumentException("backoff base " + baseNanos + "ns, max " + maxNanos + "ns");
        }
        this.baseNanos = baseNanos;
        this.maxNanos = maxNanos;
        this.random = random;
    }

    /**
     * The wait after {@code failures} failures in a row (1 for the first): {@code base * 2^(failures-1)},
     * at most the maximum, of which the second half is random.
     */
    public long delayNanos(final int failures)
    {
        long delay = baseNanos;
        for (int i = 1; i < failures && delay < maxNanos && delay <= Long.MAX_VALUE / 2; i++)
        {
            delay <<= 1;
        }
        delay = Math.min(delay, maxNanos);
        final long half = delay / 2;
        return delay - half + random.nextLong(half + 1);
    }

    public long maxNanos()
    {
        return maxNanos;
    }
}
