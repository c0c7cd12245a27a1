package io.feedhandler.gateway;

import io.feedhandler.transport.Durations;

/**
 * Defaults of the gateway, in one place: {@link GatewayContext} starts from them and the command line
 * shows them. Durations are written the way a user writes them, and parsed once.
 */
public final class GatewayConfiguration
{
    /** Loopback: without {@code --tokens}, nothing off this host reaches the gateway unless asked for. */
    public static final String BIND = "127.0.0.1";
    public static final int PORT = 8080;
    /** An SSE comment (or WebSocket ping) after this long without anything else sent to a client. */
    public static final String HEARTBEAT = "15s";
    public static final long HEARTBEAT_NANOS = Durations.toNanos(HEARTBEAT);
    /** A client that cannot take anything for this long is disconnected. */
    public static final String SLOW_CLIENT_TIMEOUT = "10s";
    public static final long SLOW_CLIENT_TIMEOUT_NANOS = Durations.toNanos(SLOW_CLIENT_TIMEOUT);
    /** Open connections (streaming or not); beyond it, 503 with Retry-After. */
    public static final int MAX_CONNECTIONS = 10_000;
    /** New connections per second from one address, after a burst of {@link #RECONNECT_BURST}; beyond it, 429. */
    public static final int RECONNECTS_PER_SECOND = 20;
    public static final int RECONNECT_BURST = 100;
    /** Events kept in memory for resume (each in a slot of {@link EventLog#SLOT_LENGTH} bytes: 24 MiB). */
    public static final int HISTORY = 65_536;
    /** Distinct instruments the gateway's book and filters track. */
    public static final int MAX_INSTRUMENTS = 10_000;
    /** A client's socket is not writable above this many bytes queued, and writable again below the low mark. */
    public static final int WRITE_BUFFER_HIGH = 64 * 1024;
    public static final int WRITE_BUFFER_LOW = 32 * 1024;
    /**
     * Each client socket's kernel send buffer (the kernel doubles it). Fixed, not autotuned to
     * megabytes: a slow client's bytes wait in the gateway, bounded by the water marks, where its
     * back-pressure is seen within a fraction of a second and conflation can replace them, rather
     * than piling up unseen in the kernel until the client is too far behind to be anything but cut off.
     */
    public static final int SOCKET_SEND_BUFFER = 128 * 1024;
    /** Most bytes written to one client in one turn, so one client never holds up the others on its thread. */
    public static final int WRITE_BUDGET = 64 * 1024;
    /** Event-loop threads serving clients; 0: Netty's default (twice the cores). */
    public static final int IO_THREADS = 1;
    /** A connection that has not sent its request within this long is closed. */
    public static final String REQUEST_TIMEOUT = "10s";
    public static final long REQUEST_TIMEOUT_NANOS = Durations.toNanos(REQUEST_TIMEOUT);
    /** How often each event loop looks at heartbeats, slow clients and resumes. */
    public static final long HOUSEKEEPING_INTERVAL_NANOS = Durations.toNanos("100ms");
    /** What an SSE client is told to wait before reconnecting. */
    public static final long RETRY_MILLIS = 1_000;
    /** Seconds a refused client is told to wait (Retry-After). */
    public static final int RETRY_AFTER_SECONDS = 1;
    /** A resume from the journal that makes no progress for this long gives up: the client gets a reset. */
    public static final String HISTORY_TIMEOUT = "10s";
    public static final long HISTORY_TIMEOUT_NANOS = Durations.toNanos(HISTORY_TIMEOUT);
    /** A pull refused for a passing reason (server busy, not reachable yet) is asked for again after this. */
    public static final long HISTORY_RETRY_NANOS = Durations.toNanos("250ms");
    /** Default --max-resumes: pulls from the journal at once; more wait their turn (the replay server's own default bound). */
    public static final int MAX_RESUMES = 16;
    /**
     * A client that was blocked (its socket full) and is more than this many events behind when it
     * can take more again is conflated; less, and it gets every event: a fast client that was full for
     * a moment, as every turn's 64 KiB can make it, is not a slow one.
     */
    public static final int CONFLATE_BACKLOG = 1024;
    /** Quotes before the first instrument definition are not served (they would carry no symbol), for at most this long. */
    public static final long DEFINITIONS_WAIT_NANOS = Durations.toNanos("12s");
    /** Journal entries a resuming client reads per turn. */
    public static final int HISTORY_POLL_LIMIT = 64;

    private GatewayConfiguration()
    {
    }
}
