package io.feedhandler.subscriber;

import io.feedhandler.codecs.Instrument;

import java.util.List;

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

    /**
     * A new or changed instrument definition, with the sequence it applies from (as the upstream's
     * journal records it): heard just before the first tick it applies to is delivered. By default
     * the same as {@link #onInstrument(Instrument)}.
     */
    default void onInstrument(final Instrument instrument, final long fromSequence)
    {
        onInstrument(instrument);
    }

    /**
     * The subscriber now follows the stream of {@code epoch}: said once, when the first message of it
     * is heard (live or replayed), before any of its ticks is delivered.
     */
    default void onStreamFollowed(final long epoch)
    {
    }

    /**
     * The journal pulled from never held {@code firstSequence..lastSequence} (sent live-only while the
     * publisher's disk was full): the whole range the server named, whatever of it this subscriber got
     * live. Said before {@link #onNotJournaled} and before any buffered live tick of it is delivered.
     */
    default void onNotJournaledRange(final long firstSequence, final long lastSequence)
    {
    }

    /**
     * A new instrument's definition was not kept: the subscriber already tracks {@code capacity}
     * instruments ({@code --max-instruments}).
     */
    default void onDefinitionsOverflow(final int instrumentId, final int capacity)
    {
    }

    /** Recovery started: ticks from {@code fromSequence} on are being pulled from the journal. */
    default void onRecoveryStarted(final long fromSequence)
    {
    }

    /** Recovery finished: everything up to {@code upToSequence} delivered, back on live. */
    default void onRecovered(final long upToSequence)
    {
    }

    /** Sequences the journal no longer holds: they cannot be delivered. */
    default void onLost(final long fromSequence, final long toSequence)
    {
    }

    /**
     * Sequences the journal never held: the publisher sent them without journaling them (its journal
     * disk was full, policy live-only) and this subscriber missed them live. They cannot be
     * delivered; counted as lost like {@link #onLost}, which is what the default does.
     */
    default void onNotJournaled(final long fromSequence, final long toSequence)
    {
        onLost(fromSequence, toSequence);
    }

    /**
     * A snapshot was delivered whole: the top of book is as of {@code snapshotSequence} ({@code instruments}
     * quotes went to {@link QuoteListener#onSnapshotQuote}), and the ticks after it follow, merged into live.
     */
    default void onSnapshot(final long snapshotSequence, final int instruments)
    {
    }

    /**
     * The subscriber was behind the feed and conflated ({@code --slow-consumer conflate}): of the ticks
     * {@code fromSequence..toSequence}, the latest of each instrument was delivered and {@code skipped}
     * others, superseded by them, were not (and will not be).
     */
    default void onConflated(final long fromSequence, final long toSequence, final long skipped)
    {
    }

    /** Recovery could not proceed as asked (no server, refused, interrupted); it will try again. */
    /**
     * A filtered subscriber ({@code --instrument}) has heard every definition in force, and none names
     * these symbols: they match nothing until a definition gives them to an instrument. Said once.
     */
    default void onInstrumentsNotDefined(final List<String> symbols)
    {
    }

    default void onRecoveryProblem(final String reason)
    {
    }

    /**
     * The publisher's last sequence is below what this subscriber already delivered: the journal was
     * reset or this is another stream. The subscriber follows the publisher from its next sequence.
     */
    default void onStreamReset(final long lastDelivered, final long publisherLastSequence)
    {
    }

    /**
     * A line of a redundant feed has been silent past the stale timeout (it is rejoined, as a single
     * line is); said once per silence. The subscriber goes on delivering from {@code deliveringFrom},
     * or, when that is null, the other line is silent too and live as a whole is silent.
     */
    default void onLineSilent(final Line line, final String channel, final Line deliveringFrom)
    {
    }

    /** A line of a redundant feed that was silent speaks again. */
    default void onLineAlive(final Line line)
    {
    }

    /** Live fell silent and was rejoined. */
    default void onLiveRejoined()
    {
    }

    /**
     * Live fell silent and could not be rejoined now (the driver refused the channel, e.g. the
     * interface's link is down). Reported once per silence; the rejoin is retried after every stale
     * timeout, and recovery goes on meanwhile.
     */
    default void onLiveRejoinFailed(final String reason)
    {
    }

    /**
     * Another publisher is on this subscriber's channel and stream: its messages carry another stream
     * epoch (another journal's history). They are dropped, never delivered; this is said once per
     * other stream (again if it comes back after another).
     *
     * @param followed the epoch of the stream this subscriber follows.
     * @param other    the epoch of the other one.
     */
    default void onOtherPublisher(final long followed, final long other)
    {
    }

    /** The publisher finished its run cleanly; {@code lastSequence} is its last tick. */
    default void onPublisherEnded(final long lastSequence)
    {
    }
}
