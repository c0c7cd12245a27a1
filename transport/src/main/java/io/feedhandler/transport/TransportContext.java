package io.feedhandler.transport;

import org.agrona.CloseHelper;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * What every process on the live stream is configured with, whatever its role: the channel and
 * stream, the media driver (external, or embedded in the profile's threading), the hot-path thread's
 * idle strategy and CPU, and the clocks. A publisher's and a subscriber's context each hold one.
 * <p>
 * {@link #validate(Direction)} checks the values and changes nothing; {@link #conclude()} also
 * creates what the context owns: the clocks (unless injected) and the connection to the media driver
 * (embedding one unless {@link #aeronDirectory(String)} names an external one). {@link #close()}
 * closes the connection it created.
 */
public final class TransportContext implements AutoCloseable
{
    /** Which end of the live stream a process is: the channel checks differ (multi-destination-cast). */
    public enum Direction
    {
        PUBLISH, SUBSCRIBE
    }

    private String channel = TransportConfiguration.CHANNEL;
    private String bChannel;
    private int streamId = TransportConfiguration.STREAM_ID;
    private String aeronDirectory;
    private FeedProfile profile = TransportConfiguration.PROFILE;
    private String idleStrategy;
    private int cpu = CpuPinning.NONE;
    private NanoClock nanoClock;
    private EpochNanoClock epochClock;
    private AeronConnection connection;
    private boolean ownsConnection;

    /**
     * Check every value; fills in the profile's idle strategy when none was named.
     *
     * @throws IllegalArgumentException naming the first bad value.
     */
    public TransportContext validate(final Direction direction)
    {
        if (direction == Direction.PUBLISH)
        {
            FeedChannels.validatePublication("--channel", channel);
            if (bChannel != null)
            {
                FeedChannels.validatePublication("--b-channel", bChannel);
            }
        }
        else
        {
            FeedChannels.validateSubscription("--channel", channel);
            if (bChannel != null)
            {
                FeedChannels.validateSubscription("--b-channel", bChannel);
            }
        }
        if (bChannel != null && FeedChannels.sameDestination(channel, bChannel))
        {
            throw new IllegalArgumentException("bad --b-channel '" + bChannel + "': the same destination as " +
                "--channel; the B line must be another path (another group, port or interface)");
        }
        FeedChannels.validateStreamId("--stream", streamId);
        if (profile == null)
        {
            throw new IllegalArgumentException("bad --profile: a profile is required");
        }
        if (idleStrategy == null)
        {
            idleStrategy = profile.defaultIdleStrategy();
        }
        IdleStrategies.parse(idleStrategy);
        CpuPinning.validate("--cpu", cpu);
        return this;
    }

    /**
     * Check the values, then create the clocks (unless given) and the connection to the media driver
     * (unless given). Idempotent.
     */
    public TransportContext conclude(final Direction direction)
    {
        validate(direction);
        if (nanoClock == null)
        {
            nanoClock = new SystemNanoClock();
        }
        if (epochClock == null)
        {
            epochClock = new WallClock();
        }
        if (connection == null)
        {
            connection = AeronConnection.connect(aeronDirectory, profile);
            ownsConnection = true;
        }
        return this;
    }

    /** The live channel. */
    public String channel()
    {
        return channel;
    }

    public TransportContext channel(final String channel)
    {
        this.channel = channel;
        return this;
    }

    /**
     * The B line: the same messages sent (or listened to) on a second channel, another network path;
     * null when there is only line A ({@link #channel()}).
     */
    public String bChannel()
    {
        return bChannel;
    }

    public TransportContext bChannel(final String bChannel)
    {
        this.bChannel = bChannel;
        return this;
    }

    /** The live channel, and the B line's when there is one, for start-up lines. */
    public String describeLines()
    {
        return bChannel == null ? channel : channel + " (line A) and " + bChannel + " (line B)";
    }

    public int streamId()
    {
        return streamId;
    }

    public TransportContext streamId(final int streamId)
    {
        this.streamId = streamId;
        return this;
    }

    /** An external media driver's directory; null to embed a driver in this process. */
    public String aeronDirectory()
    {
        return aeronDirectory;
    }

    public TransportContext aeronDirectory(final String aeronDirectory)
    {
        this.aeronDirectory = aeronDirectory;
        return this;
    }

    public FeedProfile profile()
    {
        return profile;
    }

    public TransportContext profile(final FeedProfile profile)
    {
        this.profile = profile;
        return this;
    }

    /** The hot-path thread's idle strategy by name; the profile's when not set. */
    public String idleStrategy()
    {
        return idleStrategy;
    }

    public TransportContext idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /** The CPU the hot-path thread is pinned to, or {@link CpuPinning#NONE}. */
    public int cpu()
    {
        return cpu;
    }

    public TransportContext cpu(final int cpu)
    {
        this.cpu = cpu;
        return this;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /** A monotonic clock of the caller's (tests); the system's when not set. */
    public TransportContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    public EpochNanoClock epochClock()
    {
        return epochClock;
    }

    /** The wall clock ticks are stamped and measured with; {@link WallClock} when not set. */
    public TransportContext epochClock(final EpochNanoClock epochClock)
    {
        this.epochClock = epochClock;
        return this;
    }

    /** The connection to the media driver, once concluded. */
    public AeronConnection connection()
    {
        return connection;
    }

    /** A connection the caller owns and closes (shared by several roles in one process). */
    public TransportContext connection(final AeronConnection connection)
    {
        this.connection = connection;
        this.ownsConnection = false;
        return this;
    }

    /** Close the connection, if this context created it. */
    public void close()
    {
        if (ownsConnection)
        {
            CloseHelper.close(connection);
            connection = null;
            ownsConnection = false;
        }
    }
}
