package io.feedhandler.codecs;

import io.feedhandler.sbe.FilteredBatchEncoder;
import io.feedhandler.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Builds the {@code FilteredBatch} messages of a filtered replay: the quotes of the requester's
 * instruments, each with its own sequence, and the marker {@code upToSequence} ("nothing else of
 * yours up to here"). An entry is a journaled {@code QuoteBatch} entry's bytes followed by its
 * sequence, so a matching quote is one copy and one store. Written in place, on the replay server's
 * thread, allocating nothing. One instance per session.
 */
public final class FilteredBatchWriter
{
    /** Bytes before the first quote. */
    public static final int HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + FilteredBatchEncoder.BLOCK_LENGTH +
        FilteredBatchEncoder.QuotesEncoder.HEADER_SIZE;
    /** Bytes per quote. */
    public static final int ENTRY_LENGTH = FilteredBatchEncoder.QuotesEncoder.sbeBlockLength();
    /** Where an entry's sequence is, after the bytes it shares with a {@code QuoteBatch} entry. */
    public static final int SEQUENCE = FilteredBatchEncoder.QuotesEncoder.sequenceEncodingOffset();
    /** Most quotes in one message. */
    public static final int MAX_QUOTES = FilteredBatchEncoder.QuotesEncoder.countMaxValue();

    private static final int UP_TO_OFFSET =
        MessageHeaderEncoder.ENCODED_LENGTH + FilteredBatchEncoder.upToSequenceEncodingOffset();
    private static final int COUNT_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH + FilteredBatchEncoder.BLOCK_LENGTH + 2;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final FilteredBatchEncoder encoder = new FilteredBatchEncoder();
    private MutableDirectBuffer buffer;
    private int offset;
    private int count;

    /** Most quotes a message of at most {@code bytes} holds (at least one). */
    public static int quotesThatFit(final int bytes)
    {
        return Math.max(1, Math.min(MAX_QUOTES, (bytes - HEADER_LENGTH) / ENTRY_LENGTH));
    }

    /** Start a message of no quotes, marking nothing yet (0). */
    public FilteredBatchWriter wrap(final MutableDirectBuffer buffer, final int offset, final long epoch)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.count = 0;
        encoder.wrapAndApplyHeader(buffer, offset, header).epoch(epoch).upToSequence(0).quotesCount(0);
        return this;
    }

    /**
     * Add the quote at {@code entryOffset} of a journaled {@code QuoteBatch} (its entry layout), published
     * with {@code sequence}.
     */
    public void add(final DirectBuffer source, final int entryOffset, final long sequence)
    {
        final int entry = offset + HEADER_LENGTH + count * ENTRY_LENGTH;
        buffer.putBytes(entry, source, entryOffset, QuoteBatchWriter.ENTRY_LENGTH);
        buffer.putLong(entry + SEQUENCE, sequence, FilteredBatchEncoder.BYTE_ORDER);
        count++;
        buffer.putShort(offset + COUNT_OFFSET, (short)count, FilteredBatchEncoder.BYTE_ORDER);
    }

    /** Nothing else of the requester's up to {@code sequence}. */
    public void upTo(final long sequence)
    {
        buffer.putLong(offset + UP_TO_OFFSET, sequence, FilteredBatchEncoder.BYTE_ORDER);
    }

    public long upTo()
    {
        return buffer.getLong(offset + UP_TO_OFFSET, FilteredBatchEncoder.BYTE_ORDER);
    }

    public int count()
    {
        return count;
    }

    public int length()
    {
        return HEADER_LENGTH + count * ENTRY_LENGTH;
    }
}
