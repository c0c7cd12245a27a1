package io.feedhandler.replay.server;

import io.feedhandler.replay.ReplayMessages;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.exceptions.AeronException;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalEntryHandler;
import io.feedhandler.journal.JournalTail;
import io.feedhandler.journal.NotJournaledRanges;
import io.feedhandler.sbe.ReplayEndReason;
import io.feedhandler.sbe.ReplayErrorCode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

/**
 * One requester's replay: its own publication to the requester's channel, its own journal reader.
 * Streams the range as it sits in the journal, a bounded batch per duty cycle; a requester that
 * reads slowly back-pressures only its own publication, and the entry that did not fit is read again
 * next cycle. An open-ended session follows the journal as it grows until the requester stops it or
 * goes away. A refused request is a session too: it only delivers its error. A session that reaches
 * sequences recorded as not journaled (sent while the journal's disk was full) ends with a
 * {@code NOT_JOURNALED} error naming them, after the quotes before them.
 */
final class ReplaySession implements JournalEntryHandler, ReplayServerAgent.Session
{
    /** Where a session is; each state's work is in {@link #doWork}. */
    enum State
    {
        CONNECTING, STREAMING, ENDING, REFUSING, DONE
    }

    private final long correlationId;
    private final long fromSequence;
    private final long toSequence;
    private final long registrationId;
    private final Aeron aeron;
    private final Journal journal;
    private final ReplayMessages messages;
    private final ReplayServerCounters counters;
    private final long timeoutNanos;
    private ReplayErrorCode refusal;
    private String refusalMessage;
    private long refusalFirst;
    private long refusalLast;

    private State state;
    private ExclusivePublication publication;
    private JournalTail tail;
    private long deadlineNanos;
    private long lastSent;
    private ReplayEndReason endReason = ReplayEndReason.COMPLETED;
    private boolean stopRequested;

    private ReplaySession(
        final long correlationId, final long fromSequence, final long toSequence, final String responseChannel,
        final int responseStreamId, final Aeron aeron, final Journal journal, final ReplayMessages messages,
        final ReplayServerCounters counters, final long timeoutNanos, final long nowNanos,
        final ReplayErrorCode refusal, final String refusalMessage)
    {
        this.correlationId = correlationId;
        this.fromSequence = fromSequence;
        this.toSequence = toSequence;
        this.aeron = aeron;
        this.journal = journal;
        this.messages = messages;
        this.counters = counters;
        this.timeoutNanos = timeoutNanos;
        this.refusal = refusal;
        this.refusalMessage = refusalMessage;
        this.deadlineNanos = nowNanos + timeoutNanos;
        this.state = refusal == null ? State.CONNECTING : State.REFUSING;
        this.registrationId = aeron.asyncAddExclusivePublication(responseChannel, responseStreamId);
    }

    static ReplaySession serve(
        final long correlationId, final long fromSequence, final long toSequence, final String responseChannel,
        final int responseStreamId, final Aeron aeron, final Journal journal, final ReplayMessages messages,
        final ReplayServerCounters counters, final long timeoutNanos, final long nowNanos)
    {
        return new ReplaySession(correlationId, fromSequence, toSequence, responseChannel, responseStreamId, aeron,
            journal, messages, counters, timeoutNanos, nowNanos, null, null);
    }

    static ReplaySession refuse(
        final long correlationId, final ReplayErrorCode code, final String message, final String responseChannel,
        final int responseStreamId, final Aeron aeron, final Journal journal, final ReplayMessages messages,
        final ReplayServerCounters counters, final long timeoutNanos, final long nowNanos)
    {
        return new ReplaySession(correlationId, 0, 0, responseChannel, responseStreamId, aeron, journal, messages,
            counters, timeoutNanos, nowNanos, code, message);
    }

    /** A refusal that names a range of its own (NOT_JOURNALED) instead of the journal's extent. */
    static ReplaySession refuse(
        final long correlationId, final ReplayErrorCode code, final long first, final long last, final String message,
        final String responseChannel, final int responseStreamId, final Aeron aeron, final Journal journal,
        final ReplayMessages messages, final ReplayServerCounters counters, final long timeoutNanos,
        final long nowNanos)
    {
        final ReplaySession session = refuse(correlationId, code, message, responseChannel, responseStreamId, aeron,
            journal, messages, counters, timeoutNanos, nowNanos);
        session.refusalFirst = first;
        session.refusalLast = last;
        return session;
    }

    /** Why sequences {@code first..last} cannot be replayed, for the requester. */
    static String notJournaledMessage(final long first, final long last)
    {
        return NotJournaledRanges.explain(first, last) + ": they cannot be replayed";
    }

    public long correlationId()
    {
        return correlationId;
    }

    public boolean isDone()
    {
        return state == State.DONE;
    }

