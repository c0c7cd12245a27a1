package io.feedhandler.publisher;

import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalSpace;
import io.feedhandler.replay.server.ReplayServerContext;
import io.feedhandler.transport.CpuPinning;
import io.feedhandler.transport.FeedChannels;
import io.feedhandler.transport.FeedProfile;
import net.openhft.chronicle.queue.RollCycle;
import io.feedhandler.transport.IdleStrategies;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Everything a publisher is configured with. Fluent setters; {@link #conclude()} checks every value
 * and throws {@link IllegalArgumentException} naming the first bad one.
 */
public final class PublisherContext
{
    /**
     * How long the stream stays open after the last tick. Longer than a subscriber's default stale
     * timeout (3 s) plus a retry, so a subscriber whose receiver stalled near the end still notices,
     * asks for replay while the embedded replay server is up, and the publisher then waits for that
     * session (bounded by the replay drain timeout).
     */
    public static final long DEFAULT_LINGER_NANOS = TimeUnit.SECONDS.toNanos(5);

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
    private long lingerNanos = DEFAULT_LINGER_NANOS;
    private String idleStrategy;
    private FeedProfile profile = FeedProfile.DEFAULT;
    private int cpu = CpuPinning.NONE;
    private TickSchedule schedule;
    private RollCycle rollCycle = Journal.DEFAULT_ROLL_CYCLE;
    private int retainCycles;
    private long retentionCheckIntervalNanos = TimeUnit.SECONDS.toNanos(10);
    private ReplayServerContext replayServer = new ReplayServerContext();
    private long replayDrainTimeoutNanos = TimeUnit.SECONDS.toNanos(10);
    private JournalFullPolicy journalFullPolicy = JournalFullPolicy.STOP;
    private long minFreeDiskBytes = JournalSpace.DEFAULT_MIN_FREE_BYTES;
    private long diskCheckIntervalNanos = TimeUnit.MILLISECONDS.toNanos(50);
    private LongSupplier usableDiskSpace;
    private DamagedJournalPolicy onDamagedJournal = DamagedJournalPolicy.REFUSE;

    public PublisherContext conclude()
    {
        FeedChannels.validatePublication("--channel", channel);
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
        requireNonNegative("--replay-drain-timeout", replayDrainTimeoutNanos);
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
        if (retainCycles < 0)
        {
            throw new IllegalArgumentException("bad --retain-cycles " + retainCycles + ": must be >= 0 (0 = keep all)");
        }
        if (onDamagedJournal == null)
        {
            throw new IllegalArgumentException("bad --on-damaged-journal: a policy is required (refuse or archive)");
        }
        if (replayServer != null)
        {
            replayServer.conclude();
        }
        if (journalFullPolicy == null)
        {
            throw new IllegalArgumentException("bad --on-journal-full: a policy is required (stop or live-only)");
        }
        if (minFreeDiskBytes < JournalSpace.MIN_MIN_FREE_BYTES)
        {
            throw new IllegalArgumentException("bad --min-free-disk " + minFreeDiskBytes + " bytes: must be at least " +
                "1m (" + JournalSpace.MIN_MIN_FREE_BYTES + " bytes)");
        }
        requirePositive("disk check interval", diskCheckIntervalNanos);
        return this;
    }

    /** What to do when the journal's disk is down to {@link #minFreeDiskBytes()}. */
    public JournalFullPolicy journalFullPolicy()
    {
        return journalFullPolicy;
    }

    public PublisherContext journalFullPolicy(final JournalFullPolicy journalFullPolicy)
    {
        this.journalFullPolicy = journalFullPolicy;
        return this;
    }

    /** Free space the journal leaves on its file system; appends stop before eating into it. */
    public long minFreeDiskBytes()
    {
        return minFreeDiskBytes;
    }

    public PublisherContext minFreeDiskBytes(final long minFreeDiskBytes)
    {
        this.minFreeDiskBytes = minFreeDiskBytes;
        return this;
    }

    /** How often free space is read, off the hot path. */
    public long diskCheckIntervalNanos()
    {
        return diskCheckIntervalNanos;
    }

    public PublisherContext diskCheckIntervalNanos(final long diskCheckIntervalNanos)
    {
        this.diskCheckIntervalNanos = diskCheckIntervalNanos;
        return this;
    }

    /** Where free space is read from; null (the default) reads the journal's file system. For tests. */
    public LongSupplier usableDiskSpace()
    {
        return usableDiskSpace;
    }

    public PublisherContext usableDiskSpace(final LongSupplier usableDiskSpace)
    {
        this.usableDiskSpace = usableDiskSpace;
        return this;
    }

    /** What to do when the start-up check finds the journal damaged: refuse to start (default) or archive it. */
    public DamagedJournalPolicy onDamagedJournal()
    {
        return onDamagedJournal;
    }

    public PublisherContext onDamagedJournal(final DamagedJournalPolicy onDamagedJournal)
    {
        this.onDamagedJournal = onDamagedJournal;
        return this;
    }

    /** How the journal is split into files; fixed when the journal is created. */
    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    public PublisherContext rollCycle(final RollCycle rollCycle)
    {
        this.rollCycle = rollCycle;
        return this;
    }

    /** Journal cycle files to keep, oldest deleted first; 0 keeps everything. */
    public int retainCycles()
    {
        return retainCycles;
    }

    public PublisherContext retainCycles(final int retainCycles)
    {
        this.retainCycles = retainCycles;
        return this;
    }

    public long retentionCheckIntervalNanos()
    {
        return retentionCheckIntervalNanos;
    }

    public PublisherContext retentionCheckIntervalNanos(final long retentionCheckIntervalNanos)
    {
        this.retentionCheckIntervalNanos = retentionCheckIntervalNanos;
        return this;
    }

    /** After the last tick, how long the embedded replay server may keep serving sessions in progress. */
    public long replayDrainTimeoutNanos()
    {
        return replayDrainTimeoutNanos;
    }

    public PublisherContext replayDrainTimeoutNanos(final long replayDrainTimeoutNanos)
    {
        this.replayDrainTimeoutNanos = replayDrainTimeoutNanos;
        return this;
    }

    /** The replay server embedded in the publisher; null to run none (one can run on its own). */
    public ReplayServerContext replayServer()
    {
        return replayServer;
    }

    public PublisherContext replayServer(final ReplayServerContext replayServer)
    {
        this.replayServer = replayServer;
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

    /** How the process spends its cores: default, low-latency or compact. */
    public FeedProfile profile()
    {
        return profile;
    }

    public PublisherContext profile(final FeedProfile profile)
    {
        this.profile = profile;
        return this;
    }

    /** CPU to pin the publisher's thread to; {@link CpuPinning#NONE} for none. */
    public int cpu()
    {
        return cpu;
    }

    public PublisherContext cpu(final int cpu)
    {
        this.cpu = cpu;
        return this;
    }

    /** The publisher thread's idle strategy; null (the default) takes the profile's. */
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
