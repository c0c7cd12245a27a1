package io.feedhandler.replay;

import io.feedhandler.transport.Durations;

/**
 * Defaults of the replay protocol and its server, in one place: the server's and the client's
 * contexts start from them and the command line shows them.
 */
public final class ReplayConfiguration
{
    /** Where replay requests go by default: unicast to this host. */
    public static final String CHANNEL = "aeron:udp?endpoint=127.0.0.1:40457";
    public static final int STREAM_ID = 1002;
    /** Where a requester listens by default: a port of the driver's choosing on loopback. */
    public static final String RESPONSE_CHANNEL = "aeron:udp?endpoint=127.0.0.1:0";
    public static final int RESPONSE_STREAM_ID = 1003;

    /** Sessions streaming at once; more requests are refused with TOO_MANY_SESSIONS. */
    public static final int MAX_SESSIONS = 16;
    /** Entries one session sends per duty cycle: what keeps sessions fair. */
    public static final int MAX_BATCH = 256;
    /** Largest range served, in sequences; 0 = no limit. */
    public static final long MAX_RANGE = 0;
    /** Entries per second, all sessions together; 0 = no limit. */
    public static final long MAX_REPLAY_RATE = 0;
    /** Requests per second one requester may send. */
    public static final int MAX_REQUESTS_PER_SECOND = 20;
    /** Highest per-requester request rate that can be configured: beyond it the limit means nothing. */
    public static final int MAX_REQUESTS_PER_SECOND_LIMIT = 1_000_000;
    /** Requesters the flood limit remembers (a power of two). */
    public static final int REQUESTER_CAPACITY = 1024;
    /** How long a requester's response channel has to connect, or to come back after going away. */
    public static final String CONNECT_TIMEOUT = "5s";
    public static final long CONNECT_TIMEOUT_NANOS = Durations.toNanos(CONNECT_TIMEOUT);

    private ReplayConfiguration()
    {
    }
}
