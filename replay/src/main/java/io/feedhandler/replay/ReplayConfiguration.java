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
    /**
     * Where a requester listens by default: a port of the driver's choosing on loopback, with an 8 KiB
     * MTU (loopback carries 64 KiB datagrams, so nothing is fragmented by IP) and a 2 MiB socket
     * buffer and receive window, which let one replay session stream 7 to 9 million ticks/s here
     * where Aeron's 1408-byte default holds about 3 million (docs/BENCHMARKS.md, "Replay").
     */
    public static final String RESPONSE_CHANNEL = "aeron:udp?endpoint=127.0.0.1:0|mtu=8192|so-rcvbuf=2m|rcv-wnd=2m";
    /** The socket buffer {@link #RESPONSE_CHANNEL} asks for; the kernel gives at most net.core.rmem_max. */
    public static final int RESPONSE_SOCKET_BUFFER = 2 * 1024 * 1024;
    public static final int RESPONSE_STREAM_ID = 1003;

    /** Sessions streaming at once; more requests are refused with TOO_MANY_SESSIONS. */
    public static final int MAX_SESSIONS = 16;
    /**
     * Ticks one session sends per duty cycle: what keeps sessions fair. 4,096 ticks make one message
     * of about 208 KiB; measured, it replays a third faster than 256 and keeps a turn under a
     * millisecond (docs/BENCHMARKS.md, "Replay").
     */
    public static final int MAX_BATCH = 4096;
    /** Largest range served, in sequences; 0 = no limit. */
    public static final long MAX_RANGE = 0;
    /** Ticks per second, all sessions together; 0 = no limit. */
    public static final long MAX_REPLAY_RATE = 0;
    /**
     * Most instruments the server's book (what snapshots are answered from) keeps; quotes of further
     * ids are counted, not kept. Bounds the book's memory (about 100 bytes an instrument) and a
     * snapshot's size.
     */
    public static final int MAX_SNAPSHOT_INSTRUMENTS = 100_000;
    /**
     * Journal entries the server's book reads per duty cycle: keeps a turn bounded while it catches up
     * with a long journal at start, and is far more than a publisher appends per cycle once it has.
     */
    public static final int BOOK_ENTRIES_PER_CYCLE = 1024;
    /**
     * How soon the book looks at the journal again after finding nothing new: a snapshot is exact
     * whatever sequence the book is at (the replay goes on from after it), so this bounds only how much
     * the pull after a snapshot has to bring, and keeps a spinning server from reading an idle journal
     * millions of times a second.
     */
    public static final String BOOK_IDLE_POLL = "1ms";
    public static final long BOOK_IDLE_POLL_NANOS = Durations.toNanos(BOOK_IDLE_POLL);
    /** Requests per second one requester may send. */
    public static final int MAX_REQUESTS_PER_SECOND = 20;
    /** Highest per-requester request rate that can be configured: beyond it the limit means nothing. */
    public static final int MAX_REQUESTS_PER_SECOND_LIMIT = 1_000_000;
    /** Requesters the flood limit remembers (a power of two). */
    public static final int REQUESTER_CAPACITY = 1024;
    /**
     * How often a streaming session tells its requester where the journal's head is (a heartbeat on
     * the response stream): how far its pull still has to go, which a subscriber needs to decide
     * whether a trailing live stream is worth going back to.
     */
    public static final String JOURNAL_HEAD_INTERVAL = "100ms";
    public static final long JOURNAL_HEAD_INTERVAL_NANOS = Durations.toNanos(JOURNAL_HEAD_INTERVAL);
    /** How long a requester's response channel has to connect, or to come back after going away. */
    public static final String CONNECT_TIMEOUT = "5s";
    public static final long CONNECT_TIMEOUT_NANOS = Durations.toNanos(CONNECT_TIMEOUT);

    private ReplayConfiguration()
    {
    }
}
