package io.feedhandler.codecs;

/**
 * A reusable quote: tick sources fill one in, the decoder fills one in for listeners. Plain fields
 * so the hot path copies eight longs and allocates nothing.
 */
public final class MutableQuote implements Quote
{
    public long sequence;
    public int instrumentId;
    public long bidPrice;
    public long bidSize;
    public long askPrice;
    public long askSize;
    public long exchangeTimestamp;
    public long sendTimestamp;

    public long sequence()
    {
        return sequence;
    }

    public int instrumentId()
    {
        return instrumentId;
    }

    public long bidPrice()
    {
        return bidPrice;
    }

    public long bidSize()
    {
        return bidSize;
    }

    public long askPrice()
    {
        return askPrice;
    }

    public long askSize()
    {
        return askSize;
    }

    public long exchangeTimestamp()
    {
        return exchangeTimestamp;
    }

    public long sendTimestamp()
    {
        return sendTimestamp;
    }

    public MutableQuote set(final Quote other)
    {
        sequence = other.sequence();
        instrumentId = other.instrumentId();
        bidPrice = other.bidPrice();
        bidSize = other.bidSize();
        askPrice = other.askPrice();
        askSize = other.askSize();
        exchangeTimestamp = other.exchangeTimestamp();
        sendTimestamp = other.sendTimestamp();
        return this;
    }

    public String toString()
    {
        return "Quote{seq=" + sequence + ", instrument=" + instrumentId +
            ", bid=" + Prices.format(bidPrice) + "x" + bidSize +
            ", ask=" + Prices.format(askPrice) + "x" + askSize + '}';
    }
}
