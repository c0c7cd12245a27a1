package io.feedhandler.subscriber;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Which of a subscriber's replay servers ({@code --replay-channel}, in order of preference) to ask
 * next. The first in order that is connected and not backing off is asked. A server that is not
 * connected is skipped without penalty, so it is used the moment it connects; one that refused, went
 * silent, stalled, ended the session or serves another stream backs off ({@link RetryBackoff}: longer
 * after each failure in a row, another stream at once the longest), and its first tick or marker of a
 * pull forgives it. The pull itself always restarts at the subscriber's next needed sequence, so
 * changing servers neither misses nor repeats a tick. Pure: time and connection state are given.
 */
final class ReplayFailover
{
    /** What {@link #choose} found. */
    enum Verdict
    {
        /** {@link #chosen()} is to be asked. */
        READY,
        /** Some server is connected, but every connected one is backing off. */
        ALL_BACKING_OFF,
        /**
         * No server is connected (or, just after start or after a time with none connected, an earlier one may
         * still be connecting).
         */
        NONE_CONNECTED
    }

    /** Why a server is left for the next. */
    enum Why
    {
        /** It refused the request (busy, behind, below its retention). */
        REFUSED,
        /** It stopped saying anything in the middle of a pull. */
        SILENT,
        /** It spoke, but brought nothing while there was something to get. */
        STALLED,
        /** It ended the session itself (it shut down). */
        INTERRUPTED,
        /** It serves another stream's journal: asking it again soon would not help. */
        OTHER_EPOCH
    }

    private final int[] failures;
    private final long[] notBeforeNanos;
    /** This round's BELOW_RETENTION answers: the server's first retained sequence, 0 when it did not say so. */
    private final long[] retainedFrom;
    private final RetryBackoff backoff;
    private final long connectWaitNanos;
    private boolean begun;
    private long begunNanos;
    private long roundFrom = Long.MIN_VALUE;
    private int chosen = -1;
    private long failovers;

    /**
     * @param connectWaitNanos just after start, and after a time with no server connected, how long a later
     *                         server waits for an earlier one that is not connected yet (connections take tens
     *                         of milliseconds), so the order holds; counted from the moment the first one
     *                         connects.
     */
    ReplayFailover(final int servers, final RetryBackoff backoff, final long connectWaitNanos)
    {
        this.failures = new int[servers];
        this.notBeforeNanos = new long[servers];
        this.retainedFrom = new long[servers];
        this.backoff = backoff;
        this.connectWaitNanos = connectWaitNanos;
    }

    /** A pull from {@code fromSequence} is wanted: a new one (not a retry of the last) starts a new round. */
    void newRound(final long fromSequence)
    {
        if (fromSequence != roundFrom)
        {
            roundFrom = fromSequence;
            Arrays.fill(retainedFrom, 0);
        }
    }

    /** Pick the server to ask now; {@link #chosen()} names it when the verdict is {@link Verdict#READY}. */
    Verdict choose(final long nowNanos, final IntPredicate connected)
    {
        if (!anyConnected(connected))
        {
            // None reachable (just after start, a partition, the subscriber's link down): the wait for the
            // earlier ones starts when the first one connects, whatever its place in the order, so it is a
            // whole wait however long none was there. Started at the first try instead, a partition longer
            // than the wait left a random part of it after the heal, and the first server to connect took
            // the pull (NetLabIT scenario 16).
            begun = false;
            return Verdict.NONE_CONNECTED;
        }
        if (!begun)
        {
            begun = true;
            begunNanos = nowNanos;
        }
        for (int server = 0; server < failures.length; server++)
        {
            if (!connected.test(server))
            {
                if (nowNanos - begunNanos < connectWaitNanos)
                {
                    return Verdict.NONE_CONNECTED;
                }
                continue;
            }
            if (nowNanos - notBeforeNanos[server] >= 0)
            {
                chosen = server;
                return Verdict.READY;
            }
        }
        return Verdict.ALL_BACKING_OFF;
    }

    private boolean anyConnected(final IntPredicate connected)
    {
        for (int server = 0; server < failures.length; server++)
        {
            if (connected.test(server))
            {
                return true;
            }
        }
        return false;
    }

    /** The server picked last; -1 before any. */
    int chosen()
    {
        return chosen;
    }

    /** The request went to {@code server}: one that is not the first in order counts as a failover. */
    void asked(final int server)
    {
        if (server > 0)
        {
            failovers++;
        }
    }

    /** Pulls that went to a server other than the first in order (it was unreachable, refusing or failing). */
    long failovers()
    {
        return failovers;
    }

    void penalize(final int server, final long nowNanos, final Why why)
    {
        failures[server] = Math.min(failures[server] + 1, 62);
        notBeforeNanos[server] = nowNanos +
            (why == Why.OTHER_EPOCH ? backoff.maxNanos() : backoff.delayNanos(failures[server]));
    }

    /** The server brought the pull's first tick or marker: it works again. */
    void succeeded(final int server)
    {
        failures[server] = 0;
        notBeforeNanos[server] = 0;
    }

    /** Failures in a row of {@code server}, for reports. */
    int failures(final int server)
    {
        return failures[server];
    }

    /** Whether {@code server} must not be asked yet. */
    boolean backingOff(final int server, final long nowNanos)
    {
        return nowNanos - notBeforeNanos[server] < 0;
    }

    /**
     * {@code server} no longer holds the start of the range: its first retained sequence is
     * {@code firstRetained}. It backs off, so another is asked next.
     *
     * @return true while another connected server has not said so in this round (it may hold more).
     */
    boolean belowRetention(
        final int server, final long firstRetained, final long nowNanos, final IntPredicate connected)
    {
        retainedFrom[server] = Math.max(1, firstRetained);
        penalize(server, nowNanos, Why.REFUSED);
        for (int other = 0; other < retainedFrom.length; other++)
        {
            if (retainedFrom[other] == 0 && connected.test(other))
            {
                return true;
            }
        }
        return false;
    }

    /** The lowest first retained sequence the servers of this round gave: what none of them holds lies below it. */
    long lowestRetained()
    {
        long lowest = Long.MAX_VALUE;
        for (final long from : retainedFrom)
        {
            if (from > 0)
            {
                lowest = Math.min(lowest, from);
            }
        }
        return lowest == Long.MAX_VALUE ? 0 : lowest;
    }

    /**
     * When to ask next: now when a connected server is ready, else when the first backoff ends, and no
     * later than the ordinary retry interval while a server is not connected (it may connect meanwhile).
     * While {@link #choose} waits for an earlier server to connect, a later one that is ready is no reason
     * to ask again at once: not before the wait ends (or the retry interval, whichever comes first).
     */
    long nextAttemptNanos(final long nowNanos, final IntPredicate connected)
    {
        long next = Long.MAX_VALUE;
        for (int server = 0; server < failures.length; server++)
        {
            if (!connected.test(server))
            {
                next = Math.min(next, nowNanos + SubscriberConfiguration.RECOVERY_RETRY_NANOS);
                if (begun && nowNanos - begunNanos < connectWaitNanos)
                {
                    return Math.min(next, begunNanos + connectWaitNanos);
                }
            }
            else if (nowNanos - notBeforeNanos[server] >= 0)
            {
                return nowNanos;
            }
            else
            {
                next = Math.min(next, notBeforeNanos[server]);
            }
        }
        return next;
    }
}
