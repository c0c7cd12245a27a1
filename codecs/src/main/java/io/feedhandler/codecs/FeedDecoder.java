package io.feedhandler.codecs;

import io.feedhandler.sbe.FeedState;
import io.feedhandler.sbe.HeartbeatDecoder;
import io.feedhandler.sbe.InstrumentDefinitionDecoder;
import io.feedhandler.sbe.MessageHeaderDecoder;
import io.feedhandler.sbe.QuoteDecoder;
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
            case QuoteDecoder.TEMPLATE_ID:
                return onQuote(buffer, bodyOffset, blockLength, version);
            case HeartbeatDecoder.TEMPLATE_ID:
                return onHeartbeat(buffer, bodyOffset, blockLength, version);
            case InstrumentDefinitionDecoder.TEMPLATE_ID:
                return onInstrument(buffer, bodyOffset, blockLength, version);
            default:
                return malformed(MalformedReason.UNKNOWN_TEMPLATE);
        }
    }

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
        handler.onQuote(quote);
        return true;
    }

    private boolean onHeartbeat(final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (blockLength < HeartbeatDecoder.BLOCK_LENGTH)
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
        handler.onHeartbeat(lastSequence, decoder.sendTimestamp(), FeedState.get(rawState));
        return true;
    }

    private boolean onInstrument(final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (blockLength < InstrumentDefinitionDecoder.BLOCK_LENGTH)
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
        if (id < 1 || symbolLength == 0 || priceExponent < Prices.EXPONENT || priceExponent > 10)
        {
            return malformed(MalformedReason.BAD_VALUE);
        }
        handler.onInstrument(id, priceExponent, symbolView.wrap(buffer, symbolOffset, symbolLength));
        return true;
    }

    private boolean malformed(final MalformedReason reason)
    {
        handler.onMalformed(reason);
        return false;
    }
}
