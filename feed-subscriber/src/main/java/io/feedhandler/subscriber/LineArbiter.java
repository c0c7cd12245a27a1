package io.feedhandler.subscriber;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Quote;

/**
 * Two lines into one live stream (A/B, arbitrated by sequence, as exchanges' A/B feeds are). Each
 * sequence is handed on once, from whichever line brings it first, and what is handed on rises like
 * one line's stream, so everything after the arbiter (the sequence check, {@link Recovery}, conflation,
 * the instrument filter) works as with a single line.
 * <p>
 * A line that skips past the next live sequence has a hole the other line may still fill, a little
 * later. Its ticks are held ({@link State#WAITING_FOR_OTHER_LINE}) for at most the line wait, while
 * the other line's ticks are handed on; once the hole is filled the held ticks follow. Only when the
 * wait runs out, the hold is full, the other line is silent, or it skipped the hole too, is the hole
 * handed on as a jump, which the subscriber then sees as a gap (or, while recovering, a break in the
 * live ticks it buffers). Healthy lines cost one comparison per tick and allocate nothing.
 */
final class LineArbiter
{
    /** Where arbitration stands. */
    enum State
    {
        /** Nothing is held: the lines are in step. */
        IN_STEP,
        /** A line skipped ahead: its ticks are held while the other line may still bring what it skipped. */
        WAITING_FOR_OTHER_LINE
    }

    /** What to do with a live tick. */
    enum Verdict
    {
        /** The next live tick (or the one the subscriber expects): hand it on. */
        NEXT,
        /** The other line brought it first: drop it. */
        SECOND,
        /** Past a hole the other line may fill: held here. */
        HELD,
        /** Past a hole that neither line will fill: hand on what is held before it, then it (a jump). */
        JUMP
    }

    private static final Line[] LINES = Line.values(); // values() copies the array each call

    private final long lineWaitNanos;
    private final LiveBuffer hold;
    private final MutableQuote held = new MutableQuote();
    private final long[] firstSeen = new long[2];
    private final long[] secondSeen = new long[2];
    private final long[] gaps = new long[2];
    private final long[] gapTicks = new long[2];
    private final long[] lastSequence = new long[2];
    private State state = State.IN_STEP;
    private int polling;
    private int waitingLine;
    private long waitSinceNanos;
    /** The last sequence a heartbeat showed that no line has brought yet (a tail waited for); 0 for none. */
    private long tailTo;
    /** The highest live sequence handed on, from either line. */
    private long liveHead;
    /** The hole being waited out turned out to be in both lines (a jump was handed on). */
    private boolean holeInBoth;
    private long covered;

    LineArbiter(final long lineWaitNanos, final int holdCapacity)
    {
        this.lineWaitNanos = lineWaitNanos;
        this.hold = new LiveBuffer(holdCapacity);
    }

    /** What follows, until the next call, comes from {@code line}. */
    void polling(final Line line)
    {
        polling = line.ordinal();
    }

    Line line()
    {
        return LINES[polling];
    }

    State state()
    {
        return state;
    }

    /** A batch begins on the line being polled: a jump in that line's own sequence is that line's gap. */
    void onBatch(final long firstSequence, final int count)
    {
        final long last = lastSequence[polling];
        if (last > 0 && firstSequence > last + 1)
        {
            gaps[polling]++;
            gapTicks[polling] += firstSequence - last - 1;
        }
        lastSequence[polling] = Math.max(last, firstSequence + count - 1);
    }

    /**
     * What a live tick from the line being polled means.
     *
     * @param expected       the sequence the subscriber expects next: a tick the other line brought
     *                       earlier but that is still wanted (a pull is under way for it) is handed on.
     * @param otherLineAlive whether the other line is heard and not silent: no use waiting for one that is not.
     */
    Verdict onTick(final Quote quote, final long expected, final boolean otherLineAlive, final long nowNanos)
    {
        final long sequence = quote.sequence();
        if (sequence <= liveHead)
        {
            if (sequence == expected)
            {
                firstSeen[polling]++; // handed on before, but a pull still wants it: the other line's copy is late
                return Verdict.NEXT;
            }
            secondSeen[polling]++;
            return Verdict.SECOND;
        }
        if (sequence == liveHead + 1 || liveHead == 0)
        {
            handedOn(polling, sequence);
            return Verdict.NEXT;
        }
        if (otherLineAlive && hold.size() < hold.capacity() &&
            (state == State.IN_STEP || polling == waitingLine))
        {
            startWaiting(nowNanos);
            hold.add(quote);
            return Verdict.HELD;
        }
        return Verdict.JUMP;
    }

    private void handedOn(final int line, final long sequence)
    {
        liveHead = sequence;
        firstSeen[line]++;
    }

    private void startWaiting(final long nowNanos)
    {
        if (state == State.IN_STEP)
        {
            state = State.WAITING_FOR_OTHER_LINE;
            waitSinceNanos = nowNanos;
            waitingLine = polling;
        }
    }