    public boolean isStreaming()
    {
        return state == State.CONNECTING || state == State.STREAMING || state == State.ENDING;
    }

    public void requestStop()
    {
        stopRequested = true;
    }

    public int doWork(final long nowNanos, final int budget)
    {
        if (publication == null && !resolvePublication())
        {
            return timeout(nowNanos);
        }
        switch (state)
        {
            case CONNECTING:
                return connect(nowNanos);
            case STREAMING:
                return stream(nowNanos, budget);
            case ENDING:
                return end(nowNanos);
            case REFUSING:
                return refuse(nowNanos);
            default:
                return 0;
        }
    }

    private boolean resolvePublication()
    {
        try
        {
            publication = aeron.getExclusivePublication(registrationId);
        }
        catch (final AeronException ex)
        {
            counters.unreachableRequesters++;
            state = State.DONE;
        }
        return publication != null;
    }

    private int timeout(final long nowNanos)
    {
        if (nowNanos >= deadlineNanos && state != State.DONE)
        {
            counters.unreachableRequesters++;
            state = State.DONE;
            return 1;
        }
        return 0;
    }

    private int connect(final long nowNanos)
    {
        if (!publication.isConnected())
        {
            return timeout(nowNanos);
        }
        final long head = journal.lastSequence();
        final int length = messages.begin(correlationId, fromSequence, toSequence, head);
        if (publication.offer(messages.buffer(), 0, length) < 0)
        {
            return timeout(nowNanos);
        }
        tail = new JournalTail(journal).from(fromSequence);
        state = State.STREAMING;
        return 1;
    }

    private int stream(final long nowNanos, final int budget)
    {
        if (stopRequested)
        {
            endReason = ReplayEndReason.STOPPED;
            state = State.ENDING;
            return 1;
        }
        if (!publication.isConnected())
        {
            // The requester went away: give it a moment to come back, then end the session.
            return timeout(nowNanos);
        }
        deadlineNanos = nowNanos + timeoutNanos;
        final int wanted = toSequence == 0 ? budget : (int)Math.min(budget, toSequence - tail.nextSequence() + 1);
        int sent = tail.poll(this, wanted);
        if (toSequence != 0 && tail.nextSequence() > toSequence)
        {
            state = State.ENDING;
        }
        else if (tail.atNotJournaled())
        {
            // Sequences that will never be journaled: the session ends on them, after what came before.
            refusal = ReplayErrorCode.NOT_JOURNALED;
            refusalFirst = tail.notJournaledFirst();
            refusalLast = tail.notJournaledLast();
            refusalMessage = notJournaledMessage(refusalFirst, refusalLast);
            counters.refusals[ReplayErrorCode.NOT_JOURNALED.ordinal()]++;
            state = State.REFUSING;
            sent++;
        }
        return sent;
    }

    public boolean onEntry(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        final long result = publication.offer(buffer, offset, length);
        if (result > 0)
        {
            lastSent = sequence;
            counters.entriesSent++;
            return true;
        }
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            counters.backPressured++;
        }
        return false; // read again next turn: only this session waits
    }

    private int end(final long nowNanos)
    {
        final int length = messages.end(correlationId, lastSent, endReason);
        if (publication.offer(messages.buffer(), 0, length) > 0)
        {
            counters.sessionsCompleted++;
            state = State.DONE;
            return 1;
        }
        return timeout(nowNanos);
    }

    private int refuse(final long nowNanos)
    {
        if (!publication.isConnected())
        {
            return timeout(nowNanos);
        }
        final boolean ownRange = refusal == ReplayErrorCode.NOT_JOURNALED;
        final int length = messages.error(correlationId, refusal,
            ownRange ? refusalFirst : journal.firstSequence(), ownRange ? refusalLast : journal.lastSequence(),
            refusalMessage);
        if (publication.offer(messages.buffer(), 0, length) > 0)
        {
            state = State.DONE;
            return 1;
        }
        return timeout(nowNanos);
    }

    /** Fail the session because the journal could not be read; tells the requester if it can. */
    public void fail(final String reason)
    {
        if (publication != null && publication.isConnected())
        {
            final int length = messages.error(correlationId, ReplayErrorCode.JOURNAL_ERROR, 0, 0, reason);
            publication.offer(messages.buffer(), 0, length);
        }
        state = State.DONE;
    }

    public void close()
    {
        CloseHelper.quietCloseAll(tail, publication);
        if (publication == null && state != State.DONE)
        {
            // Still being added: remove it once the driver has it, rather than leak it.
            try
            {
                final ExclusivePublication late = aeron.getExclusivePublication(registrationId);
                CloseHelper.quietClose(late);
            }
            catch (final AeronException ignored)
            {
                // it never came to be
            }
        }
        state = State.DONE;
    }
}
