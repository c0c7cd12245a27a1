package io.feedhandler.codecs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class QuoteDigestTest
{
    @Test
    void definitionIsPinned()
    {
        // The digest is a contract between processes and releases: this value must never change.
        final QuoteDigest digest = new QuoteDigest();
        assertEquals("9e3779b97f4a7c15", digest.toHex());
        digest.update(1, 1, 10_000_000_000L, 100, 10_001_000_000L, 200);
        digest.update(2, 2, 5_000_000_000L, 300, 5_002_000_000L, 400);
        assertEquals("06803f66f9a46926", digest.toHex());
        assertEquals(expected(), digest.toHex());
    }

    @Test
    void dependsOnOrderAndOnEveryField()
    {
        final QuoteDigest a = new QuoteDigest();
        a.update(1, 1, 10, 20, 30, 40);
        a.update(2, 1, 10, 20, 30, 40);
        final QuoteDigest b = new QuoteDigest();
        b.update(2, 1, 10, 20, 30, 40);
        b.update(1, 1, 10, 20, 30, 40);
        assertNotEquals(a.value(), b.value());

        final long base = digestOf(1, 1, 10, 20, 30, 40);
        assertNotEquals(base, digestOf(2, 1, 10, 20, 30, 40));
        assertNotEquals(base, digestOf(1, 2, 10, 20, 30, 40));
        assertNotEquals(base, digestOf(1, 1, 11, 20, 30, 40));
        assertNotEquals(base, digestOf(1, 1, 10, 21, 30, 40));
        assertNotEquals(base, digestOf(1, 1, 10, 20, 31, 40));
        assertNotEquals(base, digestOf(1, 1, 10, 20, 30, 41));
    }

    @Test
    void quoteAndFieldFormsAgreeAndTimestampsDoNotCount()
    {
        final MutableQuote quote = FeedCodecTest.quote(9);
        final QuoteDigest viaQuote = new QuoteDigest();
        viaQuote.update(quote);
        quote.sendTimestamp++;
        quote.exchangeTimestamp++;
        final QuoteDigest again = new QuoteDigest();
        again.update(quote);
        assertEquals(viaQuote.value(), again.value());
        assertEquals(viaQuote.value(), digestOf(9, quote.instrumentId, quote.bidPrice, quote.bidSize, quote.askPrice,
            quote.askSize));
    }

    @Test
    void hexIsAlwaysSixteenDigits()
    {
        assertEquals("0000000000000001", QuoteDigest.toHex(1));
        assertEquals("ffffffffffffffff", QuoteDigest.toHex(-1));
    }

    private static long digestOf(final long seq, final int id, final long bp, final long bs, final long ap, final long as)
    {
        final QuoteDigest digest = new QuoteDigest();
        digest.update(seq, id, bp, bs, ap, as);
        return digest.value();
    }

    /** The same chain written out longhand from the documented definition. */
    private static String expected()
    {
        long h = QuoteDigest.INITIAL;
        for (final long v : new long[]{1, 1, 10_000_000_000L, 100, 10_001_000_000L, 200,
            2, 2, 5_000_000_000L, 300, 5_002_000_000L, 400})
        {
            h ^= v;
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            h ^= h >>> 33;
        }
        return QuoteDigest.toHex(h);
    }
}
