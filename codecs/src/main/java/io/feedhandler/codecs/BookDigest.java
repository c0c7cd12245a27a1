package io.feedhandler.codecs;

/**
 * The digest of a top of book: one 64-bit value chained over every instrument's latest quote, in
 * instrument-id order, (instrument id, bid price, bid size, ask price, ask size) each. Two holders of
 * the same book print the same 16 hex digits whatever path they took to it (live, replay, a snapshot,
 * conflation), and {@code feed journal book} computes it from the journal.
 * <p>
 * Definition: {@code h = QuoteDigest.INITIAL}; for each instrument in ascending id order, for each
 * field value {@code v} in the order above, {@code h = mix(h ^ v)} with {@link QuoteDigest}'s mix (the
 * MurmurHash3 64-bit finaliser). Sequences and timestamps are left out: the book is the prices, not
 * when they were set. An empty book digests to {@code QuoteDigest.INITIAL}.
 */
public final class BookDigest
{
    private long value = QuoteDigest.INITIAL;
    private long lastInstrumentId = Long.MIN_VALUE;

    /**
     * The next instrument's level; ids must come in ascending order.
     *
     * @throws IllegalArgumentException when an id is not above the previous one: the digest would
     *                                  depend on the order the book was walked in.
     */
    public BookDigest update(
        final int instrumentId, final long bidPrice, final long bidSize, final long askPrice, final long askSize)
    {
        if (instrumentId <= lastInstrumentId)
        {
            throw new IllegalArgumentException("instrument " + instrumentId + " after " + lastInstrumentId +
                ": a book is digested in ascending instrument-id order");
        }
        lastInstrumentId = instrumentId;
        long h = value;
        h = QuoteDigest.mix(h ^ instrumentId);
        h = QuoteDigest.mix(h ^ bidPrice);
        h = QuoteDigest.mix(h ^ bidSize);
        h = QuoteDigest.mix(h ^ askPrice);
        h = QuoteDigest.mix(h ^ askSize);
        value = h;
        return this;
    }

    public long value()
    {
        return value;
    }

    public BookDigest reset()
    {
        value = QuoteDigest.INITIAL;
        lastInstrumentId = Long.MIN_VALUE;
        return this;
    }

    public String toHex()
    {
        return QuoteDigest.toHex(value);
    }
}
