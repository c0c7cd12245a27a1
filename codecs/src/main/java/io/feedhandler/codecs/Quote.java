package io.feedhandler.codecs;

/**
 * One bid/ask tick as the listener sees it. Prices are fixed-point mantissas at
 * {@link Prices#EXPONENT}; sizes are whole units; timestamps are nanoseconds since the epoch.
 * <p>
 * Instances handed to a listener are reused flyweights: copy what you keep beyond the call.
 */
public interface Quote
{
    long sequence();

    int instrumentId();

    long bidPrice();

    long bidSize();

    long askPrice();

    long askSize();

    long exchangeTimestamp();

    long sendTimestamp();
}
