package io.feedhandler.replica;

import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.transport.Durations;

/** Defaults of a replica: each option's default lives here, so the command line and the context agree. */
public final class ReplicaConfiguration
{
    /** Where a replica serves replays by default: beside the publisher's default server, one port up. */
    public static final String SERVE_CHANNEL = "aeron:udp?endpoint=127.0.0.1:40467";
    public static final int SERVE_STREAM_ID = ReplayConfiguration.STREAM_ID;
    /** How often the replica's standing ({@code replica.state}) is written for {@code journal stats}. */
    public static final String STATE_INTERVAL = "100ms";
    public static final long STATE_INTERVAL_NANOS = Durations.toNanos(STATE_INTERVAL);
    /** How often retention ({@code --retain-cycles}) looks at the journal's files. */
    public static final String RETENTION_CHECK_INTERVAL = "10s";
    public static final long RETENTION_CHECK_INTERVAL_NANOS = Durations.toNanos(RETENTION_CHECK_INTERVAL);
    /** Most ticks in one journal entry; 0 = what one datagram of the live channel's MTU holds, as a publisher's. */
    public static final int MAX_BATCH_TICKS = 0;

    private ReplicaConfiguration()
    {
    }
}
