package io.feedhandler.publisher;

import io.feedhandler.journal.JournalWriter;
import org.agrona.DirectBuffer;

/**
 * Write-ahead, with a policy for a full disk: every batch of ticks passes here before it may go
 * live. Normally it is appended to the journal and goes. When the journal refuses it (its disk is
 * down to the reserve, or an append failed), the {@link JournalFullPolicy} decides: {@code stop}
 * holds the batch, encoded, and nothing new goes until the journal takes it; {@code live-only}
 * records its sequences as not journaled and lets it go. Both come back to journaling by themselves once the writer's space
 * sample finds room again.
 * <p>
 * The publisher's thread is the only writer. The episode fields are volatile because
 * {@link JournalSpaceWatch} reads them from its own thread to log the alarm; they change only when
 * the state does, never per tick.
 */
final class JournalGate
{
    private final JournalWriter writer;
    private final JournalFullPolicy policy;
    private volatile JournalState state = JournalState.JOURNALING;
    private volatile long fullEvents;
    private volatile long fullSequence;
    private volatile JournalState fullState = JournalState.JOURNALING;
    private int heldLength;
    private long notJournaled;

    JournalGate(final JournalWriter writer, final JournalFullPolicy policy)
    {
        this.writer = writer;
        this.policy = policy;
    }

    /** Map the journal's current file now, so the first tick does not pay for it. */
    void warm()
    {
        writer.warm();
    }

    /** An idle moment of the publishing thread: fault in the journal's next page now (see {@link JournalWriter#touchAhead}). */
    void touchAhead()
    {
        writer.touchAhead();
    }

    /**
     * Journal the encoded batch of sequences {@code first..last}, or deal with a journal that will not
     * take it.
     *
     * @return true when the batch may go live: journaled, or (live-only) recorded as not journaled;
     *         false when it is held (policy stop): nothing after it may go until {@link #releaseHeld} says so.
     */
    boolean admit(final DirectBuffer buffer, final int length, final long first, final long last)
    {
        if (state == JournalState.JOURNALING)
        {
            if (writer.append(buffer, 0, length))
            {
                return true;
            }
            return onFull(length, first, last);
        }
        // LIVE_ONLY (STOPPED holds its batch and never gets here).
        if (writer.canResume() && writer.append(buffer, 0, length))
        {
            state = JournalState.JOURNALING;
            return true;
        }
        if (recordNotJournaled(first, last))
        {
            return true;
        }
        // The ranges file is full: what cannot be recorded is not sent.
        hold(length, first);
        return false;
    }

    private boolean onFull(final int length, final long first, final long last)
    {
        final boolean liveOnly = policy == JournalFullPolicy.LIVE_ONLY && recordNotJournaled(first, last);
        fullSequence = first;
        fullState = liveOnly ? JournalState.LIVE_ONLY : JournalState.STOPPED;
        fullEvents++;
        if (liveOnly)
        {
            state = JournalState.LIVE_ONLY;
            return true;
        }
        hold(length, first);
        return false;
    }

    /**
     * A batch's sequences continue one range (or start one): only its first can fail to be recorded
     * (the ranges file is full), so either all are recorded or none.
     */
    private boolean recordNotJournaled(final long first, final long last)
    {
        if (!writer.recordNotJournaled(first))
        {
            return false;
        }
        for (long sequence = first + 1; sequence <= last; sequence++)
        {
            writer.recordNotJournaled(sequence);
        }
        notJournaled += last - first + 1;
        return true;
    }

    private void hold(final int length, final long sequence)
    {
        heldLength = length;
        fullSequence = sequence;
        state = JournalState.STOPPED;
    }

    /** Whether a batch is held (policy stop) waiting for the journal. */
    boolean isHolding()
    {
        return heldLength > 0;
    }

    /**
     * Journal the held batch, still encoded in {@code buffer}, once there is room.
     *
     * @return its length when it was journaled and may now go live; 0 while it is still held.
     */
    int releaseHeld(final DirectBuffer buffer)
    {
        if (!writer.canResume() || !writer.append(buffer, 0, heldLength))
        {
            return 0;
        }
        final int length = heldLength;
        heldLength = 0;
        state = JournalState.JOURNALING;
        return length;
    }

    /** The run ends with the batch still held: it was never sent nor journaled, so it was not published. */
    void dropHeld()
    {
        heldLength = 0;
    }

    JournalState state()
    {
        return state;
    }

    /** Times the journal refused a tick. */
    long fullEvents()
    {
        return fullEvents;
    }

    /** What the latest episode turned to: STOPPED or LIVE_ONLY (JOURNALING before any). */
    JournalState fullState()
    {
        return fullState;
    }

    /** First sequence the journal refused in the latest episode, 0 if none. */
    long fullSequence()
    {
        return fullSequence;
    }

    /** Ticks sent live without being journaled. */
    long notJournaled()
    {
        return notJournaled;
    }

    JournalWriter writer()
    {
        return writer;
    }

    JournalFullPolicy policy()
    {
        return policy;
    }
}
