package io.feedhandler.codecs;

import io.feedhandler.sbe.FeedState;
import io.feedhandler.sbe.FilteredBatchDecoder;
import io.feedhandler.sbe.HeartbeatDecoder;
import io.feedhandler.sbe.InstrumentDefinitionDecoder;
import io.feedhandler.sbe.MessageHeaderDecoder;
import io.feedhandler.sbe.QuoteBatchDecoder;
import io.feedhandler.sbe.QuoteDecoder;
import io.feedhandler.sbe.SnapshotDecoder;
import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;

/**
 * The one place where bytes from the network or the journal become feed messages. Checks the
 * header before touching a field: schema id, template, and that the announced block is both
 * present and long enough for this reader's fields. Messages of a newer schema version decode by
 * the header's block length, so fields added later are skipped; anything that fails a check goes
 * to {@link FeedHandler#onMalformed} and nothing else happens. Allocates nothing.
 */
public final class FeedDecoder
{
    /**
     * Highest sequence accepted: one below {@code Long.MAX_VALUE}, so the sequence after it is still a
     * positive long (a subscriber's "next expected" would otherwise wrap to a negative number).
     */
    public static final long MAX_SEQUENCE = Long.MAX_VALUE - 1;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final InstrumentDefinitionDecoder instrumentDecoder = new InstrumentDefinitionDecoder();
    private final AsciiSequenceView symbolView = new AsciiSequenceView();
    private final MutableQuote quote = new MutableQuote();
    private final FeedHandler handler;

    public FeedDecoder(final FeedHandler handler)
    {
        this.handler = handler;
    }

