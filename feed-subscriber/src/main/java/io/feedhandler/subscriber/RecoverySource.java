package io.feedhandler.subscriber;

/**
 * Where a recovering subscriber pulls missed ticks from: the replay server over the network
 * ({@link NetworkRecovery}), or the journal itself when it is on this host ({@link JournalRecovery}).
 * Either way the ticks come, in sequence order, to the {@link RecoveryHandler} given at creation.
 * Used only on the subscriber's thread.
 */
public interface RecoverySource extends AutoCloseable
{
    /**
     * Start pulling from {@code fromSequence}, open-ended (following the journal as it grows) until
     * {@link #stop()}. Replaces any pull under way.
     *
     * @return false when it cannot start now; the caller tries again later.
     */
    boolean start(long fromSequence);

    /** Hand over what has arrived, at most {@code limit} messages. */
    int poll(int limit);

    /** Stop the pull under way, if any. */
    void stop();

    /** For logs: where the ticks come from. */
    String describe();

    void close();

    /** What a recovery source hands back. */
    interface RecoveryHandler
    {
        /** The next tick from the journal. The instance is reused after the call. */
        void onRecoveredQuote(io.feedhandler.codecs.Quote quote);

        /**
         * The source cannot give what was asked.
         *
         * @param belowRetention true when the journal no longer holds the start of the range.
         * @param firstAvailable the journal's first sequence, 0 if unknown.
         */
        void onRecoveryRefused(boolean belowRetention, long firstAvailable, String reason);

        /**
         * The journal will never hold {@code firstSequence..lastSequence}: the publisher sent them
         * without journaling them (its journal disk was full, policy live-only). The pull has ended.
         */
        void onRecoveryUnavailable(long firstSequence, long lastSequence, String reason);

        /** The pull ended without being stopped by us (the server went away or ended it). */
        void onRecoveryInterrupted(String reason);

        /** Malformed data on the recovery path: counted, dropped. */
        void onRecoveryMalformed();
    }
}
