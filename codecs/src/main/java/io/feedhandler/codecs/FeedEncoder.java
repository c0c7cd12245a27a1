package io.feedhandler.codecs;

import io.feedhandler.sbe.FeedState;
import io.feedhandler.sbe.HeartbeatEncoder;
import io.feedhandler.sbe.InstrumentDefinitionEncoder;
import io.feedhandler.sbe.MessageHeaderEncoder;
import io.feedhandler.sbe.QuoteEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes the feed's messages, header included. One instance per thread: the flyweights are reused
 * so encoding allocates nothing. Each method returns the encoded length in bytes.
 */
public final class FeedEncoder
{
    public static final int QUOTE_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + QuoteEncoder.BLOCK_LENGTH;
    public static final int HEARTBEAT_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatEncoder.BLOCK_LENGTH;
    public static final int INSTRUMENT_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + InstrumentDefinitionEncoder.BLOCK_LENGTH;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final InstrumentDefinitionEncoder instrument = new InstrumentDefinitionEncoder();

    /**
     * Version 1's single quote: no longer sent (the publisher sends {@link QuoteBatchWriter batches}),
     * kept for tests and for reading journals of format 1. It is written with one put per field at the
     * generated codec's offsets (the header as a single long) instead of through the generated
     * flyweights, which re-wrap the header and each price composite per call. Byte for byte the same
     * message: the round-trip tests decode it with the generated decoder.
     */
    public int encodeQuote(final MutableDirectBuffer buffer, final int offset, final Quote source)
    {
        final int body = offset + MessageHeaderEncoder.ENCODED_LENGTH;
        buffer.putLong(offset, QUOTE_HEADER, QuoteEncoder.BYTE_ORDER);
        buffer.putLong(body + QuoteEncoder.sequenceEncodingOffset(), source.sequence(), QuoteEncoder.BYTE_ORDER);
        buffer.putLong(body + QuoteEncoder.exchangeTimestampEncodingOffset(), source.exchangeTimestamp(),
            QuoteEncoder.BYTE_ORDER);
        buffer.putLong(body + QuoteEncoder.sendTimestampEncodingOffset(), source.sendTimestamp(),
            QuoteEncoder.BYTE_ORDER);
        buffer.putLong(body + QuoteEncoder.bidPriceEncodingOffset(), source.bidPrice(), QuoteEncoder.BYTE_ORDER);
        buffer.putLong(body + QuoteEncoder.bidSizeEncodingOffset(), source.bidSize(), QuoteEncoder.BYTE_ORDER);
        buffer.putLong(body + QuoteEncoder.askPriceEncodingOffset(), source.askPrice(), QuoteEncoder.BYTE_ORDER);
        buffer.putLong(body + QuoteEncoder.askSizeEncodingOffset(), source.askSize(), QuoteEncoder.BYTE_ORDER);
        buffer.putInt(body + QuoteEncoder.instrumentIdEncodingOffset(), source.instrumentId(), QuoteEncoder.BYTE_ORDER);
        return QUOTE_LENGTH;
    }

    /** blockLength, templateId, schemaId, version: four little-endian uint16s as one long. */
    private static final long QUOTE_HEADER =
        (QuoteEncoder.BLOCK_LENGTH & 0xFFFFL) |
        (QuoteEncoder.TEMPLATE_ID & 0xFFFFL) << 16 |
        (QuoteEncoder.SCHEMA_ID & 0xFFFFL) << 32 |
        (QuoteEncoder.SCHEMA_VERSION & 0xFFFFL) << 48;

    /** Overwrite the send timestamp of a quote already encoded at {@code offset}. */
    public static void stampSendTime(final MutableDirectBuffer buffer, final int offset, final long sendTimestamp)
    {
        buffer.putLong(
            offset + MessageHeaderEncoder.ENCODED_LENGTH + QuoteEncoder.sendTimestampEncodingOffset(),
            sendTimestamp, QuoteEncoder.BYTE_ORDER);
    }

    /**
     * @param epoch the stream's epoch ({@code journal.id}), so a subscriber can tell streams apart.
     */
    public int encodeHeartbeat(
        final MutableDirectBuffer buffer, final int offset, final long lastSequence, final long sendTimestamp,
        final FeedState state, final long epoch)
    {
        heartbeat.wrapAndApplyHeader(buffer, offset, header)
            .lastSequence(lastSequence)
            .sendTimestamp(sendTimestamp)
            .state(state)
            .epoch(epoch);
        return HEARTBEAT_LENGTH;
    }

    /**
     * @param fromSequence the first sequence the definition applies to.
     */
    public int encodeInstrument(
        final MutableDirectBuffer buffer, final int offset, final Instrument definition, final long fromSequence)
    {
        instrument.wrapAndApplyHeader(buffer, offset, header)
            .instrumentId(definition.id())
            .priceExponent((byte)definition.priceExponent())
            .fromSequence(fromSequence);
        final String symbol = definition.symbol();
        for (int i = 0; i < InstrumentDefinitionEncoder.symbolLength(); i++)
        {
            instrument.symbol(i, i < symbol.length() ? (byte)symbol.charAt(i) : 0);
        }
        return INSTRUMENT_LENGTH;
    }
}
