package io.feedhandler.cli;

import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalConfiguration;
import io.feedhandler.journal.JournalException;
import io.feedhandler.publisher.CsvTickSource;
import io.feedhandler.publisher.DamagedJournalPolicy;
import io.feedhandler.publisher.JournalFullPolicy;
import io.feedhandler.publisher.Publisher;
import io.feedhandler.publisher.PublisherConfiguration;
import io.feedhandler.publisher.PublisherContext;
import io.feedhandler.publisher.PublisherStats;
import io.feedhandler.publisher.SyntheticMarket;
import io.feedhandler.publisher.TickSource;
import io.feedhandler.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Publish ticks: sequence each one, append it to the journal, then send it on the live " +
            "stream.",
        "Ticks come from a seeded synthetic market, or from a CSV file (--csv). Ends after --count " +
            "ticks, after --duration, when the CSV is exhausted, or on SIGINT/SIGTERM, and prints a " +
            "JSON summary line last on stdout."})
final class PublishCommand implements Callable<Integer>, StopsOnSignal
{
    @Mixin
    TransportOptions transport;

    @Mixin
    JournalOptions journal;

    @Option(names = "--rate", paramLabel = "TICKS_PER_S",
        description = "Ticks per second on a fixed schedule; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    long rate = PublisherConfiguration.RATE;

    @Option(names = "--burst", paramLabel = "N",
        description = "Send ticks in bursts of N at the same instant, same average rate (default: ${DEFAULT-VALUE}).")
    int burst = PublisherConfiguration.BURST;

    @Mixin
    RunLimits limits;

    @Option(names = "--instruments", paramLabel = "N",
        description = "Instruments in the synthetic market (default: ${DEFAULT-VALUE}).")
    int instruments = PublisherConfiguration.INSTRUMENTS;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the synthetic market (default: ${DEFAULT-VALUE}).")
    long seed = PublisherConfiguration.SEED;

    @Option(names = "--csv", paramLabel = "FILE",
        description = "Publish the ticks of FILE (columns: " + CsvTickSource.COLUMNS + ") instead of the synthetic market.")
    Path csv;

    @Option(names = "--max-batch-ticks", paramLabel = "N",
        description = "Most ticks in one batch: one journal entry and one message on the wire. Each duty cycle " +
            "takes every tick that is due, up to this, so at low rates a batch is one tick; 0 = what one datagram " +
            "of the channel's MTU holds (25 at 1408 bytes, 156 at mtu=8k) (default: ${DEFAULT-VALUE}).")
    int maxBatchTicks = PublisherConfiguration.MAX_BATCH_TICKS;

    @Option(names = "--heartbeat-interval", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = PublisherConfiguration.HEARTBEAT_INTERVAL,
        description = "Send a heartbeat when quiet for this long (default: ${DEFAULT-VALUE}).")
    long heartbeatIntervalNanos;

    @Option(names = "--connect-timeout", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = PublisherConfiguration.CONNECT_TIMEOUT,
        description = "Wait this long for a first subscriber before publishing regardless (default: ${DEFAULT-VALUE}).")
    long connectTimeoutNanos;

    @Option(names = "--linger", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = PublisherConfiguration.LINGER,
        description = "After the last tick, keep the stream open this long for retransmits and for stalled " +
            "subscribers to ask for replay (default: ${DEFAULT-VALUE}).")
    long lingerNanos;

    @Mixin
    ReplayServerOptions replay;

    @Option(names = "--no-replay-server", description = "Do not run the embedded replay server (run 'feed replay-server' instead).")
    boolean noReplayServer;

    @Option(names = "--roll-cycle", paramLabel = "CYCLE", completionCandidates = Choices.RollCycleNames.class,
        description = "How a new journal is split into files, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String rollCycle = JournalConfiguration.ROLL_CYCLE_NAME;

    @Option(names = "--replay-drain-timeout", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = PublisherConfiguration.REPLAY_DRAIN_TIMEOUT,
        description = "After the last tick, keep serving replay sessions in progress for up to this long " +
            "(default: ${DEFAULT-VALUE}).")
    long replayDrainTimeoutNanos;

    @Option(names = "--retain-cycles", paramLabel = "N",
        description = "Keep at most N journal cycle files, deleting the oldest; 0 = keep all (default: ${DEFAULT-VALUE}).")
    int retainCycles;

    @Option(names = "--on-journal-full", paramLabel = "POLICY", completionCandidates = Choices.JournalFullPolicies.class,
        description = "One of ${COMPLETION-CANDIDATES}. When the journal's disk is down to --min-free-disk: 'stop' sends nothing more (heartbeats go " +
            "on) until there is room again, so nothing goes live that replay cannot serve; 'live-only' keeps sending " +
            "live without journaling and records the range, which replay refuses (NOT_JOURNALED) " +
            "(default: ${DEFAULT-VALUE}).")
    String onJournalFull = PublisherConfiguration.JOURNAL_FULL_POLICY.cliName();

    @Option(names = "--min-free-disk", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "Free space to leave on the journal's file system, e.g. 64m, 1g; journaling stops before " +
            "eating into it and resumes at twice it (default: 64m, at least 1m).")
    long minFreeDiskBytes = JournalConfiguration.MIN_FREE_DISK_BYTES;

    @Option(names = "--on-damaged-journal", paramLabel = "ACTION",
        completionCandidates = Choices.DamagedJournalPolicies.class,
        description = "One of ${COMPLETION-CANDIDATES}. When the start-up check finds the journal damaged: refuse (exit 2 naming the first bad " +
            "sequence), or archive (move it aside intact as <journal>.damaged-<time>, copy its good prefix into a fresh " +
            "journal, publish on from the last good sequence + 1) (default: ${DEFAULT-VALUE}).")
    String onDamagedJournal = PublisherConfiguration.DAMAGED_JOURNAL_POLICY.cliName();

    @Option(names = "--other-publisher-check", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = PublisherConfiguration.OTHER_PUBLISHER_CHECK,
        description = "How often to listen for a fifth of a second on the multicast group for another publisher on " +
            "the same channel and stream (another journal), which is reported once and counted (otherPublishers); " +
            "0 = never (default: ${DEFAULT-VALUE}).")
    long otherPublisherCheckNanos;

    @Mixin
    ConfigOptions config;

    public Integer call() throws Exception
    {
        // Not a static field: picocli builds every command for any command line, and logback takes
        // about half a second of CPU to start, which --help and --print-config need not pay.
        final Logger log = LoggerFactory.getLogger(PublishCommand.class);
        final CsvTickSource csvSource = csv != null ? loadCsv(log) : null;
        try
        {
            return run(log, csvSource != null ? csvSource : new SyntheticMarket(instruments, seed));
        }
        finally
        {
            if (csvSource != null)
            {
                csvSource.close();
            }
        }
    }

    /**
     * Check the whole CSV before anything is published (a bad line is a bad argument), indexing it
     * for publishing in constant memory; a large file logs how far the check has got.
     */
    private CsvTickSource loadCsv(final Logger log)
    {
        final long start = System.nanoTime();
        final CsvTickSource source = CsvTickSource.load(csv, (read, total, ticks) ->
            log.info(String.format(java.util.Locale.ROOT, "checking %s: %d%% (%,d of %,d MB, %,d ticks)", csv,
                Math.round(100.0 * read / total), read >> 20, total >> 20, ticks)));
        log.info(String.format(java.util.Locale.ROOT, "checked %s: %,d ticks of %d instruments in %.1f s", csv,
            source.size(), source.instruments().size(), (System.nanoTime() - start) / 1e9));
        return source;
    }

    private Integer run(final Logger log, final TickSource source) throws Exception
    {
        final PublisherContext context = new PublisherContext()
            .transport(transport.hotThreads(noReplayServer ? 1 : 2).context())
            .journalDirectory(journal.directory)
            .source(source)
            .rate(rate)
            .burst(burst)
            .maxBatchTicks(maxBatchTicks)
            .count(limits.count)
            .durationNanos(limits.durationNanos)
            .heartbeatIntervalNanos(heartbeatIntervalNanos)
            .connectTimeoutNanos(connectTimeoutNanos)
            .lingerNanos(lingerNanos)
            .rollCycle(Journal.rollCycle(rollCycle))
            .retainCycles(retainCycles)
            .replayDrainTimeoutNanos(replayDrainTimeoutNanos)
            .journalFullPolicy(JournalFullPolicy.parse(onJournalFull))
            .minFreeDiskBytes(minFreeDiskBytes)
            .onDamagedJournal(DamagedJournalPolicy.parse(onDamagedJournal))
            .stopRequested(Signals::received)
            .otherPublisherCheckIntervalNanos(otherPublisherCheckNanos)
            .replayServer(noReplayServer ? null : replay.context(transport.idleStrategy()));

        return new RunLoop(log, config, limits.statusIntervalNanos).run(() ->
        {
            final Publisher publisher = launch(context);
            return new RunLoop.Run("publisher", publisher, publisher::stop, publisher::awaitCompletion,
                publisher::progress, publisher::failure)
            {
                String startLine()
                {
                    return describeStart(publisher, context);
                }

                SummaryLine summary()
                {
                    return summaryOf(publisher);
                }

                int exitCode()
                {
                    return exitCodeOf(publisher.stats(), log);
                }
            };
        }, PublishCommand::notStarted);
    }

    /** The summary of a publisher stopped before it started: nothing published. */
    private static SummaryLine notStarted()
    {
        return new SummaryLine()
            .add("role", "publisher")
            .add("published", 0)
            .add("firstSeq", 0)
            .add("lastSeq", 0)
            .add("backPressured", 0)
            .add("digest", QuoteDigest.toHex(QuoteDigest.INITIAL))
            .add("ratePerSec", 0);
    }

    private String describeStart(final Publisher publisher, final PublisherContext context)
    {
        final TransportContext live = context.transport();
        return "publishing on " + live.describeLines() + " stream " + live.streamId() + ", journal " +
            journal.directory.toAbsolutePath() + " (" + journalStart(publisher) + ", epoch " +
            String.format("%016x", publisher.epoch()) + "), rate " + rate + "/s, batches of up to " + context.maxBatchTicks() + " ticks, profile " + live.profile().cliName() + transport.profileChoice() +
            ", idle " + live.idleStrategy() + (live.cpu() >= 0 ? ", cpu " + live.cpu() : "") + ", source " +
            (csv != null ? csv : "synthetic(" + instruments + " instruments, seed " + seed + ")") + "; " +
            (context.replayServer() == null ? "no replay server" :
                "replay server on " + context.replayServer().replayChannel() + " stream " +
                context.replayServer().replayStreamId());
    }

    /**
     * What is true of the journal at the start, read before the first tick: a new one starts at 1; one
     * that holds sequences goes on after its last (a retained journal may start above 1).
     */
    static String journalStart(final Publisher publisher)
    {
        final long next = publisher.startSequence();
        if (next == 1)
        {
            return "new journal, starting at sequence 1";
        }
        final long first = publisher.journalFirstSequence();
        return "journal holds sequences " + (first > 0 ? first : 1) + ".." + (next - 1) + ", continuing at sequence " + next;
    }

    private static SummaryLine summaryOf(final Publisher publisher)
    {
        final SummaryLine line = publisher.stats().toSummaryLine().add("otherPublishers", publisher.otherPublishers());
        if (publisher.replayServer() != null)
        {
            line.add("replay", publisher.replayServer().counters().toSummaryLine());
        }
        if (publisher.salvage() != null)
        {
            line.add("journalSalvaged", new SummaryLine()
                .add("archive", publisher.salvage().archive().toString())
                .add("keptFirstSeq", publisher.salvage().firstSequence())
                .add("keptLastSeq", publisher.salvage().lastSequence()));
        }
        return line;
    }

    private static int exitCodeOf(final PublisherStats stats, final Logger log)
    {
        if (stats.endedStopped())
        {
            // Policy stop and no room came back: ticks that were due were never published.
            log.error("ended with the journal full (policy stop): publishing had stopped at sequence {}; the " +
                "journal holds everything sent up to {}", stats.journalLastSeq() + 1, stats.journalLastSeq());
            return FeedMain.EXIT_FAILURE;
        }
        return FeedMain.EXIT_OK;
    }

    private static Publisher launch(final PublisherContext context)
    {
        try
        {
            return Publisher.launch(context);
        }
        catch (final JournalException ex)
        {
            throw new UsageError(ex.getMessage());
        }
    }
}
