package io.feedhandler.gateway;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Prices;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuoteJsonTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);

    @Test
    void pricesAreTheDecimalsPricesFormatWrites()
    {
        final long[] edge = {0, 1, -1, 5, 10, 100_000_000, -100_000_000, 12_345_678_901L, 18_912_000_000L,
            Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 99_999_999, 100_000_001};
        for (final long mantissa : edge)
        {
            assertPrice(mantissa);
        }
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++)
        {
            assertPrice(random.nextLong());
            assertPrice(random.nextLong(1_000_000_000_000L));
        }
    }

    private void assertPrice(final long mantissa)
    {
        final int length = QuoteJson.putPrice(buffer, 0, mantissa);
        assertEquals(Prices.format(mantissa), buffer.getStringWithoutLengthAscii(0, length), "mantissa " + mantissa);
    }

    @Test
    void aQuoteIsOneServerSentEventWhoseDataIsTheJsonObject()
    {
        final MutableQuote quote = new MutableQuote();
        quote.sequence = 42;
        quote.instrumentId = 1;
        quote.bidPrice = Prices.parse("189.12");
        quote.bidSize = 300;
        quote.askPrice = Prices.parse("189.12345678");
        quote.askSize = 100;
        quote.exchangeTimestamp = 1_764_300_000_123_456_789L;
        quote.sendTimestamp = 1_764_300_000_123_460_000L;
        final QuoteJson json = new QuoteJson();
        final int length = json.encode(quote, QuoteJson.symbolBytes("AA\"PL"), buffer, 0);
        final String event = buffer.getStringWithoutLengthAscii(0, length);
        assertEquals("id: 42\nevent: quote\ndata: {\"type\":\"quote\",\"sequence\":42,\"symbol\":\"AA\\\"PL\"," +
            "\"bid\":\"189.12\",\"bidSize\":300,\"ask\":\"189.12345678\",\"askSize\":100," +
            "\"exchangeTime\":\"1764300000123456789\",\"publishTime\":\"1764300000123460000\"}\n\n", event);
        assertEquals(event.substring(json.jsonOffset(), json.jsonOffset() + json.jsonLength()),
            event.substring(event.indexOf('{'), event.lastIndexOf('}') + 1));
    }

    @Test
    void theWidestQuoteFitsItsSlot()
    {
        final MutableQuote quote = new MutableQuote();
        quote.sequence = Long.MAX_VALUE - 1;
        quote.instrumentId = Integer.MAX_VALUE;
        quote.bidPrice = Long.MIN_VALUE;
        quote.bidSize = Long.MIN_VALUE;
        quote.askPrice = Long.MIN_VALUE;
        quote.askSize = Long.MIN_VALUE;
        quote.exchangeTimestamp = Long.MIN_VALUE;
        quote.sendTimestamp = Long.MIN_VALUE;
        final int length = new QuoteJson().encode(quote,
            QuoteJson.symbolBytes("\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\"), buffer, 0);
        assertTrue(length <= QuoteJson.MAX_EVENT_LENGTH, "length " + length);
        assertTrue(QuoteJson.MAX_EVENT_LENGTH <= EventSlots.SLOT_LENGTH - EventSlots.DATA_OFFSET);
        assertEquals(16 * 2, QuoteJson.symbolBytes("\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\").length);
        assertTrue(new String(QuoteJson.symbolBytes("A\u0001"), StandardCharsets.US_ASCII).equals("A\\u0001"));
    }
}
