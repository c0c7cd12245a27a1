package io.feedhandler.subscriber;

import io.feedhandler.codecs.FeedHandler;

/**
 * Where a recovering subscriber pulls missed ticks from: the replay server over the network
 * ({@link NetworkRecovery}), or the journal itself when it is on this host ({@link JournalRecovery}).
 * Everything a source has to say reaches its {@link Handler} from inside {@link #poll}, never from
 * {@link #start} or {@link #stop}, so the handler never has to stop the source from within its own
 * call. Used only on the subscriber's thread.
 */
public interface RecoverySource extends AutoCloseable
{
    /**
     * Start pulling from {@code fromSequence}, open-ended (following the journal as it grows) until
     * {@link #stop()}. Replaces any pull under way.
     *
     * @return false when it cannot start now (no server to ask); the caller tries again later.
     */
    boolean start(long fromSequence);

    /**
     * Start with a snapshot: the latest quote of every instrument as of some sequence S (handed on
     * through the handler's {@code onSnapshotBatch}/{@code onSnapshotQuote}, after the definitions in
     * force), then pull from S + 1, open-ended, as {@link #start} does. Replaces any pull under way.
     *
     * @return false when it cannot start now; the caller tries again later.
     */
    boolean startSnapshot();

    /** Hand what has arrived to the handler, at most {@code limit} messages. */
    int poll(int limit);

    /** Stop the pull under way, if any. */
    void stop();

    /** For logs: where the ticks come from. */
    String describe();

    void close();

    /**
     * What a source hands back: the pulled quotes, in sequence order, through {@link #onQuote};
     * malformed messages, with their reason, through {@link #onMalformed}; and why a pull ended.
     */
    /**
     * Why the last {@link #start} or {@link #startSnapshot} could not be sent, saying what to check;
     * a source that can always start says nothing useful here.
     */
    default String whyNotStarted()
    {
        return "cannot reach " + describe();
    }

    /**
     * Why nothing has answered the pull started last, saying what to set, when the source can tell
     * that the request went out but no answer came back; null when it has been answered or cannot tell.
     */
    default String unanswered()
    {
        return null;
    }

    /** Why {@link Recovery} gave up on the pull under way. */
    enum PullFailure
    {
        /** The source answered, then said nothing (no tick, no heartbeat) past its {@link #silenceTimeoutNanos()}. */
        SILENT,
        /** It brought nothing for the recovery timeout while there was something to get, or never answered. */
        STALLED
    }

    /**
     * The pull under way is abandoned ({@code why}); the caller asks again later, from where it stands.
     * A source with several servers leaves this one for the next.
     */
    default void failed(final PullFailure why)
    {
    }

    /** The pull under way brought its first tick, marker or snapshot: its server works. */
    default void progressed()
    {
    }

    /**
     * When to try again after a start that could not be sent, a refusal, an interruption or a failure
     * at {@code nowNanos}: at once when another server is ready, else after a backoff.
     */
    default long nextAttemptNanos(final long nowNanos)
    {
        return nowNanos + SubscriberConfiguration.RECOVERY_RETRY_NANOS;
    }

    /**
     * How long an answered pull may stay silent before {@link #failed} ({@link PullFailure#SILENT});
     * 0 for a source that says nothing while it has nothing to bring (a journal read on this host).
     */
    default long silenceTimeoutNanos()
    {
        return 0;
    }

    /** Pulls that went to a server other than the first one named (the earlier ones failing or unreachable). */
    default long failovers()
    {
        return 0;
    }

    /** Where the last pull was sent (a server's channel); null before any, or for a source with one place. */
    default String server()
    {
        return null;
    }

    interface Handler extends FeedHandler
    {
        /**
         * The source cannot give what was asked.
         *
         * @param belowRetention true when the journal no longer holds the start of the range.
         * @param firstAvailable the journal's first sequence, 0 if unknown.
         */
        void onRefused(boolean belowRetention, long firstAvailable, String reason);

        /**
         * The journal will never hold {@code firstSequence..lastSequence}: the publisher sent them
         * without journaling them (its journal disk was full, policy live-only). The pull has ended.
         */
        void onNotJournaled(long firstSequence, long lastSequence, String reason);

        /**
         * The source keeps no book to take a snapshot from (a server run with {@code --no-snapshots}, or
         * whose book failed): asking again would not help. The pull has ended.
         */
        default void onSnapshotsUnavailable(final String reason)
        {
            onRefused(false, 0, reason);
        }

        /**
         * The journal's last sequence as the source last saw it (a replay server says so when the pull
         * begins and every {@code ReplayConfiguration.JOURNAL_HEAD_INTERVAL} while it runs): how far
         * the pull still has to go.
         */
        default void onJournalHead(final long lastSequence)
        {
        }

        /**
         * The source is working on the pull though it has nothing to hand on yet (a snapshot's book being
         * read from a local journal, which can take seconds on a long one): not a stalled pull.
         */
        default void onPullProgress()
        {
        }

        /** The pull ended without being stopped by us (the server went away or ended it). */
        void onInterrupted(String reason);

        /**
         * Whether what a journal of {@code epoch} holds is the stream this subscriber follows (0: the
         * journal does not say). A source that serves another stream's history is refused, so nothing of
         * it is delivered.
         */
        default boolean followsEpoch(final long epoch)
        {
            return true;
        }
    }

    /** Makes a source that reports to the given handler: the handler exists first, so nothing is wired up later. */
    @FunctionalInterface
    interface Factory
    {
        RecoverySource create(Handler handler);
    }
}
