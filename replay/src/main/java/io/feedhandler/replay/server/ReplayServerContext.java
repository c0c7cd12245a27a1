package io.feedhandler.replay.server;

import io.feedhandler.transport.CpuPinning;
import io.feedhandler.transport.FeedChannels;
import io.feedhandler.transport.IdleStrategies;

import java.util.concurrent.TimeUnit;

/**
 * Configuration of a replay server. Fluent setters; {@link #conclude()} checks every value and
 * throws {@link IllegalArgumentException} naming the first bad one.
 */
public final class ReplayServerContext
{
    /** Where replay requests go by default: unicast to this host. */
    public static final String DEFAULT_CONTROL_CHANNEL = "aeron:udp?endpoint=127.0.0.1:40457";
    public static final int DEFAULT_CONTROL_STREAM_ID = 1002;
    /** Highest per-requester request rate that can be configured: beyond it the limit means nothing. */
    public static final int MAX_REQUESTS_PER_SECOND = 1_000_000;

    private String controlChannel = DEFAULT_CONTROL_CHANNEL;
    private int controlStreamId = DEFAULT_CONTROL_STREAM_ID;
    private int maxSessions = 16;
    private int maxEntriesPerSession = 256;
    private long maxRange;
    private long maxEntriesPerSecond;
    private int maxRequestsPerSecond = 20;
    private int requesterCapacity = 1024;
    private long connectTimeoutNanos = TimeUnit.SECONDS.toNanos(5);
    private String idleStrategy = IdleStrategies.DEFAULT;
    private int cpu = CpuPinning.NONE;

    public ReplayServerContext conclude()
    {
        FeedChannels.validate("--replay-channel", controlChannel);
        FeedChannels.validateStreamId("--replay-stream", controlStreamId);
        if (maxSessions < 1)
        {
            throw new IllegalArgumentException("bad --max-sessions " + maxSessions + ": must be at least 1");
        }
        if (maxEntriesPerSession < 1)
        {
            throw new IllegalArgumentException("bad --max-batch " + maxEntriesPerSession + ": must be at least 1");
        }
        if (maxRange < 0)
        {
            throw new IllegalArgumentException("bad --max-range " + maxRange + ": must be >= 0 (0 = no limit)");
        }
        if (maxEntriesPerSecond < 0)
        {
            throw new IllegalArgumentException(
                "bad --max-replay-rate " + maxEntriesPerSecond + ": must be >= 0 (0 = no limit)");
        }
        if (maxRequestsPerSecond < 0 || maxRequestsPerSecond > MAX_REQUESTS_PER_SECOND)
        {
            throw new IllegalArgumentException("bad --max-requests-per-second " + maxRequestsPerSecond +
                ": must be 0 (no limit) to " + MAX_REQUESTS_PER_SECOND);
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
        IdleStrategies.parse(idleStrategy);
        CpuPinning.validate("--replay-cpu", cpu);
        return this;
    }

    /** Channel the server listens on for requests. */
    public String controlChannel()
    {
        return controlChannel;
    }

    public ReplayServerContext controlChannel(final String controlChannel)
    {
        this.controlChannel = controlChannel;
        return this;
    }

    public int controlStreamId()
    {
        return controlStreamId;
    }

    public ReplayServerContext controlStreamId(final int controlStreamId)
    {
        this.controlStreamId = controlStreamId;
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

    /** Most entries one session may send in one duty cycle: what keeps sessions fair. */
    public int maxEntriesPerSession()
    {
        return maxEntriesPerSession;
    }

    public ReplayServerContext maxEntriesPerSession(final int maxEntriesPerSession)
    {
        this.maxEntriesPerSession = maxEntriesPerSession;
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
     * Most entries per second the server sends, all sessions together; 0 for no limit. On a host
     * where the publisher shares cores with the server, this keeps a catch-up from taking the CPU
     * the live feed needs.
     */
    public long maxEntriesPerSecond()
    {
        return maxEntriesPerSecond;
    }

    public ReplayServerContext maxEntriesPerSecond(final long maxEntriesPerSecond)
    {
        this.maxEntriesPerSecond = maxEntriesPerSecond;
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
