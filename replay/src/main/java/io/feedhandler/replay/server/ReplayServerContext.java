package io.feedhandler.replay.server;

import io.feedhandler.replay.ReplayChannels;
import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.transport.CpuPinning;
import io.feedhandler.transport.FeedChannels;
import io.feedhandler.transport.IdleStrategies;


/**
 * Configuration of a replay server. Fluent setters; {@link #conclude()} checks every value and
 * throws {@link IllegalArgumentException} naming the first bad one.
 */
public final class ReplayServerContext
{
    private String replayChannel = ReplayConfiguration.CHANNEL;
    private int replayStreamId = ReplayConfiguration.STREAM_ID;
    private int maxSessions = ReplayConfiguration.MAX_SESSIONS;
    private int maxBatch = ReplayConfiguration.MAX_BATCH;
    private long maxRange = ReplayConfiguration.MAX_RANGE;
    private long maxReplayRate = ReplayConfiguration.MAX_REPLAY_RATE;
    private int maxRequestsPerSecond = ReplayConfiguration.MAX_REQUESTS_PER_SECOND;
    private int requesterCapacity = ReplayConfiguration.REQUESTER_CAPACITY;
    private long connectTimeoutNanos = ReplayConfiguration.CONNECT_TIMEOUT_NANOS;
    private String idleStrategy = IdleStrategies.DEFAULT;
    private int cpu = CpuPinning.NONE;
    private boolean snapshots = true;
    private int maxSnapshotInstruments = ReplayConfiguration.MAX_SNAPSHOT_INSTRUMENTS;

    public ReplayServerContext conclude()
    {
        if (ReplayChannels.isList(replayChannel))
        {
            throw new IllegalArgumentException("bad --replay-channel '" + replayChannel + "': a replay server " +
                "listens on one channel (a list of servers is for subscribers)");
        }
        FeedChannels.validate("--replay-channel", replayChannel);
        FeedChannels.validateStreamId("--replay-stream", replayStreamId);
        if (maxSessions < 1)
        {
            throw new IllegalArgumentException("bad --max-sessions " + maxSessions + ": must be at least 1");
        }
        if (maxBatch < 1)
        {
            throw new IllegalArgumentException("bad --max-batch " + maxBatch + ": must be at least 1");
        }
        if (maxRange < 0)
        {
            throw new IllegalArgumentException("bad --max-range " + maxRange + ": must be >= 0 (0 = no limit)");
        }
        if (maxReplayRate < 0)
        {
            throw new IllegalArgumentException(
                "bad --max-replay-rate " + maxReplayRate + ": must be >= 0 (0 = no limit)");
        }
        if (maxRequestsPerSecond < 0 || maxRequestsPerSecond > ReplayConfiguration.MAX_REQUESTS_PER_SECOND_LIMIT)
        {
            throw new IllegalArgumentException("bad --max-requests-per-second " + maxRequestsPerSecond +
                ": must be 0 (no limit) to " + ReplayConfiguration.MAX_REQUESTS_PER_SECOND_LIMIT);
        }
        if (requesterCapacity < RequesterRateLimit.WAYS || Integer.bitCount(requesterCapacity) != 1)
        {
            throw new IllegalArgumentException("bad requester capacity " + requesterCapacity +
                ": must be a power of two, at least " + RequesterRateLimit.WAYS);
        }
        if (connectTimeoutNanos <= 0)
        {
            throw new IllegalArgumentException("bad replay connect timeout " + connectTimeoutNanos + "ns: must be > 0");
        }
        if (maxSnapshotInstruments < 1)
        {
            throw new IllegalArgumentException("bad --max-snapshot-instruments " + maxSnapshotInstruments +
                ": must be at least 1");
        }
        IdleStrategies.parse(idleStrategy);
        CpuPinning.validate("--replay-cpu", cpu);
        return this;
    }

