package io.feedhandler.cli;

import io.feedhandler.journal.JournalConfiguration;
import io.feedhandler.journal.JournalException;
import io.feedhandler.journal.JournalSpace;
import io.feedhandler.publisher.CsvTickSource;
import io.feedhandler.publisher.DamagedJournalPolicy;
import io.feedhandler.publisher.JournalFullPolicy;
import io.feedhandler.publisher.Publisher;
import io.feedhandler.publisher.PublisherContext;
import io.feedhandler.publisher.PublisherStats;
import io.feedhandler.publisher.SyntheticMarket;
import io.feedhandler.publisher.TickSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Publish ticks: sequence each one, append it to the journal, then send it on the live stream.",
        "Ticks come from a seeded synthetic market, or from a CSV file (--csv).",
        "Ends after --count ticks, after --duration, when the CSV is exhausted, or on SIGINT/SIGTERM,",
        "and prints a JSON summary line last on stdout."})
final class PublishCommand implements Callable<Integer>
{
    @Mixin
    ChannelOptions channel;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (default: ${DEFAULT-VALUE}).")
    Path journal = Path.of("feed-journal");

    @Option(names = "--rate", paramLabel = "TICKS_PER_S",
        description = "Ticks per second on a fixed schedule; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    long rate = 100_000;

    @Option(names = "--burst", paramLabel = "N",
        description = "Send ticks in bursts of N at the same instant, same average rate (default: ${DEFAULT-VALUE}).")
    int burst = 1;

    @Option(names = "--count", paramLabel = "N", description = "Ticks to publish; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "0",
        description = "How long to publish, e.g. 30s, 5m; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long durationNanos;

    @Option(names = "--instruments", paramLabel = "N",
        description = "Instruments in the synthetic market (default: ${DEFAULT-VALUE}).")
    int instruments = 100;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the synthetic market (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--csv", paramLabel = "FILE",
        description = "Publish the ticks of FILE (columns: " + CsvTickSource.COLUMNS + ") instead of the synthetic market.")
    Path csv;

    @Option(names = "--heartbeat-interval", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = "1s", description = "Send a heartbeat when quiet for this long (default: ${DEFAULT-VALUE}).")
    long heartbeatIntervalNanos;

    @Option(names = "--connect-timeout", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "5s",
        description = "Wait this long for a first subscriber before publishing regardless (default: ${DEFAULT-VALUE}).")
    long connectTimeoutNanos;

    /** The library's default, PublisherContext.DEFAULT_LINGER_NANOS, as the command line writes it. */
    static final String DEFAULT_LINGER = "5s";

    @Option(names = "--linger", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = DEFAULT_LINGER,
        description = "After the last tick, keep the stream open this long for retransmits and for stalled " +
            "subscribers to ask for replay (default: ${DEFAULT-VALUE}).")
    long lingerNanos;

    @Mixin
    ReplayServerOptions replay;

    @Option(names = "--no-replay-server", description = "Do not run the embedded replay server (run 'feed replay-server' instead).")
    boolean noReplayServer;

    @Option(names = "--roll-cycle", paramLabel = "CYCLE",
        description = "How a new journal is split into files: FIVE_MINUTELY, TEN_MINUTELY, HALF_HOURLY, FAST_HOURLY, " +
            "TWO_HOURLY, FOUR_HOURLY, SIX_HOURLY, FAST_DAILY (default: ${DEFAULT-VALUE}).")
    String rollCycle = "FAST_HOURLY";

    @Option(names = "--replay-drain-timeout", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = "10s",
        description = "After the last tick, keep serving replay sessions in progress for up to this long " +
            "(default: ${DEFAULT-VALUE}).")
    long replayDrainTimeoutNanos;

    @Option(names = "--retain-cycles", paramLabel = "N",
        description = "Keep at most N journal cycle files, deleting the oldest; 0 = keep all (default: ${DEFAULT-VALUE}).")
    int retainCycles;

    @Option(names = "--on-journal-full", paramLabel = "POLICY",
        description = "When the journal's disk is down to --min-free-disk: 'stop' sends nothing more (heartbeats go " +
            "on) until there is room again, so nothing goes live that replay cannot serve; 'live-only' keeps sending " +
            "live without journaling and records the range, which replay refuses (NOT_JOURNALED) " +
            "(default: ${DEFAULT-VALUE}).")
    String onJournalFull = JournalFullPolicy.STOP.cliName();

    @Option(names = "--min-free-disk", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "Free space to leave on the journal's file system, e.g. 64m, 1g; journaling stops before " +
            "eating into it and resumes at twice it (default: 64m, at least 1m).")
    long minFreeDiskBytes = JournalConfiguration.MIN_FREE_DISK_BYTES;

    @Option(names = "--on-damaged-journal", paramLabel = "ACTION",
        description = "When the start-up check finds the journal damaged: refuse (exit 2 naming the first bad " +
            "sequence), or archive (move it aside intact as <journal>.damaged-<time>, copy its good prefix into a fresh " +
            "journal, publish on from the last good sequence + 1) (default: ${DEFAULT-VALUE}).")
    String onDamagedJournal = "refuse";

    @Option(names = "--status-interval", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "10s",
        description = "Log the counters on stderr this often while running; 0 = never (default: ${DEFAULT-VALUE}).")
    long statusIntervalNanos;

    @Mixin
    ConfigOptions config;

    public Integer call() throws Exception
    {
        // Not a static field: picocli builds every command for any command line, and logback takes
        // about half a second of CPU to start, which --help and --print-config need not pay.
        final Logger log = LoggerFactory.getLogger(PublishCommand.class);
        final TickSource source = csv != null ? CsvTickSource.load(csv) : new SyntheticMarket(instruments, seed);
        final PublisherContext context = new PublisherContext()
            .transport(channel.context())
            .journalDirectory(journal)
            .source(source)
            .rate(rate)
            .burst(burst)
            .count(count)
            .durationNanos(durationNanos)
            .heartbeatIntervalNanos(heartbeatIntervalNanos)
            .connectTimeoutNanos(connectTimeoutNanos)
            .lingerNanos(lingerNanos)
            .rollCycle(io.feedhandler.journal.Journal.rollCycle(rollCycle))
            .retainCycles(retainCycles)
            .replayDrainTimeoutNanos(replayDrainTimeoutNanos)
            .journalFullPolicy(JournalFullPolicy.parse(onJournalFull))
            .minFreeDiskBytes(minFreeDiskBytes)
            .onDamagedJournal(DamagedJournalPolicy.parse(onDamagedJournal))
            .replayServer(noReplayServer ? null : replay.context(
                channel.idleStrategy != null ? channel.idleStrategy : channel.feedProfile().defaultIdleStrategy()));

        try (ShutdownSignal signal = new ShutdownSignal(); Publisher publisher = launch(context))
        {
            signal.onSignal(publisher::stop);
            log.info("{}", config.describe());
            log.info("publishing on {} stream {}, journal {} (continuing after sequence {}), rate {}/s, profile {}, " +
                "idle {}{}, source {}; {}", context.transport().channel(), context.transport().streamId(), journal.toAbsolutePath(),
                publisher.journal().lastIssuedSequence(), rate, context.transport().profile().cliName(), context.transport().idleStrategy(),
                context.transport().cpu() >= 0 ? ", cpu " + context.transport().cpu() : "",
                csv != null ? csv : "synthetic(" + instruments + " instruments, seed " + seed + ")",
                noReplayServer ? "no replay server" : "replay server on " + replay.requests.channel + " stream " + replay.requests.streamId);
            long nextStatus = System.nanoTime() + statusIntervalNanos;
            while (!publisher.awaitCompletion(100, TimeUnit.MILLISECONDS))
            {
                if (statusIntervalNanos > 0 && System.nanoTime() - nextStatus >= 0)
                {
                    nextStatus += statusIntervalNanos;
                    log.info("status: {}", publisher.progress());
                }
            }
            final PublisherStats stats = publisher.stats();
            final io.feedhandler.codecs.SummaryLine line = stats.toSummaryLine();
            if (publisher.replayServer() != null)
            {
                line.add("replay", publisher.replayServer().counters().toSummaryLine());
            }
            if (publisher.salvage() != null)
            {
                line.add("journalSalvaged", new io.feedhandler.codecs.SummaryLine()
                    .add("archive", publisher.salvage().archive().toString())
                    .add("keptFirstSeq", publisher.salvage().firstSequence())
                    .add("keptLastSeq", publisher.salvage().lastSequence()));
            }
            System.out.println(line);
            System.out.flush();
            if (publisher.failure() != null)
            {
                throw new RuntimeException("publisher failed: " + publisher.failure(), publisher.failure());
            }
            if (stats.endedStopped())
            {
                // Policy stop and no room came back: ticks that were due were never published.
                log.error("ended with the journal full (policy stop): publishing had stopped at sequence {}; the " +
                    "journal holds everything sent up to {}", stats.journalLastSeq() + 1, stats.journalLastSeq());
                return FeedMain.EXIT_FAILURE;
            }
            return 0;
        }
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
