package io.feedhandler.replica;

import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.journal.JournalConfiguration;
import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.replay.server.ReplayServerContext;
import io.feedhandler.subscriber.SlowConsumerPolicy;
import io.feedhandler.subscriber.SubscriberContext;
import io.feedhandler.transport.FeedChannels;
import io.feedhandler.transport.OptionChecks;
import net.openhft.chronicle.queue.RollCycle;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Everything a replica is configured with: the subscriber that follows its upstream (live channel,
 * upstream replay server), the replay server it runs on its own journal, and that journal. Fluent
 * setters; {@link #conclude()} checks every value and refuses what a replica cannot be (a subscriber
 * that skips ticks would journal a history with holes its upstream does not have).
 */
public final class ReplicaContext
{
    private SubscriberContext subscriber = new SubscriberContext();
    private ReplayServerContext server = new ReplayServerContext()
        .replayChannel(ReplicaConfiguration.SERVE_CHANNEL)
        .replayStreamId(ReplicaConfiguration.SERVE_STREAM_ID);
    private Path journalDirectory;
    private RollCycle rollCycle = JournalConfiguration.ROLL_CYCLE;
    private long minFreeDiskBytes = JournalConfiguration.MIN_FREE_DISK_BYTES;
    private int maxBatchTicks = ReplicaConfiguration.MAX_BATCH_TICKS;
    private int retainCycles;
    private long retentionCheckIntervalNanos = ReplicaConfiguration.RETENTION_CHECK_INTERVAL_NANOS;
    private boolean archiveDamagedJournal;
    private long stateIntervalNanos = ReplicaConfiguration.STATE_INTERVAL_NANOS;
    private BooleanSupplier stopRequested = () -> false;

    /**
     * @throws IllegalArgumentException naming the first bad value.
     */
    public ReplicaContext conclude()
    {
        if (journalDirectory == null)
        {
            throw new IllegalArgumentException("bad --journal: a replica needs a journal directory of its own");
        }
        refuseSkippingTicks();
        FeedChannels.validate("--serve-channel", server.replayChannel());
        FeedChannels.validateStreamId("--serve-stream", server.replayStreamId());
        subscriber
            .recovery(true)
            .lostIsFatal(true)
            // Every definition is journaled: none may be left out for capacity.
            .maxInstruments(Math.max(subscriber.maxInstruments(), ReplayConfiguration.MAX_SNAPSHOT_INSTRUMENTS))
            .conclude();
        for (final String upstream : subscriber.replayChannels())
        {
            if (FeedChannels.sameDestination(server.replayChannel(), upstream))
            {
                throw new IllegalArgumentException("bad --serve-channel '" + server.replayChannel() + "': it is " +
                    "an upstream in --replay-channel; a replica serves on its own address and pulls from other servers");
            }
        }
        server.conclude();
        if (maxBatchTicks == 0)
        {
            // One datagram's worth of the live channel, as the publisher's batches are.
            maxBatchTicks = QuoteBatchWriter.quotesThatFit(FeedChannels.maxPayloadLength(subscriber.transport().channel()));
        }
        OptionChecks.within("--max-batch-ticks", maxBatchTicks, 1, QuoteBatchWriter.MAX_QUOTES, "");
        OptionChecks.atLeast("--retain-cycles", retainCycles, 0);
        OptionChecks.positiveNanos("retention check interval", retentionCheckIntervalNanos);
        OptionChecks.atLeast("--min-free-disk", minFreeDiskBytes, JournalConfiguration.MIN_MIN_FREE_DISK_BYTES);
        OptionChecks.positiveNanos("replica state interval", stateIntervalNanos);
        return this;
    }

