package io.feedhandler.replay.server;

import io.feedhandler.sbe.ReplayErrorCode;

/**
 * Replay sessions that touch no network, for tests of the server's request handling: a served range
 * sends its entries a batch per turn, a refusal ends after one turn. Checks, as it goes, that the
 * server serves only ranges the journal can give, refuses with a reason, and closes what it opened.
 */
final class StandInSessions implements ReplayServerAgent.SessionFactory
{
    private final long[] journal;
    int open;

    StandInSessions(final long[] journal)
    {
        this.journal = journal;
    }

    public ReplayServerAgent.Session serve(
        final long correlationId, final long from, final long to, final String responseChannel,
        final int responseStreamId, final long nowNanos)
    {
        if (from < journal[0] || from > journal[1] + 1 || (to != 0 && (to < from || to > journal[1])))
        {
            throw new AssertionError("served a range the journal cannot give: " + from + ".." + to);
        }
        open++;
        return new StandInSession(correlationId, to == 0 ? Long.MAX_VALUE : to - from + 1, false);
    }

    public ReplayServerAgent.Session snapshot(
        final long correlationId, final String responseChannel, final int responseStreamId, final long nowNanos)
    {
        open++;
        return new StandInSession(correlationId, Long.MAX_VALUE, false);
    }

    public ReplayServerAgent.Session refuse(
        final long correlationId, final ReplayErrorCode code, final String message, final String responseChannel,
        final int responseStreamId, final long nowNanos)
    {
        if (code == null || message == null || message.isEmpty())
        {
            throw new AssertionError("a refusal without a reason");
        }
        open++;
        return new StandInSession(correlationId, 0, true);
    }

    final class StandInSession implements ReplayServerAgent.Session
    {
        private final long correlationId;
        private final boolean refusal;
        private long remaining;
        private boolean stopRequested;
        private boolean done;

        StandInSession(final long correlationId, final long entries, final boolean refusal)
        {
            this.correlationId = correlationId;
            this.remaining = entries;
            this.refusal = refusal;
        }

        public long correlationId()
        {
            return correlationId;
        }

        public int doWork(final long nowNanos, final int budget)
        {
            if (budget < 0)
            {
                throw new AssertionError("negative budget " + budget);
            }
            if (done)
            {
                return 0;
            }
            if (refusal || stopRequested || remaining == 0)
            {
                done = true;
                return 1;
            }
            final long sent = Math.min(budget, remaining);
            remaining -= sent;
            return (int)sent;
        }

        public boolean isStreaming()
        {
            return !refusal && !done;
        }

        public boolean isDone()
        {
            return done;
        }

        public void requestStop()
        {
            stopRequested = true;
        }

        public void fail(final String reason)
        {
            done = true;
        }

        public void close()
        {
            if (open == 0)
            {
                throw new AssertionError("closed more sessions than were opened");
            }
            open--;
            done = true;
        }
    }
}
