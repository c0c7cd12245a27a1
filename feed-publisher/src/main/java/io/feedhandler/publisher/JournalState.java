package io.feedhandler.publisher;

/** Whether ticks are journaled as they are sent (see {@link JournalGate}). */
public enum JournalState
{
    /** Every tick is journaled before it is sent. */
    JOURNALING,
    /** Policy stop: the journal is full; nothing new is sent until it takes the held tick. */
    STOPPED,
    /** Policy live-only: ticks are sent and recorded as not journaled. */
    LIVE_ONLY
}
