package io.feedhandler.publisher;

import io.feedhandler.transport.Durations;

/**
 * Defaults of a publisher, in one place: {@link PublisherContext} starts from them and the command
 * line shows them. Durations are written the way a user writes them, and parsed once.
 */
public final class PublisherConfiguration
{
    /** Ticks per second on the fixed schedule; 0 = as fast as possible. */
    public static final long RATE = 100_000;
    /** Ticks sent at the same instant, same average rate. */
    public static final int BURST = 1;
    /** Instruments in the synthetic market. */
    public static final int INSTRUMENTS = 100;
    /** Seed of the synthetic market. */
    public static final long SEED = 42;
    /** Most ticks in one batch; 0 = what one datagram of the channel's MTU holds (25 at Aeron's default 1408 bytes). */
    public static final int MAX_BATCH_TICKS = 0;
    /** A heartbeat goes out when nothing was sent for this long. */
    public static final String HEARTBEAT_INTERVAL = "1s";
    public static final long HEARTBEAT_INTERVAL_NANOS = Durations.toNanos(HEARTBEAT_INTERVAL);
    /**
     * How often the publisher listens briefly on its multicast group for another publisher on the same
     * stream (see {@link OtherPublisherWatch}); 0 = never.
     */
    public static final String OTHER_PUBLISHER_CHECK = "5s";
    public static final long OTHER_PUBLISHER_CHECK_NANOS = Durations.toNanos(OTHER_PUBLISHER_CHECK);
    /** Instrument definitions are repeated this often, for subscribers that join late. */
    public static final String DEFINITIONS_INTERVAL = "5s";
    public static final long DEFINITIONS_INTERVAL_NANOS = Durations.toNanos(DEFINITIONS_INTERVAL);
    /** How long to wait for a first subscriber before publishing regardless. */
    public static final String CONNECT_TIMEOUT = "5s";
    public static final long CONNECT_TIMEOUT_NANOS = Durations.toNanos(CONNECT_TIMEOUT);
    /**
     * How long the stream stays open after the last tick. Longer than a subscriber's default stale
     * timeout (3 s) plus a retry, so a subscriber whose receiver stalled near the end still notices,
     * asks for replay while the embedded replay server is up, and the publisher then waits for that
     * session (bounded by the replay drain timeout).
     */
    public static final String LINGER = "5s";
    public static final long LINGER_NANOS = Durations.toNanos(LINGER);
    /** After the last tick, how long replay sessions in progress may keep the publisher up. */
    public static final String REPLAY_DRAIN_TIMEOUT = "10s";
    public static final long REPLAY_DRAIN_TIMEOUT_NANOS = Durations.toNanos(REPLAY_DRAIN_TIMEOUT);
    /** How long a drain waits for the last ticks to leave before lingering regardless. */
    public static final String DRAIN_TIMEOUT = "5s";
    public static final long DRAIN_TIMEOUT_NANOS = Durations.toNanos(DRAIN_TIMEOUT);
    /** How often retention looks for cycle files to delete. */
    public static final String RETENTION_CHECK_INTERVAL = "10s";
    public static final long RETENTION_CHECK_INTERVAL_NANOS = Durations.toNanos(RETENTION_CHECK_INTERVAL);
    /** How often the journal's free space is read, off the hot path. */
    public static final String DISK_CHECK_INTERVAL = "50ms";
    public static final long DISK_CHECK_INTERVAL_NANOS = Durations.toNanos(DISK_CHECK_INTERVAL);
    public static final JournalFullPolicy JOURNAL_FULL_POLICY = JournalFullPolicy.STOP;
    public static final DamagedJournalPolicy DAMAGED_JOURNAL_POLICY = DamagedJournalPolicy.REFUSE;
    /** Log the counters this often while running; 0 = never. */
    public static final String STATUS_INTERVAL = "10s";

    private PublisherConfiguration()
    {
    }
}
