package io.feedhandler.subscriber;

import io.feedhandler.codecs.Instrument;

/**
 * State changes of the feed, apart from the data: gaps, reference data, the publisher's end.
 * Called on the subscriber's thread. Every method has an empty default.
 */
public interface FeedStatusListener
{
    FeedStatusListener NONE = new FeedStatusListener()
    {
    };

    /** Sequences {@code fromSequence..toSequence} were not received on the live stream. */
    default void onGap(final long fromSequence, final long toSequence)
    {
    }

    /** A new or changed instrument definition. */
    default void onInstrument(final Instrument instrument)
    {
    }

    /** The publisher finished its run cleanly; {@code lastSequence} is its last tick. */
    default void onPublisherEnded(final long lastSequence)
    {
    }
}
