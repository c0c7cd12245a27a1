package io.feedhandler.codecs;

import io.feedhandler.sbe.FeedState;

/** What {@link FeedDecoder} hands on, one call per message. */
public interface FeedHandler
{
    /** A quote; the instance is reused after the call returns. */
    void onQuote(Quote quote);

    default void onHeartbeat(final long lastSequence, final long sendTimestamp, final FeedState state)
    {
    }

    /**
     * An instrument definition; {@code symbol} is a view that is reused after the call returns.
     */
    default void onInstrument(final int instrumentId, final int priceExponent, final CharSequence symbol)
    {
    }

    default void onMalformed(final MalformedReason reason)
    {
    }
}