    private void refuseSkippingTicks()
    {
        final List<String> instruments = subscriber.instruments();
        if (instruments != null && !instruments.isEmpty())
        {
            throw refused("--instrument " + String.join(",", instruments));
        }
        if (subscriber.snapshot())
        {
            throw refused("--snapshot");
        }
        if (subscriber.slowConsumer() == SlowConsumerPolicy.CONFLATE)
        {
            throw refused("--slow-consumer conflate");
        }
        if (!subscriber.recovery())
        {
            throw refused("--no-recovery");
        }
        if (subscriber.count() != 0)
        {
            throw refused("--count " + subscriber.count());
        }
        if (subscriber.journalDirectory() != null)
        {
            throw new IllegalArgumentException("bad local recovery journal '" + subscriber.journalDirectory() +
                "': a replica pulls from its upstream's replay server (--replay-channel)");
        }
    }

    private static IllegalArgumentException refused(final String option)
    {
        return new IllegalArgumentException("bad " + option + ": a replica journals every tick of the stream, " +
            "so its history equals its upstream's");
    }

    /** The subscriber that follows the upstream: live channel, stream and upstream replay server. */
    public SubscriberContext subscriber()
    {
        return subscriber;
    }

    public ReplicaContext subscriber(final SubscriberContext subscriber)
    {
        this.subscriber = subscriber;
        return this;
    }

    /** The replay server on the replica's journal: where it serves ({@code --serve-channel}) and its bounds. */
    public ReplayServerContext server()
    {
        return server;
    }

    public ReplicaContext server(final ReplayServerContext server)
    {
        this.server = server;
        return this;
    }

    public Path journalDirectory()
    {
        return journalDirectory;
    }

    public ReplicaContext journalDirectory(final Path journalDirectory)
    {
        this.journalDirectory = journalDirectory;
        return this;
    }

    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    /** How a new journal is split into files; an existing one keeps its own. */
    public ReplicaContext rollCycle(final RollCycle rollCycle)
    {
        this.rollCycle = rollCycle;
        return this;
    }

    public long minFreeDiskBytes()
    {
        return minFreeDiskBytes;
    }

    /** Free space journaling leaves on the journal's file system; reaching it ends the run (FAILED). */
    public ReplicaContext minFreeDiskBytes(final long minFreeDiskBytes)
    {
        this.minFreeDiskBytes = minFreeDiskBytes;
        return this;
    }

    /** Most ticks in one journal entry; 0 until concluded means one datagram of the live channel. */
    public int maxBatchTicks()
    {
        return maxBatchTicks;
    }

    public ReplicaContext maxBatchTicks(final int maxBatchTicks)
    {
        this.maxBatchTicks = maxBatchTicks;
        return this;
    }

    public int retainCycles()
    {
        return retainCycles;
    }

    /** Keep at most this many cycle files; 0 = all. */
    public ReplicaContext retainCycles(final int retainCycles)
    {
        this.retainCycles = retainCycles;
        return this;
    }

    public long retentionCheckIntervalNanos()
    {
        return retentionCheckIntervalNanos;
    }

    public ReplicaContext retentionCheckIntervalNanos(final long retentionCheckIntervalNanos)
    {
        this.retentionCheckIntervalNanos = retentionCheckIntervalNanos;
        return this;
    }

    public boolean archiveDamagedJournal()
    {
        return archiveDamagedJournal;
    }

    /**
     * A journal the start-up check finds damaged is moved aside and its good prefix kept, under the same
     * epoch (the tail is pulled again); false refuses to start.
     */
    public ReplicaContext archiveDamagedJournal(final boolean archiveDamagedJournal)
    {
        this.archiveDamagedJournal = archiveDamagedJournal;
        return this;
    }

    public long stateIntervalNanos()
    {
        return stateIntervalNanos;
    }

    /** How often {@code replica.state} is written. */
    public ReplicaContext stateIntervalNanos(final long stateIntervalNanos)
    {
        this.stateIntervalNanos = stateIntervalNanos;
        return this;
    }

    public BooleanSupplier stopRequested()
    {
        return stopRequested;
    }

    /** Asked during the start-up check of a large journal: true stops it. */
    public ReplicaContext stopRequested(final BooleanSupplier stopRequested)
    {
        this.stopRequested = stopRequested;
        return this;
    }
}
