package io.feedhandler.codecs;

import io.feedhandler.sbe.MessageHeaderEncoder;
import io.feedhandler.sbe.QuoteBatchEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds a {@code QuoteBatch}: consecutive quotes of one stream in one SBE message, the unit that
 * goes on the wire, into the journal and through replay. Written with one put per field at the
 * generated codec's offsets (the header as a single long), not through the generated flyweights:
 * byte for byte the message sbe-tool's codec writes (the tests compare them), at a fraction of the
 * cost. One instance per thread; allocates nothing.
 * <p>
 * Layout: the 8-byte message header, a 16-byte block (epoch, first sequence), the group's 4-byte
 * dimension (entry length, count), then {@link #ENTRY_LENGTH} bytes per quote.
 */
public final class QuoteBatchWriter
{
    /** Bytes before the first quote. */
    public static final int HEADER_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + QuoteBatchEncoder.BLOCK_LENGTH + QuoteBatchEncoder.QuotesEncoder.HEADER_SIZE;
    /** Bytes per quote. */
    public static final int ENTRY_LENGTH = QuoteBatchEncoder.QuotesEncoder.sbeBlockLength();
    /** Most quotes in one batch: the group's count is an unsigned 16-bit number. */
    public static final int MAX_QUOTES = QuoteBatchEncoder.QuotesEncoder.countMaxValue();

    /** Where the block starts, relative to the message. */
    public static final int BLOCK_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH;
    public static final int EPOCH_OFFSET = BLOCK_OFFSET + QuoteBatchEncoder.epochEncodingOffset();
    public static final int FIRST_SEQUENCE_OFFSET = BLOCK_OFFSET + QuoteBatchEncoder.firstSequenceEncodingOffset();
    /** Where the group's dimension sits: entry length (uint16), then count (uint16). */
    public static final int DIMENSION_OFFSET = BLOCK_OFFSET + QuoteBatchEncoder.BLOCK_LENGTH;
    public static final int COUNT_OFFSET = DIMENSION_OFFSET + 2;

    /** Where each field sits inside an entry. */
    public static final int EXCHANGE_TIMESTAMP = QuoteBatchEncoder.QuotesEncoder.exchangeTimestampEncodingOffset();
    public static final int SEND_TIMESTAMP = QuoteBatchEncoder.QuotesEncoder.sendTimestampEncodingOffset();
    public static final int BID_PRICE = QuoteBatchEncoder.QuotesEncoder.bidPriceEncodingOffset();
    public static final int BID_SIZE = QuoteBatchEncoder.QuotesEncoder.bidSizeEncodingOffset();
    public static final int ASK_PRICE = QuoteBatchEncoder.QuotesEncoder.askPriceEncodingOffset();
    public static final int ASK_SIZE = QuoteBatchEncoder.QuotesEncoder.askSizeEncodingOffset();
    public static final int INSTRUMENT_ID = QuoteBatchEncoder.QuotesEncoder.instrumentIdEncodingOffset();

    /** blockLength, templateId, schemaId, version: four little-endian uint16s as one long. */
    private static final long MESSAGE_HEADER =
        (QuoteBatchEncoder.BLOCK_LENGTH & 0xFFFFL) |
        (QuoteBatchEncoder.TEMPLATE_ID & 0xFFFFL) << 16 |
        (QuoteBatchEncoder.SCHEMA_ID & 0xFFFFL) << 32 |
        (QuoteBatchEncoder.SCHEMA_VERSION & 0xFFFFL) << 48;

    private MutableDirectBuffer buffer;
    private int offset;
    private long firstSequence;
    private int count;

    /** Encode a batch of one quote at {@code offset}; its length. (The publisher's batches at low rates.) */
    public static int single(final MutableDirectBuffer buffer, final int offset, final long epoch, final Quote quote)
    {
        final QuoteBatchWriter writer = new QuoteBatchWriter().wrap(buffer, offset, epoch, quote.sequence());
        writer.add(quote);
        return writer.length();
    }

    /** Bytes a batch of {@code quotes} takes. */
    public static int length(final int quotes)
    {
        return HEADER_LENGTH + quotes * ENTRY_LENGTH;
    }

    /** Most quotes whose batch fits in {@code bytes} (at least one, at most {@link #MAX_QUOTES}). */
    public static int quotesThatFit(final int bytes)
    {
        return Math.max(1, Math.min(MAX_QUOTES, (bytes - HEADER_LENGTH) / ENTRY_LENGTH));
    }

    /** Start a batch at {@code offset}: the first quote added will be {@code firstSequence}. */
    public QuoteBatchWriter wrap(
        final MutableDirectBuffer buffer, final int offset, final long epoch, final long firstSequence)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.firstSequence = firstSequence;
        this.count = 0;
        buffer.putLong(offset, MESSAGE_HEADER, QuoteBatchEncoder.BYTE_ORDER);
        buffer.putLong(offset + EPOCH_OFFSET, epoch, QuoteBatchEncoder.BYTE_ORDER);
        buffer.putLong(offset + FIRST_SEQUENCE_OFFSET, firstSequence, QuoteBatchEncoder.BYTE_ORDER);
        buffer.putInt(offset + DIMENSION_OFFSET, ENTRY_LENGTH, QuoteBatchEncoder.BYTE_ORDER); // count 0 for now
        return this;
    }

    /** Add the next quote; its sequence is implied (first + its place in the batch), not written. */
    public void add(final Quote quote)
    {
        final MutableDirectBuffer buffer = this.buffer;
        final int entry = offset + HEADER_LENGTH + count * ENTRY_LENGTH;
        buffer.putLong(entry + EXCHANGE_TIMESTAMP, quote.exchangeTimestamp(), QuoteBatchEncoder.BYTE_ORDER);
        buffer.putLong(entry + SEND_TIMESTAMP, quote.sendTimestamp(), QuoteBatchEncoder.BYTE_ORDER);
        buffer.putLong(entry + BID_PRICE, quote.bidPrice(), QuoteBatchEncoder.BYTE_ORDER);
        buffer.putLong(entry + BID_SIZE, quote.bidSize(), QuoteBatchEncoder.BYTE_ORDER);
        buffer.putLong(entry + ASK_PRICE, quote.askPrice(), QuoteBatchEncoder.BYTE_ORDER);
        buffer.putLong(entry + ASK_SIZE, quote.askSize(), QuoteBatchEncoder.BYTE_ORDER);
        buffer.putInt(entry + INSTRUMENT_ID, quote.instrumentId(), QuoteBatchEncoder.BYTE_ORDER);
        count++;
        buffer.putShort(offset + COUNT_OFFSET, (short)count, QuoteBatchEncoder.BYTE_ORDER);
    }

    /**
     * Add {@code quotes} entries copied from another batch's bytes (a replay coalescing journal
     * documents, or trimming one): the entries of a batch are its quotes, so they copy as they are.
     */
    public void addEntries(final DirectBuffer source, final int entriesOffset, final int quotes)
    {
        buffer.putBytes(offset + HEADER_LENGTH + count * ENTRY_LENGTH, source, entriesOffset, quotes * ENTRY_LENGTH);
        count += quotes;
        buffer.putShort(offset + COUNT_OFFSET, (short)count, QuoteBatchEncoder.BYTE_ORDER);
    }

    /** Set the sent time of every quote so far: for a harness that stamps after encoding. */
    public void stampSendTime(final long sendTimestamp)
    {
        for (int i = 0; i < count; i++)
        {
            buffer.putLong(offset + HEADER_LENGTH + i * ENTRY_LENGTH + SEND_TIMESTAMP, sendTimestamp,
                QuoteBatchEncoder.BYTE_ORDER);
        }
    }

    /** Quotes added so far. */
    public int count()
    {
        return count;
    }

    public long firstSequence()
    {
        return firstSequence;
    }

    /** Sequence of the last quote added; {@code firstSequence - 1} when none. */
    public long lastSequence()
    {
        return firstSequence + count - 1;
    }

    /** The encoded length so far. */
    public int length()
    {
        return HEADER_LENGTH + count * ENTRY_LENGTH;
    }

    // ---- reading a batch's bytes in place (journal readers, replay) ----------------------------------

    /** Whether the message at {@code offset} is a quote batch of this schema (header only; not validated). */
    public static boolean isBatch(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= HEADER_LENGTH &&
            (buffer.getShort(offset + 2, QuoteBatchEncoder.BYTE_ORDER) & 0xFFFF) == QuoteBatchEncoder.TEMPLATE_ID &&
            (buffer.getShort(offset + 4, QuoteBatchEncoder.BYTE_ORDER) & 0xFFFF) == QuoteBatchEncoder.SCHEMA_ID;
    }

    /** First sequence of the batch at {@code offset}. */
    public static long firstSequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + FIRST_SEQUENCE_OFFSET, QuoteBatchEncoder.BYTE_ORDER);
    }

    /** Epoch of the batch at {@code offset}. */
    public static long epoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + EPOCH_OFFSET, QuoteBatchEncoder.BYTE_ORDER);
    }

    /** Quotes in the batch at {@code offset}. */
    public static int count(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(dimensionOffset(buffer, offset) + 2, QuoteBatchEncoder.BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Start a batch with the quotes of the batch at {@code sourceOffset} from {@code fromSequence} on
     * (a tail that begins inside a batch). The source's epoch is kept.
     *
     * @return this writer, holding those quotes.
     */
    public QuoteBatchWriter wrapTrimmed(
        final MutableDirectBuffer buffer, final int offset, final DirectBuffer source, final int sourceOffset,
        final long fromSequence)
    {
        final long first = firstSequence(source, sourceOffset);
        final int skip = (int)Math.max(0, fromSequence - first);
        wrap(buffer, offset, epoch(source, sourceOffset), first + skip);
        addEntries(source, entriesOffset(source, sourceOffset) + skip * ENTRY_LENGTH, count(source, sourceOffset) - skip);
        return this;
    }

    /** Update {@code digest} with every quote of the batch at {@code offset}, in order (entries of this version's length). */
    public static void digest(final QuoteDigest digest, final DirectBuffer buffer, final int offset)
    {
        final long first = firstSequence(buffer, offset);
        final int count = count(buffer, offset);
        int entry = entriesOffset(buffer, offset);
        for (int i = 0; i < count; i++, entry += ENTRY_LENGTH)
        {
            digest.update(first + i,
                buffer.getInt(entry + INSTRUMENT_ID, QuoteBatchEncoder.BYTE_ORDER),
                buffer.getLong(entry + BID_PRICE, QuoteBatchEncoder.BYTE_ORDER),
                buffer.getLong(entry + BID_SIZE, QuoteBatchEncoder.BYTE_ORDER),
                buffer.getLong(entry + ASK_PRICE, QuoteBatchEncoder.BYTE_ORDER),
                buffer.getLong(entry + ASK_SIZE, QuoteBatchEncoder.BYTE_ORDER));
        }
    }

    /** Entry length the batch at {@code offset} declares (a later schema version may write longer entries). */
    /**
     * Read the quote fields of the entry at {@code entry} (a {@code QuoteBatch} entry's layout, which a
     * {@code FilteredBatch} entry starts with) into {@code quote}; its sequence is the caller's.
     */
    static void readEntry(final DirectBuffer buffer, final int entry, final MutableQuote quote)
    {
        quote.exchangeTimestamp = buffer.getLong(entry + EXCHANGE_TIMESTAMP, QuoteBatchEncoder.BYTE_ORDER);
        quote.sendTimestamp = buffer.getLong(entry + SEND_TIMESTAMP, QuoteBatchEncoder.BYTE_ORDER);
        quote.bidPrice = buffer.getLong(entry + BID_PRICE, QuoteBatchEncoder.BYTE_ORDER);
        quote.bidSize = buffer.getLong(entry + BID_SIZE, QuoteBatchEncoder.BYTE_ORDER);
        quote.askPrice = buffer.getLong(entry + ASK_PRICE, QuoteBatchEncoder.BYTE_ORDER);
        quote.askSize = buffer.getLong(entry + ASK_SIZE, QuoteBatchEncoder.BYTE_ORDER);
        quote.instrumentId = buffer.getInt(entry + INSTRUMENT_ID, QuoteBatchEncoder.BYTE_ORDER);
    }

    public static int entryLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(dimensionOffset(buffer, offset), QuoteBatchEncoder.BYTE_ORDER) & 0xFFFF;
    }

    /** Where the first entry of the batch at {@code offset} starts. */
    public static int entriesOffset(final DirectBuffer buffer, final int offset)
    {
        return dimensionOffset(buffer, offset) + QuoteBatchEncoder.QuotesEncoder.HEADER_SIZE;
    }

    /**
     * Where, in raw bytes (a journal's cycle file, read as it is on disk), the batch holding
     * {@code sequence} starts (its SBE message header), or -1: for tools and tests that look at or
     * damage a journal below Chronicle. A batch is recognised by its constant message header, then
     * its first sequence and count say which sequences it holds.
     */
    public static int offsetOfBatchHolding(final byte[] bytes, final long sequence)
    {
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        for (int i = 0; i <= bytes.length - HEADER_LENGTH; i++)
        {
            if (view.getLong(i, QuoteBatchEncoder.BYTE_ORDER) == MESSAGE_HEADER)
            {
                final long first = firstSequence(view, i);
                if (first <= sequence && sequence < first + count(view, i))
                {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The group's dimension follows the block, whose length the message header gives. */
    private static int dimensionOffset(final DirectBuffer buffer, final int offset)
    {
        return offset + MessageHeaderEncoder.ENCODED_LENGTH + (buffer.getShort(offset, QuoteBatchEncoder.BYTE_ORDER) & 0xFFFF);
    }
}