    /**
     * Decode one message.
     *
     * @return true when it was a well-formed message of this feed.
     */
    public boolean decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return malformed(MalformedReason.TRUNCATED);
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return malformed(MalformedReason.WRONG_SCHEMA);
        }

        final int blockLength = header.blockLength();
        final int version = header.version();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (MessageHeaderDecoder.ENCODED_LENGTH + blockLength > length)
        {
            return malformed(MalformedReason.TRUNCATED);
        }

        switch (header.templateId())
        {
            case QuoteBatchDecoder.TEMPLATE_ID:
                return onBatch(buffer, offset, length, blockLength);
            case QuoteDecoder.TEMPLATE_ID:
                return onQuote(buffer, bodyOffset, blockLength, version);
            case HeartbeatDecoder.TEMPLATE_ID:
                return onHeartbeat(buffer, bodyOffset, blockLength, version);
            case InstrumentDefinitionDecoder.TEMPLATE_ID:
                return onInstrument(buffer, bodyOffset, blockLength, version);
            case SnapshotDecoder.TEMPLATE_ID:
                return onSnapshot(buffer, offset, length, blockLength);
            case FilteredBatchDecoder.TEMPLATE_ID:
                return onFilteredBatch(buffer, offset, length, blockLength);
            default:
                return malformed(MalformedReason.UNKNOWN_TEMPLATE);
        }
    }

    /**
     * A batch is checked whole (lengths, sequences, instrument ids) before any quote of it is handed
     * on, so a damaged batch is dropped entirely rather than delivered in part. Entries are read at
     * this reader's field offsets inside entries as long as the batch declares (a newer writer's
     * longer entries are stepped over).
     */
    private boolean onBatch(final DirectBuffer buffer, final int offset, final int length, final int blockLength)
    {
        if (blockLength < QuoteBatchDecoder.BLOCK_LENGTH)
        {
            return malformed(MalformedReason.BAD_BLOCK_LENGTH);
        }
        final int dimension = offset + MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        final int end = offset + length;
        if (dimension + QuoteBatchDecoder.QuotesDecoder.HEADER_SIZE > end)
        {
            return malformed(MalformedReason.TRUNCATED);
        }
        final int entryLength = buffer.getShort(dimension, QuoteBatchDecoder.BYTE_ORDER) & 0xFFFF;
        final int count = buffer.getShort(dimension + 2, QuoteBatchDecoder.BYTE_ORDER) & 0xFFFF;
        if (entryLength < QuoteBatchWriter.ENTRY_LENGTH)
        {
            return malformed(MalformedReason.BAD_BLOCK_LENGTH);
        }
        final int entries = dimension + QuoteBatchDecoder.QuotesDecoder.HEADER_SIZE;
        if ((long)entries + (long)count * entryLength > end)
        {
            return malformed(MalformedReason.TRUNCATED);
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final long firstSequence = buffer.getLong(
            body + QuoteBatchDecoder.firstSequenceEncodingOffset(), QuoteBatchDecoder.BYTE_ORDER);
        if (count == 0 || firstSequence < 1 || firstSequence > MAX_SEQUENCE - count + 1)
        {
            return malformed(MalformedReason.BAD_VALUE);
        }
        for (int i = 0, entry = entries; i < count; i++, entry += entryLength)
        {
            if (buffer.getInt(entry + QuoteBatchWriter.INSTRUMENT_ID, QuoteBatchDecoder.BYTE_ORDER) < 1)
            {
                return malformed(MalformedReason.BAD_VALUE);
            }
        }
        final long epoch = buffer.getLong(body + QuoteBatchDecoder.epochEncodingOffset(), QuoteBatchDecoder.BYTE_ORDER);
        final MutableQuote quote = this.quote;
        final FeedHandler handler = this.handler;
        handler.onBatchBegin(epoch, firstSequence, count);
        for (int i = 0, entry = entries; i < count; i++, entry += entryLength)
        {
            quote.sequence = firstSequence + i;
            QuoteBatchWriter.readEntry(buffer, entry, quote);
            handler.onQuote(quote);
        }
        handler.onBatchEnd();
        return true;
    }

    /**
     * A snapshot message: checked whole (lengths, every sequence up to the snapshot's, instrument ids)
     * before any quote is handed on, like a batch.
     */
    private boolean onSnapshot(final DirectBuffer buffer, final int offset, final int length, final int blockLength)
    {
        if (blockLength < SnapshotDecoder.BLOCK_LENGTH)
        {
            return malformed(MalformedReason.BAD_BLOCK_LENGTH);
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int dimension = body + blockLength;
        final int end = offset + length;
        if (dimension + SnapshotDecoder.QuotesDecoder.HEADER_SIZE > end)
        {
            return malformed(MalformedReason.TRUNCATED);
        }
        final int entryLength = buffer.getShort(dimension, SnapshotDecoder.BYTE_ORDER) & 0xFFFF;
        final int count = buffer.getShort(dimension + 2, SnapshotDecoder.BYTE_ORDER) & 0xFFFF;
        if (entryLength < SnapshotDecoder.QuotesDecoder.sbeBlockLength())
        {
            return malformed(MalformedReason.BAD_BLOCK_LENGTH);
        }
        final int entries = dimension + SnapshotDecoder.QuotesDecoder.HEADER_SIZE;
        if ((long)entries + (long)count * entryLength > end)
        {
            return malformed(MalformedReason.TRUNCATED);
        }
        final long snapshotSequence = buffer.getLong(
            body + SnapshotDecoder.snapshotSequenceEncodingOffset(), SnapshotDecoder.BYTE_ORDER);
        final int instruments = buffer.getInt(body + SnapshotDecoder.instrumentsEncodingOffset(), SnapshotDecoder.BYTE_ORDER);
        if (snapshotSequence < 0 || snapshotSequence > MAX_SEQUENCE || instruments < count)
        {
            return malformed(MalformedReason.BAD_VALUE);
        }
        for (int i = 0, entry = entries; i < count; i++, entry += entryLength)
        {
            final long sequence = buffer.getLong(entry + SNAPSHOT_SEQUENCE, SnapshotDecoder.BYTE_ORDER);
            if (sequence < 1 || sequence > snapshotSequence ||
                buffer.getInt(entry + SNAPSHOT_INSTRUMENT_ID, SnapshotDecoder.BYTE_ORDER) < 1)
            {
                return malformed(MalformedReason.BAD_VALUE);
            }
        }
        final MutableQuote quote = this.quote;
        final FeedHandler handler = this.handler;
        handler.onSnapshotBatch(buffer.getLong(body + SnapshotDecoder.epochEncodingOffset(), SnapshotDecoder.BYTE_ORDER),
            snapshotSequence, instruments, count);
        for (int i = 0, entry = entries; i < count; i++, entry += entryLength)
        {
            quote.sequence = buffer.getLong(entry + SNAPSHOT_SEQUENCE, SnapshotDecoder.BYTE_ORDER);
            quote.exchangeTimestamp = buffer.getLong(
                entry + SnapshotDecoder.QuotesDecoder.exchangeTimestampEncodingOffset(), SnapshotDecoder.BYTE_ORDER);
            quote.sendTimestamp = buffer.getLong(
                entry + SnapshotDecoder.QuotesDecoder.sendTimestampEncodingOffset(), SnapshotDecoder.BYTE_ORDER);
            quote.bidPrice = buffer.getLong(entry + SnapshotDecoder.QuotesDecoder.bidPriceEncodingOffset(), SnapshotDecoder.BYTE_ORDER);
            quote.bidSize = buffer.getLong(entry + SnapshotDecoder.QuotesDecoder.bidSizeEncodingOffset(), SnapshotDecoder.BYTE_ORDER);
            quote.askPrice = buffer.getLong(entry + SnapshotDecoder.QuotesDecoder.askPriceEncodingOffset(), SnapshotDecoder.BYTE_ORDER);
            quote.askSize = buffer.getLong(entry + SnapshotDecoder.QuotesDecoder.askSizeEncodingOffset(), SnapshotDecoder.BYTE_ORDER);
            quote.instrumentId = buffer.getInt(entry + SNAPSHOT_INSTRUMENT_ID, SnapshotDecoder.BYTE_ORDER);
            handler.onSnapshotQuote(quote);
        }
        return true;
    }

    /**
     * A filtered replay's batch: checked whole (quotes of valid ids, sequences rising, none past the
     * marker) before any of it is handed on, then its quotes and its marker.
     */
    private boolean onFilteredBatch(final DirectBuffer buffer, final int offset, final int length, final int blockLength)
    {
        if (blockLength < FilteredBatchDecoder.BLOCK_LENGTH)
        {
            return malformed(MalformedReason.BAD_BLOCK_LENGTH);
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int dimension = body + blockLength;
        final int end = offset + length;
        if (dimension + FilteredBatchDecoder.QuotesDecoder.HEADER_SIZE > end)
        {
            return malformed(MalformedReason.TRUNCATED);
        }
        final int entryLength = buffer.getShort(dimension, FilteredBatchDecoder.BYTE_ORDER) & 0xFFFF;
        final int count = buffer.getShort(dimension + 2, FilteredBatchDecoder.BYTE_ORDER) & 0xFFFF;
        if (entryLength < FilteredBatchWriter.ENTRY_LENGTH)
        {
            return malformed(MalformedReason.BAD_BLOCK_LENGTH);
        }
        final int entries = dimension + FilteredBatchDecoder.QuotesDecoder.HEADER_SIZE;
        if ((long)entries + (long)count * entryLength > end)
        {
            return malformed(MalformedReason.TRUNCATED);
        }
        final long upTo = buffer.getLong(
            body + FilteredBatchDecoder.upToSequenceEncodingOffset(), FilteredBatchDecoder.BYTE_ORDER);
        if (upTo < 0 || upTo > MAX_SEQUENCE)
        {
            return malformed(MalformedReason.BAD_VALUE);
        }
        long previous = 0;
        for (int i = 0, entry = entries; i < count; i++, entry += entryLength)
        {
            final long sequence = buffer.getLong(entry + FilteredBatchWriter.SEQUENCE, FilteredBatchDecoder.BYTE_ORDER);
            if (sequence <= previous || sequence > upTo ||
                buffer.getInt(entry + QuoteBatchWriter.INSTRUMENT_ID, FilteredBatchDecoder.BYTE_ORDER) < 1)
            {
                return malformed(MalformedReason.BAD_VALUE);
            }
            previous = sequence;
        }
        final MutableQuote quote = this.quote;
        final FeedHandler handler = this.handler;
        handler.onFilteredBatch(buffer.getLong(body + FilteredBatchDecoder.epochEncodingOffset(),
            FilteredBatchDecoder.BYTE_ORDER), upTo, count);
        for (int i = 0, entry = entries; i < count; i++, entry += entryLength)
        {
            quote.sequence = buffer.getLong(entry + FilteredBatchWriter.SEQUENCE, FilteredBatchDecoder.BYTE_ORDER);
            QuoteBatchWriter.readEntry(buffer, entry, quote);
            handler.onFilteredQuote(quote);
        }
        handler.onFilteredBatchEnd(upTo);
        return true;
    }

    private static final int SNAPSHOT_SEQUENCE = SnapshotDecoder.QuotesDecoder.sequenceEncodingOffset();
    private static final int SNAPSHOT_INSTRUMENT_ID = SnapshotDecoder.QuotesDecoder.instrumentIdEncodingOffset();

    /** Version 1's single quote: read as a batch of one with no epoch. */
    private boolean onQuote(final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (blockLength < QuoteDecoder.BLOCK_LENGTH)
        {
            return malformed(MalformedReason.BAD_BLOCK_LENGTH);
        }
        // Every field of this reader's version sits at a fixed offset inside a block at least this
        // long (checked above), whatever version wrote it: read them directly, as the encoder writes.
        final MutableQuote quote = this.quote;
        quote.sequence = buffer.getLong(offset + QuoteDecoder.sequenceEncodingOffset(), QuoteDecoder.BYTE_ORDER);
        quote.instrumentId = buffer.getInt(offset + QuoteDecoder.instrumentIdEncodingOffset(), QuoteDecoder.BYTE_ORDER);
        if (quote.sequence < 1 || quote.sequence > MAX_SEQUENCE || quote.instrumentId < 1)
        {
            return malformed(MalformedReason.BAD_VALUE);
        }
        quote.exchangeTimestamp = buffer.getLong(
            offset + QuoteDecoder.exchangeTimestampEncodingOffset(), QuoteDecoder.BYTE_ORDER);
        quote.sendTimestamp = buffer.getLong(offset + QuoteDecoder.sendTimestampEncodingOffset(), QuoteDecoder.BYTE_ORDER);
        quote.bidPrice = buffer.getLong(offset + QuoteDecoder.bidPriceEncodingOffset(), QuoteDecoder.BYTE_ORDER);
        quote.bidSize = buffer.getLong(offset + QuoteDecoder.bidSizeEncodingOffset(), QuoteDecoder.BYTE_ORDER);
        quote.askPrice = buffer.getLong(offset + QuoteDecoder.askPriceEncodingOffset(), QuoteDecoder.BYTE_ORDER);
        quote.askSize = buffer.getLong(offset + QuoteDecoder.askSizeEncodingOffset(), QuoteDecoder.BYTE_ORDER);
        handler.onBatchBegin(0, quote.sequence, 1);
        handler.onQuote(quote);
        handler.onBatchEnd();
        return true;
    }

    private boolean onHeartbeat(final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        // Version 1's fields are required; the epoch (version 2) is read when the block holds it.
        if (blockLength < HeartbeatDecoder.epochEncodingOffset())
        {
            return malformed(MalformedReason.BAD_BLOCK_LENGTH);
        }
        final HeartbeatDecoder decoder = heartbeatDecoder.wrap(buffer, offset, blockLength, version);
        final long lastSequence = decoder.lastSequence();
        final short rawState = decoder.stateRaw();
        // Check the raw value first: the generated enum lookup throws on values it does not know.
        if (lastSequence < 0 || lastSequence > MAX_SEQUENCE || (rawState != FeedState.LIVE.value() && rawState != FeedState.ENDED.value()))
        {
            return malformed(MalformedReason.BAD_VALUE);
        }
        final long epoch = blockLength >= HeartbeatDecoder.BLOCK_LENGTH &&
            version >= HeartbeatDecoder.epochSinceVersion() ? decoder.epoch() : 0;
        handler.onHeartbeat(lastSequence, decoder.sendTimestamp(), FeedState.get(rawState), epoch);
        return true;
    }

    private boolean onInstrument(final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        // Version 1's fields are required; the sequence it applies from (version 2) is read when the block holds it.
        if (blockLength < InstrumentDefinitionDecoder.fromSequenceEncodingOffset())
        {
            return malformed(MalformedReason.BAD_BLOCK_LENGTH);
        }
        final InstrumentDefinitionDecoder decoder = instrumentDecoder.wrap(buffer, offset, blockLength, version);
        final int id = decoder.instrumentId();
        final int priceExponent = decoder.priceExponent();
        final int symbolOffset = offset + InstrumentDefinitionDecoder.symbolEncodingOffset();
        int symbolLength = 0;
        while (symbolLength < InstrumentDefinitionDecoder.symbolLength())
        {
            final byte c = buffer.getByte(symbolOffset + symbolLength);
            if (c == 0)
            {
                break;
            }
            if (c <= ' ' || c > '~')
            {
                return malformed(MalformedReason.BAD_VALUE);
            }
            symbolLength++;
        }
        final long fromSequence = blockLength >= InstrumentDefinitionDecoder.BLOCK_LENGTH &&
            version >= InstrumentDefinitionDecoder.fromSequenceSinceVersion() ? decoder.fromSequence() : 0;
        if (id < 1 || symbolLength == 0 || priceExponent < Prices.EXPONENT || priceExponent > 10 ||
            fromSequence < 0 || fromSequence > MAX_SEQUENCE)
        {
            return malformed(MalformedReason.BAD_VALUE);
        }
        handler.onInstrument(id, priceExponent, symbolView.wrap(buffer, symbolOffset, symbolLength), fromSequence);
        return true;
    }

    private boolean malformed(final MalformedReason reason)
    {
        handler.onMalformed(reason);
        return false;
    }
}
