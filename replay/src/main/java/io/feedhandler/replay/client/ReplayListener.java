package io.feedhandler.replay.client;

import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.sbe.ReplayEndReason;
import io.feedhandler.sbe.ReplayErrorCode;

/**
 * What a {@link ReplayClient} hands on: the session's start, the replayed quotes (through
 * {@link FeedHandler#onQuote}), its end, or why it was refused.
 */
public interface ReplayListener extends FeedHandler
{
    void onReplayBegin(long correlationId, long fromSequence, long toSequence, long journalLastSequence);

    void onReplayEnd(long correlationId, long lastSequence, ReplayEndReason reason);

    void onReplayError(long correlationId, ReplayErrorCode code, long firstSequence, long lastSequence, String message);
}
