package io.feedhandler.replay.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static io.feedhandler.replay.server.RequesterRateLimit.Verdict.ALLOWED;
import static io.feedhandler.replay.server.RequesterRateLimit.Verdict.REFUSED;
import static io.feedhandler.replay.server.RequesterRateLimit.Verdict.REFUSED_QUIETLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-requester flood limit's arithmetic and its fixed table, with time given by the test. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequesterRateLimitTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long START = -5_000 * MS; // nanoTime may be negative: nothing may assume otherwise

    @Test
    void aBurstOfTheLimitThenTheLimitPerSecond()
    {
        final RequesterRateLimit limit = new RequesterRateLimit(5, 1024);
        for (int i = 0; i < 5; i++)
        {
            assertEquals(ALLOWED, limit.onRequest(7, START));
        }
        assertEquals(REFUSED, limit.onRequest(7, START), "the sixth in the same instant is told");
        assertEquals(REFUSED_QUIETLY, limit.onRequest(7, START + 10 * MS), "told once: the rest are dropped");
        assertEquals(ALLOWED, limit.onRequest(7, START + 200 * MS), "one fifth of a second earns one request");
        assertEquals(REFUSED_QUIETLY, limit.onRequest(7, START + 210 * MS));
        for (int i = 0; i < 4; i++)
        {
            assertEquals(ALLOWED, limit.onRequest(7, START + 1_000 * MS), "a second on, the allowance is back");
        }
        assertEquals(REFUSED, limit.onRequest(7, START + 1_000 * MS), "still flooding a second later: told again");

        // Five a second, sustained, is within the limit.
        final long later = START + 10_000 * MS;
        for (int i = 0; i < 50; i++)
        {
            assertEquals(ALLOWED, limit.onRequest(7, later + i * 200 * MS), "request " + i);
        }
    }

    @Test
    void requestersHaveTheirOwnAllowance()
    {
        final RequesterRateLimit limit = new RequesterRateLimit(2, 1024);
        assertEquals(ALLOWED, limit.onRequest(1, START));
        assertEquals(ALLOWED, limit.onRequest(1, START));
        assertEquals(REFUSED, limit.onRequest(1, START));
        assertEquals(ALLOWED, limit.onRequest(2, START));
        assertEquals(ALLOWED, limit.onRequest(2, START));
    }

    @Test
    void theTableIsBoundedAndTheFlooderIsTheLastForgotten()
    {
        final RequesterRateLimit limit = new RequesterRateLimit(3, 4); // one set of four
        for (int i = 0; i < 3; i++)
        {
            assertEquals(ALLOWED, limit.onRequest(99, START));
        }
        assertEquals(REFUSED, limit.onRequest(99, START));
        for (long requester = 1_000; requester < 1_200; requester++)
        {
            // Many requesters, one request each: they take turns in the other places of the set.
            assertEquals(ALLOWED, limit.onRequest(requester, START + MS));
            assertEquals(REFUSED_QUIETLY, limit.onRequest(99, START + MS), "the flooder is still remembered");
        }
        assertTrue(limit.tracked() <= 4, "tracked " + limit.tracked());
        assertEquals(200 - 3, limit.evictions());
    }

    @Test
    void zeroMeansNoLimit()
    {
        final RequesterRateLimit limit = new RequesterRateLimit(0, 4);
        for (int i = 0; i < 10_000; i++)
        {
            assertEquals(ALLOWED, limit.onRequest(i % 7, START));
        }
        assertEquals(0, limit.tracked());
    }
}
