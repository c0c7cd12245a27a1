package io.feedhandler.replay.server;

import org.agrona.collections.Hashing;

import java.util.concurrent.TimeUnit;

/**
 * How often each requester may ask the replay server: a burst of {@code limit} requests, then
 * {@code limit} a second. Each requester carries the time until which its allowance is spent; a
 * request is allowed when that time, plus one request's share, is no more than a second ahead.
 * <p>
 * The table is fixed: {@code capacity} requesters in sets of {@link #WAYS}, picked by a hash of the
 * requester. A requester not in the table takes the place, in its set, of the one with the most
 * allowance left (one whose allowance is full holds nothing worth keeping), so a flood from many
 * requesters cannot grow memory, and the requester that floods, whose allowance is spent furthest
 * ahead, is the last to be forgotten. No allocation after construction.
 */
final class RequesterRateLimit
{
    /** Requesters per set of the table. */
    static final int WAYS = 4;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What to do with a request. */
    enum Verdict
    {
        /** Within the requester's allowance. */
        ALLOWED,
        /** Over it, and the requester has not been told so in the last second: tell it. */
        REFUSED,
        /** Over it, and already told in the last second: drop it without an answer. */
        REFUSED_QUIETLY
    }

    private final long intervalNanos;
    private final int setMask;
    private final long[] requesters;
    private final long[] spentUntilNanos;
    private final long[] toldAtNanos;
    private final boolean[] used;
    private long evictions;

    /**
     * @param limit    requests per second per requester; 0 for no limit.
     * @param capacity requesters remembered, a power of two of at least {@link #WAYS}.
     */
    RequesterRateLimit(final int limit, final int capacity)
    {
        this.intervalNanos = limit == 0 ? 0 : WINDOW_NANOS / limit;
        this.setMask = capacity / WAYS - 1;
        this.requesters = new long[capacity];
        this.spentUntilNanos = new long[capacity];
        this.toldAtNanos = new long[capacity];
        this.used = new boolean[capacity];
    }

    Verdict onRequest(final long requester, final long nowNanos)
    {
        if (intervalNanos == 0)
        {
            return Verdict.ALLOWED;
        }
        final int slot = slotOf(requester, nowNanos);
        final long spentUntil = Math.max(spentUntilNanos[slot], nowNanos) + intervalNanos;
        if (spentUntil - nowNanos <= WINDOW_NANOS)
        {
            spentUntilNanos[slot] = spentUntil;
            return Verdict.ALLOWED;
        }
        if (nowNanos - toldAtNanos[slot] >= WINDOW_NANOS)
        {
            toldAtNanos[slot] = nowNanos;
            return Verdict.REFUSED;
        }
        return Verdict.REFUSED_QUIETLY;
    }

    private int slotOf(final long requester, final long nowNanos)
    {
        final int first = Hashing.hash(requester, setMask) * WAYS;
        int victim = first;
        for (int slot = first; slot < first + WAYS; slot++)
        {
            if (!used[slot])
            {
                victim = slot;
                break;
            }
            if (requesters[slot] == requester)
            {
                return slot;
            }
            if (spentUntilNanos[slot] - spentUntilNanos[victim] < 0)
            {
                victim = slot;
            }
        }
        if (used[victim])
        {
            evictions++;
        }
        used[victim] = true;
        requesters[victim] = requester;
        spentUntilNanos[victim] = nowNanos;
        toldAtNanos[victim] = nowNanos - WINDOW_NANOS;
        return victim;
    }

    /** Requesters forgotten to make room for others. */
    long evictions()
    {
        return evictions;
    }

    /** Requesters remembered now; at most the capacity. */
    int tracked()
    {
        int tracked = 0;
        for (final boolean inUse : used)
        {
            if (inUse)
            {
                tracked++;
            }
        }
        return tracked;
    }
}
