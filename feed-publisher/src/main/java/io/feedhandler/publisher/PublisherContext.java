package io.feedhandler.publisher;

import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.journal.JournalConfiguration;
import io.feedhandler.transport.FeedChannels;
import io.feedhandler.replay.server.ReplayServerContext;
import io.feedhandler.transport.TransportContext;
import net.openhft.chronicle.queue.RollCycle;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Everything a publisher is configured with. Fluent setters; {@link #conclude()} checks every value
 * and throws {@link IllegalArgumentException} naming the first bad one.
 */
public final class PublisherContext
{
    private TransportContext transport = new TransportContext();
    private Path journalDirectory = Path.of(JournalConfiguration.DIRECTORY);
    private TickSource source;
    private long rate = PublisherConfiguration.RATE;
    private int burst = PublisherConfiguration.BURST;
    private long count;
    private long durationNanos;
    private long heartbeatIntervalNanos = PublisherConfiguration.HEARTBEAT_INTERVAL_NANOS;
    private long definitionsIntervalNanos = PublisherConfiguration.DEFINITIONS_INTERVAL_NANOS;
    private long connectTimeoutNanos = PublisherConfiguration.CONNECT_TIMEOUT_NANOS;
    private long lingerNanos = PublisherConfiguration.LINGER_NANOS;
    private long drainTimeoutNanos = PublisherConfiguration.DRAIN_TIMEOUT_NANOS;
    private int maxBatchTicks = PublisherConfiguration.MAX_BATCH_TICKS;
    private TickSchedule schedule;
    private RollCycle rollCycle = JournalConfiguration.ROLL_CYCLE;
    private int retainCycles;
    private long retentionCheckIntervalNanos = PublisherConfiguration.RETENTION_CHECK_INTERVAL_NANOS;
    private ReplayServerContext replayServer = new ReplayServerContext();
    private long replayDrainTimeoutNanos = PublisherConfiguration.REPLAY_DRAIN_TIMEOUT_NANOS;
    private JournalFullPolicy journalFullPolicy = PublisherConfiguration.JOURNAL_FULL_POLICY;
    private long minFreeDiskBytes = JournalConfiguration.MIN_FREE_DISK_BYTES;
    private long diskCheckIntervalNanos = PublisherConfiguration.DISK_CHECK_INTERVAL_NANOS;
    private long otherPublisherCheckIntervalNanos = PublisherConfiguration.OTHER_PUBLISHER_CHECK_NANOS;
    private LongSupplier usableDiskSpace;
    private DamagedJournalPolicy onDamagedJournal = PublisherConfiguration.DAMAGED_JOURNAL_POLICY;
    private BooleanSupplier stopRequested = () -> false;

    public PublisherContext conclude()
    {
        transport.validate(TransportContext.Direction.PUBLISH);
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
        requirePositive("drain timeout", drainTimeoutNanos);
        requireNonNegative("--replay-drain-timeout", replayDrainTimeoutNanos);
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
        if (minFreeDiskBytes < JournalConfiguration.MIN_MIN_FREE_DISK_BYTES)
        {
            throw new IllegalArgumentException("bad --min-free-disk " + minFreeDiskBytes + " bytes: must be at least " +
                "1m (" + JournalConfiguration.MIN_MIN_FREE_DISK_BYTES + " bytes)");
        }
        requirePositive("disk check interval", diskCheckIntervalNanos);
        requireNonNegative("--other-publisher-check", otherPublisherCheckIntervalNanos);
        if (maxBatchTicks == 0)
        {
            // One datagram's worth: a batch then leaves as one datagram, never fragmented.
            final int payload = transport.bChannel() == null ? FeedChannels.maxPayloadLength(transport.channel()) :
                Math.min(FeedChannels.maxPayloadLength(transport.channel()), FeedChannels.maxPayloadLength(transport.bChannel()));
            maxBatchTicks = QuoteBatchWriter.quotesThatFit(payload);
        }
        if (maxBatchTicks < 1 || maxBatchTicks > QuoteBatchWriter.MAX_QUOTES)
        {
            throw new IllegalArgumentException("bad --max-batch-ticks " + maxBatchTicks + ": must be 1 to " +
                QuoteBatchWriter.MAX_QUOTES + " (0 = what one datagram of the channel's MTU holds)");
        }
        return this;
    }

    /** The live stream, the media driver, the hot-path thread and the clocks. */
    public TransportContext transport()
    {
        return transport;
    }

    public PublisherContext transport(final TransportContext transport)
    {
        this.transport = transport;
        return this;
    }

    /** Set what the transport is configured with, in the same chain: {@code .transport(t -> t.channel(...))}. */
    public PublisherContext transport(final Consumer<TransportContext> settings)
    {
        settings.accept(transport);
        return this;
    }

    /** Most ticks in one batch (one journal entry, one message on the wire); 0 until concluded means "one datagram's worth". */
    public int maxBatchTicks()
    {
        return maxBatchTicks;
    }

    public PublisherContext maxBatchTicks(final int maxBatchTicks)
    {
        this.maxBatchTicks = maxBatchTicks;
        return this;
    }

    /** How long, after the last tick, the last ticks may take to leave before lingering regardless. */
    public long drainTimeoutNanos()
    {
        return drainTimeoutNanos;
    }

    public PublisherContext drainTimeoutNanos(final long drainTimeoutNanos)
    {
        this.drainTimeoutNanos = drainTimeoutNanos;
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

    /** How often to listen briefly on the multicast group for another publisher of this stream; 0 = never. */
    public long otherPublisherCheckIntervalNanos()
    {
        return otherPublisherCheckIntervalNanos;
    }

    public PublisherContext otherPublisherCheckIntervalNanos(final long otherPublisherCheckIntervalNanos)
    {
        this.otherPublisherCheckIntervalNanos = otherPublisherCheckIntervalNanos;
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

    /**
     * Whether the process was asked to stop (SIGINT/SIGTERM) while the publisher starts: the start-up
     * journal check is then given up (an interrupted check is no verdict) and nothing is started.
     */
    public BooleanSupplier stopRequested()
    {
        return stopRequested;
    }

    public PublisherContext stopRequested(final BooleanSupplier stopRequested)
    {
        this.stopRequested = stopRequested;
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







    TickSchedule schedule()
    {
        return schedule;
    }
}