    /**
     * Whether the server keeps a book of the journal (the latest quote of every instrument, kept current
     * as it tails the journal) and answers snapshot requests from it; without, they are refused.
     */
    public boolean snapshots()
    {
        return snapshots;
    }

    public ReplayServerContext snapshots(final boolean snapshots)
    {
        this.snapshots = snapshots;
        return this;
    }

    /** Most instruments the snapshot book keeps. */
    public int maxSnapshotInstruments()
    {
        return maxSnapshotInstruments;
    }

    public ReplayServerContext maxSnapshotInstruments(final int maxSnapshotInstruments)
    {
        this.maxSnapshotInstruments = maxSnapshotInstruments;
        return this;
    }

    /** Channel the server listens on for requests. */
    public String replayChannel()
    {
        return replayChannel;
    }

    public ReplayServerContext replayChannel(final String replayChannel)
    {
        this.replayChannel = replayChannel;
        return this;
    }

    public int replayStreamId()
    {
        return replayStreamId;
    }

    public ReplayServerContext replayStreamId(final int replayStreamId)
    {
        this.replayStreamId = replayStreamId;
        return this;
    }

    /** Most sessions streaming at once; more requests are refused with TOO_MANY_SESSIONS. */
    public int maxSessions()
    {
        return maxSessions;
    }

    public ReplayServerContext maxSessions(final int maxSessions)
    {
        this.maxSessions = maxSessions;
        return this;
    }

    /** Most ticks one session may send in one duty cycle: what keeps sessions fair. */
    public int maxBatch()
    {
        return maxBatch;
    }

    public ReplayServerContext maxBatch(final int maxBatch)
    {
        this.maxBatch = maxBatch;
        return this;
    }

    /** Largest closed range served; 0 for no limit. */
    public long maxRange()
    {
        return maxRange;
    }

    public ReplayServerContext maxRange(final long maxRange)
    {
        this.maxRange = maxRange;
        return this;
    }

    /**
     * Most ticks per second the server sends, all sessions together; 0 for no limit. On a host
     * where the publisher shares cores with the server, this keeps a catch-up from taking the CPU
     * the live feed needs.
     */
    public long maxReplayRate()
    {
        return maxReplayRate;
    }

    public ReplayServerContext maxReplayRate(final long maxReplayRate)
    {
        this.maxReplayRate = maxReplayRate;
        return this;
    }

    /**
     * Most replay requests one requester may send per second (a burst of this many is allowed, then
     * this rate); 0 for no limit. A requester is the Aeron image its requests arrive on: one control
     * publication of one client. Requests past the limit are refused with TOO_MANY_REQUESTS.
     */
    public int maxRequestsPerSecond()
    {
        return maxRequestsPerSecond;
    }

    public ReplayServerContext maxRequestsPerSecond(final int maxRequestsPerSecond)
    {
        this.maxRequestsPerSecond = maxRequestsPerSecond;
        return this;
    }

    /**
     * How many requesters the rate limit remembers (a power of two). A fixed table in sets of four: a
     * new requester takes the place of the one in its set with the most allowance left, so a flood
     * from many requesters cannot grow it.
     */
    public int requesterCapacity()
    {
        return requesterCapacity;
    }

    public ReplayServerContext requesterCapacity(final int requesterCapacity)
    {
        this.requesterCapacity = requesterCapacity;
        return this;
    }

    /** How long a requester's channel may take to connect, or stay disconnected, before its session ends. */
    public long connectTimeoutNanos()
    {
        return connectTimeoutNanos;
    }

    public ReplayServerContext connectTimeoutNanos(final long connectTimeoutNanos)
    {
        this.connectTimeoutNanos = connectTimeoutNanos;
        return this;
    }

    /** CPU to pin the server's thread to; {@link CpuPinning#NONE} for none. */
    public int cpu()
    {
        return cpu;
    }

    public ReplayServerContext cpu(final int cpu)
    {
        this.cpu = cpu;
        return this;
    }

    public String idleStrategy()
    {
        return idleStrategy;
    }

    public ReplayServerContext idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }
}
