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
    /**
     * The next tick of the stream, in sequence order, each sequence once. A subscriber of some instruments
     * ({@link SubscriberContext#instruments}) calls it only for theirs: the sequences between are other
     * instruments' ticks, passed over (counted {@code filtered}), never missed.
     */
    void onQuote(Quote quote);

    /**
     * A quote of a snapshot ({@code --snapshot}, or {@code --on-lost snapshot}): the latest quote of its
     * instrument as of the snapshot's sequence S, carrying the sequence it was published with. A
     * snapshot's quotes come in sequence order, before every tick after S; they are not ticks of the
     * stream (the sequences between them were not delivered), so by default they go to
     * {@link #onQuote} only for listeners that do not tell the two apart. When the snapshot is whole,
     * {@link FeedStatusListener#onSnapshot} says so.
     */
    default void onSnapshotQuote(final Quote quote)
    {
        onQuote(quote);
    }
}
