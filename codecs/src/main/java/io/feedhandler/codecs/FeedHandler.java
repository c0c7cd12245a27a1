package io.feedhandler.codecs;

import io.feedhandler.sbe.FeedState;

/**
 * What {@link FeedDecoder} hands on, one call per message, and for a batch one {@link #onQuote} per
 * quote between {@link #onBatchBegin} and {@link #onBatchEnd}.
 */
public interface FeedHandler
{
    /** A quote; the instance is reused after the call returns. */
    void onQuote(Quote quote);

    /**
     * A batch of {@code count} consecutive quotes from {@code firstSequence} begins; they follow
     * through {@link #onQuote}. The batch was checked whole before any of it is handed on.
     *
     * @param epoch the stream's epoch (0 from a version 1 single quote).
     */
    default void onBatchBegin(final long epoch, final long firstSequence, final int count)
    {
    }

    /** The batch begun by {@link #onBatchBegin} is over. */
    default void onBatchEnd()
    {
    }

    /**
     * @param epoch the stream's epoch; 0 from a version 1 publisher.
     */
    default void onHeartbeat(final long lastSequence, final long sendTimestamp, final FeedState state, final long epoch)
    {
    }

    /**
     * An instrument definition; {@code symbol} is a view that is reused after the call returns.
     *
     * @param fromSequence the first sequence it applies to; 0 from a version 1 publisher (unknown).
     */
    default void onInstrument(
        final int instrumentId, final int priceExponent, final CharSequence symbol, final long fromSequence)
    {
    }

    /**
     * Part of a snapshot (schema version 3, replay responses only): {@code count} quotes follow through
     * {@link #onSnapshotQuote}, in sequence order, each the latest of its instrument as of
     * {@code snapshotSequence}. A snapshot of {@code instruments} quotes may come in several messages;
     * an empty book is one message of none. The message was checked whole first.
     */
    default void onSnapshotBatch(
        final long epoch, final long snapshotSequence, final int instruments, final int count)
    {
    }

    /** A quote of a snapshot, with the sequence it was published with; the instance is reused after the call. */
    default void onSnapshotQuote(final Quote quote)
    {
    }

    /**
     * Part of a filtered replay (schema version 4, replay responses only): {@code count} quotes of the
     * requester's instruments follow through {@link #onFilteredQuote}, in sequence order, each with its own
     * sequence; then {@link #onFilteredBatchEnd} says nothing else of the requester's comes up to
     * {@code upToSequence}. The message was checked whole first.
     */
    default void onFilteredBatch(final long epoch, final long upToSequence, final int count)
    {
    }

    /** A quote of a filtered replay, with the sequence it was published with; the instance is reused after the call. */
    default void onFilteredQuote(final Quote quote)
    {
    }

    /** The batch begun by {@link #onFilteredBatch} is over: nothing else of the requester's up to {@code upToSequence}. */
    default void onFilteredBatchEnd(final long upToSequence)
    {
    }

    default void onMalformed(final MalformedReason reason)
    {
    }
}
