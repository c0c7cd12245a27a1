package io.feedhandler.gateway;

import io.netty.channel.Channel;

/**
 * One streaming client (SSE or WebSocket) as its {@link Fanout} keeps it: where it is in the stream
 * and what it is owed. Touched only on its channel's event loop. Its footprint is this object, its
 * filter and its channel: nothing per event, nothing that grows while it is slow.
 */
final class StreamClient
{
    final Channel channel;
    final int format;
    /** Replaced (never changed in place) when a WebSocket client subscribes or unsubscribes. */
    ClientFilter filter;
    final String address;
    /** The last sequence this client has been given, or conflated past. */
    long cursor;
    /** Behind while it could not take more: its next catch-up is the latest per instrument. */
    boolean conflate;
    /** The next catch-up is a snapshot (after a reset, or asked for): not counted as conflation. */
    boolean snapshot;
    /** The stream epoch the client said its resume point counts in ({@code ?epoch=}); null: not said. */
    String epoch;
    /** A reset event is owed before anything else, with this reason. */
    String resetReason;
    long resetFrom;
    long unwritableSinceNanos;
    /** Its socket was full since its last turn: if it is far behind now, it is conflated. */
    boolean blocked;
    /**
     * It resumed (from the log or the journal) and has not reached the head since: a full socket is then
     * the catching up it asked for, not slowness, so it gets every event unless the writer laps it.
     */
    boolean resuming;
    long lastSendNanos;
    long sent;
    long conflated;
    /** The stream generation ({@link EventLog#generation()}) its cursor counts in. */
    int generation;
    HistoryPull pull;
    /** A resume from the journal waits for a free slot. */
    boolean awaitingPull;
    boolean closed;

    StreamClient(final Channel channel, final int format, final ClientFilter filter, final String address)
    {
        this.channel = channel;
        this.format = format;
        this.filter = filter;
        this.address = address;
    }

    /** Owe the client a reset (with a snapshot after it), e.g. when its resume point is gone. */
    void reset(final String reason, final long from)
    {
        resetReason = reason;
        resetFrom = from;
        cursor = 0;
        conflate = true;
        snapshot = true;
    }
}
