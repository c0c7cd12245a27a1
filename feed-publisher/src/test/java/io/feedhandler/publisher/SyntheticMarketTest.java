package io.feedhandler.publisher;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Prices;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticMarketTest
{
    @Test
    void sameSeedSameTicks()
    {
        final SyntheticMarket a = new SyntheticMarket(50, 7);
        final SyntheticMarket b = new SyntheticMarket(50, 7);
        final SyntheticMarket c = new SyntheticMarket(50, 8);
        final MutableQuote qa = new MutableQuote();
        final MutableQuote qb = new MutableQuote();
        final MutableQuote qc = new MutableQuote();
        int differences = 0;
        for (int i = 0; i < 10_000; i++)
        {
            a.next(qa, i);
            b.next(qb, i);
            c.next(qc, i);
            assertEquals(qa.toString(), qb.toString());
            differences += qa.toString().equals(qc.toString()) ? 0 : 1;
        }
        assertTrue(differences > 9_000);
    }

    @Test
    void quotesLookLikeAMarket()
    {
        final SyntheticMarket market = new SyntheticMarket(20, 1);
        final MutableQuote quote = new MutableQuote();
        final long tick = Prices.tickSize(SyntheticMarket.PRICE_EXPONENT);
        for (int i = 0; i < 100_000; i++)
        {
            assertTrue(market.next(quote, 1234));
            assertTrue(quote.instrumentId >= 1 && quote.instrumentId <= 20);
            assertTrue(quote.bidPrice > 0);
            assertTrue(quote.askPrice > quote.bidPrice, "spread is positive");
            assertTrue(quote.askPrice - quote.bidPrice <= 4 * tick, "spread is at most four ticks");
            assertEquals(0, quote.bidPrice % tick);
            assertEquals(0, quote.askPrice % tick);
            assertTrue(quote.bidSize >= 100 && quote.bidSize % 100 == 0);
            assertTrue(quote.askSize >= 100 && quote.askSize % 100 == 0);
            // The exchange stamped it before it is published (the time given), tens of microseconds before.
            final long publishTime = 1_000_000_000L;
            assertTrue(market.next(quote, publishTime));
            assertTrue(quote.exchangeTimestamp < publishTime, "exchange time precedes the publish time");
            assertTrue(publishTime - quote.exchangeTimestamp <= 70_000, "by tens of microseconds: " +
                (publishTime - quote.exchangeTimestamp));
        }
        assertEquals("AAPL", market.instruments().get(0).symbol());
        assertNotEquals(market.instruments().get(0).symbol(), market.instruments().get(1).symbol());
    }

    @Test
    void needsAtLeastOneInstrument()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new SyntheticMarket(0, 1));
        assertTrue(ex.getMessage().contains("--instruments 0"));
    }
}