    /**
     * A tick judged {@link Verdict#JUMP} is handed on after the held ticks below it: call for each
     * of those first, until null.
     */
    Quote heldBefore(final long sequence)
    {
        if (!hold.isEmpty() && hold.firstSequence() < sequence)
        {
            hold.poll(held);
            handedOn(waitingLine, held.sequence);
            return held;
        }
        return null;
    }

    /**
     * After the held ticks below it: whether the tick judged {@link Verdict#JUMP} is still to hand on
     * (the live stream then goes on from it), or the held ticks covered it.
     */
    boolean jumped(final Quote quote)
    {
        holeInBoth = true;
        final boolean ahead = quote.sequence() > liveHead;
        if (ahead)
        {
            handedOn(polling, quote.sequence());
        }
        else
        {
            secondSeen[polling]++;
        }
        settleIfEmpty(false);
        return ahead;
    }

    /**
     * The next held tick if it now follows the live stream, into a reused quote; null when there is
     * none. Held ticks the other line brought meanwhile are dropped.
     */
    Quote nextHeld()
    {
        if (hold.isEmpty())
        {
            settleIfEmpty(true);
            return null;
        }
        secondSeen[waitingLine] += hold.dropBelow(liveHead + 1); // the other line brought them first
        if (!hold.isEmpty() && hold.firstSequence() == liveHead + 1)
        {
            hold.poll(held);
            handedOn(waitingLine, held.sequence);
            return held;
        }
        settleIfEmpty(true);
        return null;
    }

    private void settleIfEmpty(final boolean filled)
    {
        if (state == State.WAITING_FOR_OTHER_LINE && hold.isEmpty() && liveHead >= tailTo)
        {
            if (filled && !holeInBoth)
            {
                covered++;
            }
            reset();
        }
    }

    /**
     * A heartbeat shows ticks up to {@code lastSequence} that no line brought and no tick follows
     * them: wait for the other line to bring them too.
     *
     * @return false when there is no tail to wait for, or no other line to wait for (the caller then
     *         treats it as today's missing tail).
     */
    boolean holdForTail(final long lastSequence, final boolean otherLineAlive, final long nowNanos)
    {
        if (lastSequence <= liveHead || !otherLineAlive)
        {
            return false;
        }
        startWaiting(nowNanos);
        tailTo = Math.max(tailTo, lastSequence);
        return true;
    }

    /**
     * Whether the line waited for has had its line wait and did not fill the hole.
     *
     * @param otherLineCaughtUp whether everything the other line had was read in the last poll: a line
     *                          with ticks still unread (a busy subscriber) may yet bring it.
     */
    boolean expired(final long nowNanos, final boolean otherLineCaughtUp)
    {
        return state == State.WAITING_FOR_OTHER_LINE && nowNanos - waitSinceNanos >= lineWaitNanos && otherLineCaughtUp;
    }

    /** The line that may fill the hole being waited out. */
    Line otherLine()
    {
        return LINES[1 - waitingLine];
    }

    /** The wait ran out: the next held tick, handed on whatever its sequence; null when none is left. */
    Quote pollHeld()
    {
        if (hold.isEmpty())
        {
            return null;
        }
        hold.poll(held);
        handedOn(waitingLine, held.sequence);
        return held;
    }

    /**
     * The wait ran out and nothing is held: the tail a heartbeat showed, which no line brought; 0 when
     * none. The live stream then stands after it (the subscriber pulls it).
     */
    long missingTail()
    {
        final long tail = tailTo > liveHead ? tailTo : 0;
        liveHead = Math.max(liveHead, tailTo);
        reset();
        return tail;
    }

    /** Nothing is held any more. */
    void reset()
    {
        hold.clear();
        tailTo = 0;
        holeInBoth = false;
        state = State.IN_STEP;
    }

    /** The stream was reset to {@code lastSequence}: each line's history and the live head start again there. */
    void streamReset(final long lastSequence)
    {
        reset();
        liveHead = lastSequence;
        this.lastSequence[0] = lastSequence;
        this.lastSequence[1] = lastSequence;
    }

    /** The highest sequence the line being polled has carried (its ticks and heartbeats). */
    long lineLastSequence()
    {
        return lastSequence[polling];
    }

    /** A heartbeat on the line being polled: it carried the stream up to {@code lastSequence}. */
    void heardUpTo(final long lastSequence)
    {
        this.lastSequence[polling] = Math.max(this.lastSequence[polling], lastSequence);
    }

    /** The highest live sequence handed on. */
    long liveHead()
    {
        return liveHead;
    }

    /** Holes in one line the other filled within the line wait: no gap of the feed, no recovery. */
    long covered()
    {
        return covered;
    }

    long firstSeen(final Line line)
    {
        return firstSeen[line.ordinal()];
    }

    long secondSeen(final Line line)
    {
        return secondSeen[line.ordinal()];
    }

    long gaps(final Line line)
    {
        return gaps[line.ordinal()];
    }

    long gapTicks(final Line line)
    {
        return gapTicks[line.ordinal()];
    }
}
