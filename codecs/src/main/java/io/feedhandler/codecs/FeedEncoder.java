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
    private final QuoteEncoder quote = new QuoteEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final InstrumentDefinitionEncoder instrument = new InstrumentDefinitionEncoder();

    public int encodeQuote(final MutableDirectBuffer buffer, final int offset, final Quote source)
    {
        quote.wrapAndApplyHeader(buffer, offset, header)
            .sequence(source.sequence())
            .exchangeTimestamp(source.exchangeTimestamp())
            .sendTimestamp(source.sendTimestamp())
            .bidSize(source.bidSize())
            .askSize(source.askSize())
            .instrumentId(source.instrumentId());
        quote.bidPrice().mantissa(source.bidPrice());
        quote.askPrice().mantissa(source.askPrice());
        return QUOTE_LENGTH;
    }

    /** Overwrite the send timestamp of a quote already encoded at {@code offset}. */
    public static void stampSendTime(final MutableDirectBuffer buffer, final int offset, final long sendTimestamp)
    {
        buffer.putLong(
            offset + MessageHeaderEncoder.ENCODED_LENGTH + QuoteEncoder.sendTimestampEncodingOffset(),
            sendTimestamp, QuoteEncoder.BYTE_ORDER);
    }

    public int encodeHeartbeat(
        final MutableDirectBuffer buffer, final int offset, final long lastSequence, final long sendTimestamp,
        final FeedState state)
    {
        heartbeat.wrapAndApplyHeader(buffer, offset, header)
            .lastSequence(lastSequence)
            .sendTimestamp(sendTimestamp)
            .state(state);
        return HEARTBEAT_LENGTH;
    }

    public int encodeInstrument(final MutableDirectBuffer buffer, final int offset, final Instrument definition)
    {
        instrument.wrapAndApplyHeader(buffer, offset, header)
            .instrumentId(definition.id())
            .priceExponent((byte)definition.priceExponent());
        final String symbol = definition.symbol();
        for (int i = 0; i < InstrumentDefinitionEncoder.symbolLength(); i++)
        {
            instrument.symbol(i, i < symbol.length() ? (byte)symbol.charAt(i) : 0);
        }
        return INSTRUMENT_LENGTH;
    }
}
