package io.feedhandler.publisher;

import io.feedhandler.transport.FeedChannels;
import io.feedhandler.transport.IdleStrategies;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Everything a publisher is configured with. Fluent setters; {@link #conclude()} checks every value
 * and throws {@link IllegalArgumentException} naming the first bad one.
 */
public final class PublisherContext
{
    private String channel = FeedChannels.DEFAULT_CHANNEL;
    private int streamId = FeedChannels.DEFAULT_STREAM_ID;
    private String aeronDirectory;
    private Path journalDirectory = Path.of("feed-journal");
    private TickSource source;
    private long rate = 100_000;
    private int burst = 1;
    private long count;
    private long durationNanos;
    private long heartbeatIntervalNanos = TimeUnit.SECONDS.toNanos(1);
    private long definitionsIntervalNanos = TimeUnit.SECONDS.toNanos(5);
    private long connectTimeoutNanos = TimeUnit.SECONDS.toNanos(5);
    private long lingerNanos = TimeUnit.MILLISECONDS.toNanos(500);
    private String idleStrategy = IdleStrategies.DEFAULT;
    private TickSchedule schedule;

    public PublisherContext conclude()
    {
        FeedChannels.validate("--channel", channel);
        FeedChannels.validateStreamId("--stream", streamId);
        if (source == null)
        {
            throw new IllegalArgumentException("no tick source configured");
        }
        if (journalDirectory == null)
        {
            throw new IllegalArgumentException("bad --journal: a journal directory is required");
        }
        schedule = new TickSchedule(rate, burst);
        requireNonNegative("--count", count);
        requireNonNegative("--duration", durationNanos);
        requirePositive("--heartbeat-interval", heartbeatIntervalNanos);
        requirePositive("definitions interval", definitionsIntervalNanos);
        requireNonNegative("--connect-timeout", connectTimeoutNanos);
        requireNonNegative("--linger", lingerNanos);
        IdleStrategies.parse(idleStrategy);
        return this;
    }

    private static void requireNonNegative(final String name, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("bad " + name + " " + value + ": must be >= 0");
        }
    }

    private static void requirePositive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException("bad " + name + " " + value + ": must be > 0");
        }
    }

    public String channel()
    {
        return channel;
    }

    public PublisherContext channel(final String channel)
    {
        this.channel = channel;
        return this;
    }

    public int streamId()
    {
        return streamId;
    }

    public PublisherContext streamId(final int streamId)
    {
        this.streamId = streamId;
        return this;
    }

    /** Directory of an external media driver; null (the default) embeds one. */
    public String aeronDirectory()
    {
        return aeronDirectory;
    }

    public PublisherContext aeronDirectory(final String aeronDirectory)
    {
        this.aeronDirectory = aeronDirectory;
        return this;
    }

    public Path journalDirectory()
    {
        return journalDirectory;
    }

    public PublisherContext journalDirectory(final Path journalDirectory)
    {
        this.journalDirectory = journalDirectory;
        return this;
    }

    public TickSource source()
    {
        return source;
    }

    public PublisherContext source(final TickSource source)
    {
        this.source = source;
        return this;
    }

    /** Ticks per second; 0 publishes as fast as possible. */
    public long rate()
    {
        return rate;
    }

    public PublisherContext rate(final long rate)
    {
        this.rate = rate;
        return this;
    }

    /** Ticks sent back to back at each due time; the average rate is unchanged. */
    public int burst()
    {
        return burst;
    }

    public PublisherContext burst(final int burst)
    {
        this.burst = burst;
        return this;
    }

    /** Ticks to publish in this run; 0 for no limit. */
    public long count()
    {
        return count;
    }

    public PublisherContext count(final long count)
    {
        this.count = count;
        return this;
    }

    /** How long to publish; 0 for no limit. */
    public long durationNanos()
    {
        return durationNanos;
    }

    public PublisherContext durationNanos(final long durationNanos)
    {
        this.durationNanos = durationNanos;
        return this;
    }

    /** A heartbeat goes out when nothing else was sent for this long. */
    public long heartbeatIntervalNanos()
    {
        return heartbeatIntervalNanos;
    }

    public PublisherContext heartbeatIntervalNanos(final long heartbeatIntervalNanos)
    {
        this.heartbeatIntervalNanos = heartbeatIntervalNanos;
        return this;
    }

    /** How often every instrument definition is sent again, for subscribers that join late. */
    public long definitionsIntervalNanos()
    {
        return definitionsIntervalNanos;
    }

    public PublisherContext definitionsIntervalNanos(final long definitionsIntervalNanos)
    {
        this.definitionsIntervalNanos = definitionsIntervalNanos;
        return this;
    }

    /** How long to wait for a first subscriber before publishing regardless (into the journal only). */
    public long connectTimeoutNanos()
    {
        return connectTimeoutNanos;
    }

    public PublisherContext connectTimeoutNanos(final long connectTimeoutNanos)
    {
        this.connectTimeoutNanos = connectTimeoutNanos;
        return this;
    }

    /** After the last tick, how long to keep the stream open for receivers to ask for retransmits. */
    public long lingerNanos()
    {
        return lingerNanos;
    }

    public PublisherContext lingerNanos(final long lingerNanos)
    {
        this.lingerNanos = lingerNanos;
        return this;
    }

    public String idleStrategy()
    {
        return idleStrategy;
    }

    public PublisherContext idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    TickSchedule schedule()
    {
        return schedule;
    }
}
