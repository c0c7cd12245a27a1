package io.feedhandler.codecs;

import io.feedhandler.sbe.QuoteBatchDecoder;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The latest quote of every instrument, as of a sequence: what a snapshot is made of and what a book
 * digest is taken over. An instrument's entry is created the first time it is quoted and overwritten
 * in place after that, so keeping it current allocates nothing in steady state; memory is bounded by
 * {@code maxInstruments} (quotes of ids past it are counted, not kept). Not thread-safe.
 */
public final class QuoteBook
{
    private static final Comparator<MutableQuote> BY_SEQUENCE = Comparator.comparingLong(MutableQuote::sequence);
    private static final Comparator<MutableQuote> BY_INSTRUMENT = Comparator.comparingInt(MutableQuote::instrumentId);

    private final Int2ObjectHashMap<MutableQuote> quotes = new Int2ObjectHashMap<>();
    private final int maxInstruments;
    private long lastSequence;
    private long untracked;

    public QuoteBook(final int maxInstruments)
    {
        this.maxInstruments = maxInstruments;
    }

    /** {@code quote} is the latest of its instrument. */
    public void apply(final Quote quote)
    {
        final MutableQuote level = level(quote.instrumentId(), quote.sequence());
        if (level != null)
        {
            level.set(quote);
        }
    }

    /**
     * Apply the quotes {@code fromSequence..toSequence} of the batch at {@code offset} (a journal
     * entry or a message, read in place: nothing is decoded into objects).
     */
    public void applyBatch(final DirectBuffer buffer, final int offset, final long fromSequence, final long toSequence)
    {
        final long first = QuoteBatchWriter.firstSequence(buffer, offset);
        final int entryLength = QuoteBatchWriter.entryLength(buffer, offset);
        final long last = Math.min(toSequence, first + QuoteBatchWriter.count(buffer, offset) - 1);
        int entry = QuoteBatchWriter.entriesOffset(buffer, offset) + (int)(Math.max(fromSequence, first) - first) * entryLength;
        for (long sequence = Math.max(fromSequence, first); sequence <= last; sequence++, entry += entryLength)
        {
            final MutableQuote level = level(
                buffer.getInt(entry + QuoteBatchWriter.INSTRUMENT_ID, QuoteBatchDecoder.BYTE_ORDER), sequence);
            if (level != null)
            {
                QuoteBatchWriter.readEntry(buffer, entry, level); // the same instrument: its slot
            }
        }
    }

    /** The entry to overwrite for a quote of {@code instrumentId} at {@code sequence}; null past the bound. */
    private MutableQuote level(final int instrumentId, final long sequence)
    {
        lastSequence = Math.max(lastSequence, sequence);
        MutableQuote level = quotes.get(instrumentId);
        if (level == null)
        {
            if (quotes.size() >= maxInstruments)
            {
                untracked++;
                return null;
            }
            level = new MutableQuote();
            level.instrumentId = instrumentId;
            quotes.put(instrumentId, level);
        }
        level.sequence = sequence;
        return level;
    }

    /** The latest quote of {@code instrumentId}, or null if it was never quoted; a live view, do not change it. */
    public Quote get(final int instrumentId)
    {
        return quotes.get(instrumentId);
    }

    /** The highest sequence applied: the book is as of it. 0 when nothing was. */
    public long lastSequence()
    {
        return lastSequence;
    }

    /** The book is as of {@code sequence} (sequences up to it held no quote of a tracked instrument, or none). */
    public void asOf(final long sequence)
    {
        lastSequence = Math.max(lastSequence, sequence);
    }

    public int size()
    {
        return quotes.size();
    }

    /** Quotes of instruments past the bound, not kept. */
    public long untracked()
    {
        return untracked;
    }

    /** Copies of every instrument's latest quote, in sequence order (a snapshot's order). Allocates. */
    public MutableQuote[] bySequence()
    {
        final MutableQuote[] copies = copies();
        Arrays.sort(copies, BY_SEQUENCE);
        return copies;
    }

    /** Copies of every instrument's latest quote, in instrument-id order (a listing's order). Allocates. */
    public MutableQuote[] byInstrument()
    {
        final MutableQuote[] copies = copies();
        Arrays.sort(copies, BY_INSTRUMENT);
        return copies;
    }

    /** The {@link BookDigest} of this book. Allocates (it sorts the instruments). */
    public long digest()
    {
        final BookDigest digest = new BookDigest();
        for (final MutableQuote quote : byInstrument())
        {
            digest.update(quote.instrumentId, quote.bidPrice, quote.bidSize, quote.askPrice, quote.askSize);
        }
        return digest.value();
    }

    private MutableQuote[] copies()
    {
        final MutableQuote[] copies = new MutableQuote[quotes.size()];
        int i = 0;
        for (final MutableQuote quote : quotes.values())
        {
            copies[i++] = new MutableQuote().set(quote);
        }
        return copies;
    }
}
