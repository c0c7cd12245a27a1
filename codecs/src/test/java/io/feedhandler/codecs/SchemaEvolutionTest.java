package io.feedhandler.codecs;

import io.feedhandler.sbe.vnext.MessageHeaderDecoder;
import io.feedhandler.sbe.vnext.MessageHeaderEncoder;
import io.feedhandler.sbe.vnext.QuoteDecoder;
import io.feedhandler.sbe.vnext.QuoteEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers and writers of different schema versions read each other: codecs generated at build time
 * from a test-only version 2 of the schema (a field added to Quote) against this version's.
 */
class SchemaEvolutionTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    @Test
    void thisReaderReadsTheNextVersion()
    {
        final QuoteEncoder v2 = new QuoteEncoder();
        v2.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .sequence(42)
            .exchangeTimestamp(1)
            .sendTimestamp(2)
            .bidSize(300)
            .askSize(500)
            .instrumentId(7)
            .venueId((short)9);
        v2.bidPrice().mantissa(10_125_000_000L);
        v2.askPrice().mantissa(10_127_000_000L);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + v2.encodedLength();
        assertEquals(FeedEncoder.QUOTE_LENGTH + 2, length, "version 2 is two bytes longer");

        final FeedCodecTest.Recorder recorder = new FeedCodecTest.Recorder();
        assertTrue(new FeedDecoder(recorder).decode(buffer, 0, length));
        final MutableQuote read = recorder.quotes.get(0);
        assertEquals(42, read.sequence);
        assertEquals(7, read.instrumentId);
        assertEquals(10_125_000_000L, read.bidPrice);
        assertEquals(300, read.bidSize);
        assertEquals(10_127_000_000L, read.askPrice);
        assertEquals(500, read.askSize);
        assertEquals(1, read.exchangeTimestamp);
        assertEquals(2, read.sendTimestamp);
    }

    @Test
    void theNextVersionReadsThisOne()
    {
        final int length = new FeedEncoder().encodeQuote(buffer, 0, FeedCodecTest.quote(77));
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        final QuoteDecoder v2 = new QuoteDecoder().wrap(
            buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());

        assertEquals(length, MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength());
        assertEquals(77, v2.sequence());
        assertEquals(FeedCodecTest.quote(77).instrumentId, v2.instrumentId());
        assertEquals(FeedCodecTest.quote(77).bidPrice, v2.bidPrice().mantissa());
        assertEquals(FeedCodecTest.quote(77).askSize, v2.askSize());
        assertEquals(QuoteDecoder.venueIdNullValue(), v2.venueId(), "a field this version never wrote reads as null");
    }
}
