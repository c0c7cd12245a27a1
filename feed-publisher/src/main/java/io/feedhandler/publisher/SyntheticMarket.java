package io.feedhandler.publisher;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Prices;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded random market: each instrument's mid price takes a random walk in whole ticks, with a
 * spread of one to four ticks and sizes in round lots. The same seed and instrument count give the
 * same ticks, so runs repeat exactly.
 */
public final class SyntheticMarket implements TickSource
{
    public static final int PRICE_EXPONENT = -2;
    private static final String[] SYMBOLS = {
        "AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "JPM", "V", "XOM",
        "UNH", "JNJ", "WMT", "PG", "MA", "HD", "CVX", "KO", "PEP", "BAC",
    };
    private static final long LOT = 100;
    /** The least time between the exchange's stamp on a synthetic tick and its publish time. */
    static final long EXCHANGE_TO_PUBLISH_NANOS = 20_000;

    private final List<Instrument> instruments;
    private final SplittableRandom random;
    private final long tick = Prices.tickSize(PRICE_EXPONENT);
    private final long[] midTicks;

    public SyntheticMarket(final int instrumentCount, final long seed)
    {
        if (instrumentCount < 1)
        {
            throw new IllegalArgumentException("bad --instruments " + instrumentCount + ": must be at least 1");
        }
        random = new SplittableRandom(seed);
        midTicks = new long[instrumentCount];
        final List<Instrument> list = new ArrayList<>(instrumentCount);
        for (int i = 0; i < instrumentCount; i++)
        {
            final String symbol = i < SYMBOLS.length ? SYMBOLS[i] : String.format("SYN%05d", i + 1);
            list.add(new Instrument(i + 1, symbol, PRICE_EXPONENT));
            midTicks[i] = 1_000 + random.nextLong(49_000); // 10.00 .. 500.00
        }
        instruments = Collections.unmodifiableList(list);
    }

    public List<Instrument> instruments()
    {
        return instruments;
    }

    public boolean next(final MutableQuote quote, final long nowEpochNanos)
    {
        final SplittableRandom random = this.random;
        final int index = random.nextInt(midTicks.length);
        long mid = midTicks[index] + random.nextInt(3) - 1;
        if (mid < 100)
        {
            mid = 100;
        }
        midTicks[index] = mid;

        final long spread = 1 + random.nextInt(4);
        final long bidTicks = mid - spread / 2;
        quote.instrumentId = index + 1;
        quote.bidPrice = bidTicks * tick;
        quote.askPrice = (bidTicks + spread) * tick;
        quote.bidSize = (1 + random.nextInt(50)) * LOT;
        quote.askSize = (1 + random.nextInt(50)) * LOT;
        // The exchange stamped it a little before the publisher sends it (21-70 us, varying with the size
        // already drawn, so the seeded prices stay what they were).
        quote.exchangeTimestamp = nowEpochNanos - EXCHANGE_TO_PUBLISH_NANOS - (quote.bidSize / LOT) * 1_000L;
        return true;
    }
}
