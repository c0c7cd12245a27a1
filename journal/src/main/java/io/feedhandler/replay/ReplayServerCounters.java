package io.feedhandler.replay;

import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.sbe.ReplayErrorCode;

/**
 * What a replay server has done. Written by the server's thread only; read for summaries once it has
 * stopped (or as a best-effort snapshot while it runs).
 */
public final class ReplayServerCounters
{
    long requests;
    long sessionsStarted;
    long sessionsCompleted;
    long entriesSent;
    long backPressured;
    long malformed;
    long unreachableRequesters;
    final long[] refusals = new long[ReplayErrorCode.values().length];

    public long requests()
    {
        return requests;
    }

    public long sessionsStarted()
    {
        return sessionsStarted;
    }

    public long sessionsCompleted()
    {
        return sessionsCompleted;
    }

    public long entriesSent()
    {
        return entriesSent;
    }

    public long malformed()
    {
        return malformed;
    }

    public long refusals(final ReplayErrorCode code)
    {
        return refusals[code.ordinal()];
    }

    /** Every request answered with an error. */
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
            .add("entriesSent", entriesSent)
            .add("errors", errors())
            .add("malformed", malformed)
            .add("unreachable", unreachableRequesters)
            .add("refused", refused);
    }
}
