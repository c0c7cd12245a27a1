package io.feedhandler.subscriber;

/**
 * Classifies each received sequence against the next one expected. Knows nothing of the network or
 * of recovery, so the rules are easy to test: below expected is a duplicate, equal is next in line,
 * above is a gap {@code [expected, sequence)}.
 */
public final class SequenceTracker
{
    /** What a received sequence means. */
    public enum Outcome
    {
        /** The first sequence seen: the stream starts here (a subscriber joins at live). */
        FIRST,
        /** Exactly the one expected. */
        NEXT,
        /** Already delivered: drop it. */
        DUPLICATE,
        /** Ahead of the one expected: {@link #gapFrom()}..{@link #gapTo()} are missing. */
        GAP
    }

    private long expected;
    private long gapFrom;
    private long gapTo;

    /** Expect {@code sequence} next, as if everything before it were delivered. */
    public void expect(final long sequence)
    {
        expected = sequence;
    }

    /** The next sequence to deliver; 0 before the first. */
    public long expected()
    {
        return expected;
    }

    public boolean started()
    {
        return expected != 0;
    }

    public Outcome classify(final long sequence)
    {
        if (expected == 0)
        {
            return Outcome.FIRST;
        }
        if (sequence == expected)
        {
            return Outcome.NEXT;
        }
        if (sequence < expected)
        {
            return Outcome.DUPLICATE;
        }
        gapFrom = expected;
        gapTo = sequence - 1;
        return Outcome.GAP;
    }

    /** Record {@code sequence} as delivered. */
    public void delivered(final long sequence)
    {
        expected = sequence + 1;
    }

    public long gapFrom()
    {
        return gapFrom;
    }

    public long gapTo()
    {
        return gapTo;
    }
}
