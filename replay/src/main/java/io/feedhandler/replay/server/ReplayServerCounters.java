package io.feedhandler.replay.server;

import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.sbe.ReplayErrorCode;

/**
 * What a replay server has done. Written by the server's thread only; read for summaries once it has
 * stopped (or as a best-effort snapshot while it runs).
 */
public final class ReplayServerCounters
{
    long requests;
    long stops;
    long sessionsStarted;
    long sessionsCompleted;
    long ticksSent;
    long backPressured;
    long malformed;
    long unreachableRequesters;
    long unanswered;
    long requestersEvicted;
    long snapshots;
    long snapshotQuotesSent;
    long bytesSent;
    long filteredSessions;
    final long[] refusals = new long[ReplayErrorCode.values().length];

    public long requests()
    {
        return requests;
    }

    /** Stop messages received (for sessions of this server or not). */
    public long stops()
    {
        return stops;
    }

    public long sessionsStarted()
    {
        return sessionsStarted;
    }

    public long sessionsCompleted()
    {
        return sessionsCompleted;
    }

    public long ticksSent()
    {
        return ticksSent;
    }

    /** Snapshots sent whole (their sessions then stream on like replays). */
    public long snapshots()
    {
        return snapshots;
    }

    /** Quotes sent in snapshots. */
    public long snapshotQuotesSent()
    {
        return snapshotQuotesSent;
    }

    /** Sessions that served an instrument-filtered request. */
    public long filteredSessions()
    {
        return filteredSessions;
    }

    /** Bytes of quote messages (batches, snapshots and filtered batches) offered to requesters, all sessions together. */
    public long bytesSent()
    {
        return bytesSent;
    }

    public long malformed()
    {
        return malformed;
    }

    /**
     * Refused requests that got no answer: a flooding requester told within the last second, a
     * refusal when the server was already delivering as many refusals as it may, or a request whose
     * response channel names nowhere to answer ({@code BAD_RESPONSE_CHANNEL}).
     */
    public long unanswered()
    {
        return unanswered;
    }

    /** Requesters the flood limit forgot to make room for others (its table has a fixed size). */
    public long requestersEvicted()
    {
        return requestersEvicted;
    }

    public long refusals(final ReplayErrorCode code)
    {
        return refusals[code.ordinal()];
    }

    /** Every request refused, answered with an error or not (see {@link #unanswered()}). */
    public long errors()
    {
        long total = 0;
        for (final long count : refusals)
        {
            total += count;
        }
        return total;
    }

    public SummaryLine toSummaryLine()
    {
        final SummaryLine refused = new SummaryLine();
        for (final ReplayErrorCode code : ReplayErrorCode.values())
        {
            if (code != ReplayErrorCode.NULL_VAL)
            {
                refused.add(code.name(), refusals[code.ordinal()]);
            }
        }
        return new SummaryLine()
            .add("requests", requests)
            .add("sessions", sessionsStarted)
            .add("completed", sessionsCompleted)
            .add("ticksSent", ticksSent)
            .add("bytesSent", bytesSent)
            .add("snapshots", snapshots)
            .add("snapshotQuotesSent", snapshotQuotesSent)
            .add("filteredSessions", filteredSessions)
            .add("errors", errors())
            .add("malformed", malformed)
            .add("unreachable", unreachableRequesters)
            .add("unanswered", unanswered)
            .add("requestersEvicted", requestersEvicted)
            .add("refused", refused);
    }
}
