package io.feedhandler.replay.client;

import io.feedhandler.sbe.ReplayEndReason;
import io.feedhandler.sbe.ReplayErrorCode;

/**
 * What a {@link ReplayClient} says about a replay session: its start, its end, or why it was
 * refused. The replayed quotes themselves go straight to the client's quote handler.
 */
public interface ReplayListener
{
    /**
     * @param epoch the epoch of the journal replayed (0 from a version 1 server): a requester that follows
     *              another stream must not take what follows.
     */
    void onReplayBegin(long correlationId, long fromSequence, long toSequence, long journalLastSequence, long epoch);

    void onReplayEnd(long correlationId, long lastSequence, ReplayEndReason reason);

    void onReplayError(long correlationId, ReplayErrorCode code, long firstSequence, long lastSequence, String message);
}
