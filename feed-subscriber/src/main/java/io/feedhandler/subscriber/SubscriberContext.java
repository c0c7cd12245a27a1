package io.feedhandler.subscriber;

import io.feedhandler.transport.FeedChannels;
import io.feedhandler.transport.IdleStrategies;

/**
 * Everything a subscriber is configured with. Fluent setters; {@link #conclude()} checks every value
 * and throws {@link IllegalArgumentException} naming the first bad one.
 */
public final class SubscriberContext
{
    private String channel = FeedChannels.DEFAULT_CHANNEL;
    private int streamId = FeedChannels.DEFAULT_STREAM_ID;
    private String aeronDirectory;
    private String name = "";
    private long count;
    private long durationNanos;
    private int fragmentLimit = 256;
    private int maxInstruments = 100_000;
    private String idleStrategy = IdleStrategies.DEFAULT;

    public SubscriberContext conclude()
    {
        FeedChannels.validate("--channel", channel);
        FeedChannels.validateStreamId("--stream", streamId);
        if (count < 0)
        {
            throw new IllegalArgumentException("bad --count " + count + ": must be >= 0");
        }
        if (durationNanos < 0)
        {
            throw new IllegalArgumentException("bad --duration " + durationNanos + "ns: must be >= 0");
        }
        if (fragmentLimit < 1)
        {
            throw new IllegalArgumentException("bad fragment limit " + fragmentLimit + ": must be >= 1");
        }
        if (maxInstruments < 1)
        {
            throw new IllegalArgumentException("bad --max-instruments " + maxInstruments + ": must be >= 1");
        }
        if (name == null || !name.matches("[A-Za-z0-9._-]{0,64}"))
        {
            throw new IllegalArgumentException(
                "bad --name '" + name + "': use up to 64 letters, digits, '.', '_' or '-'");
        }
        IdleStrategies.parse(idleStrategy);
        return this;
    }

    public String channel()
    {
        return channel;
    }

    public SubscriberContext channel(final String channel)
    {
        this.channel = channel;
        return this;
    }

    public int streamId()
    {
        return streamId;
    }

    public SubscriberContext streamId(final int streamId)
    {
        this.streamId = streamId;
        return this;
    }

    /** Directory of an external media driver; null (the default) embeds one. */
    public String aeronDirectory()
    {
        return aeronDirectory;
    }

    public SubscriberContext aeronDirectory(final String aeronDirectory)
    {
        this.aeronDirectory = aeronDirectory;
        return this;
    }

    /** The subscriber's name, shown in its summary; empty for an anonymous subscriber. */
    public String name()
    {
        return name;
    }

    public SubscriberContext name(final String name)
    {
        this.name = name;
        return this;
    }

    /** Stop after delivering this many ticks; 0 for no limit. */
    public long count()
    {
        return count;
    }

    public SubscriberContext count(final long count)
    {
        this.count = count;
        return this;
    }

    /** Stop after this long; 0 for no limit. */
    public long durationNanos()
    {
        return durationNanos;
    }

    public SubscriberContext durationNanos(final long durationNanos)
    {
        this.durationNanos = durationNanos;
        return this;
    }

    /** Most messages taken from the stream in one duty cycle. */
    public int fragmentLimit()
    {
        return fragmentLimit;
    }

    public SubscriberContext fragmentLimit(final int fragmentLimit)
    {
        this.fragmentLimit = fragmentLimit;
        return this;
    }

    /** Most distinct instruments the top of book tracks. */
    public int maxInstruments()
    {
        return maxInstruments;
    }

    public SubscriberContext maxInstruments(final int maxInstruments)
    {
        this.maxInstruments = maxInstruments;
        return this;
    }

    public String idleStrategy()
    {
        return idleStrategy;
    }

    public SubscriberContext idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }
}
