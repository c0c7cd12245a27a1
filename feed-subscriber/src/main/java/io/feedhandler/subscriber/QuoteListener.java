package io.feedhandler.subscriber;

import io.feedhandler.codecs.Quote;

/**
 * What an embedding application implements to receive the feed: every sequence exactly once, in
 * order. Called on the subscriber's thread; the quote is a reused flyweight, so copy what you keep.
 * Time spent here is time the subscriber is not reading the network.
 */
@FunctionalInterface
public interface QuoteListener
{
    void onQuote(Quote quote);
}
