package io.feedhandler.gateway;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's counters, shared by its event loops. Per-event counts (events and bytes sent) are
 * kept by each {@link Fanout} on its own thread and summed when read; these are per connection or
 * per refusal, and rare enough for atomics.
 */
final class GatewayCounters
{
    /** Connections open now. */
    final AtomicLong connections = new AtomicLong();
    /** Clients streaming now (SSE and WebSocket). */
    final AtomicLong clients = new AtomicLong();
    /** Connections ever accepted. */
    final AtomicLong accepted = new AtomicLong();
    /** 503: over --max-connections, or not ready. */
    final AtomicLong refusedBusy = new AtomicLong();
    /** 429: an address reconnecting faster than its limit. */
    final AtomicLong refusedRate = new AtomicLong();
    /** 401: no token, or an unknown one. */
    final AtomicLong unauthorized = new AtomicLong();
    /** 403: an instrument the token is not entitled to. */
    final AtomicLong forbidden = new AtomicLong();
    /** 400, 404, 405: malformed Last-Event-ID or from, unknown instrument or path, wrong method. */
    final AtomicLong badRequests = new AtomicLong();
    /** Connections closed for not sending a request in time. */
    final AtomicLong requestTimeouts = new AtomicLong();
    /** Clients disconnected for being blocked past --slow-client-timeout. */
    final AtomicLong slowDisconnects = new AtomicLong();
    /** Resumes served from the in-memory history. */
    final AtomicLong resumes = new AtomicLong();
    /** Resumes that read the journal first. */
    final AtomicLong journalResumes = new AtomicLong();
    /** Reset events sent: the resume point was gone, a snapshot followed. */
    final AtomicLong resets = new AtomicLong();
    /** WebSocket frames refused (garbage, oversized, unknown message): the connection is closed with a code. */
    final AtomicLong badFrames = new AtomicLong();
}
