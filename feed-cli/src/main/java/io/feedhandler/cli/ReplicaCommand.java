package io.feedhandler.cli;

import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalConfiguration;
import io.feedhandler.journal.JournalException;
import io.feedhandler.publisher.DamagedJournalPolicy;
import io.feedhandler.replica.Replica;
import io.feedhandler.replica.ReplicaConfiguration;
import io.feedhandler.replica.ReplicaContext;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.LoggingStatusListener;
import io.feedhandler.subscriber.SubscriberContext;
import io.feedhandler.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "replica", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Keep a copy of the stream's journal on this host and serve replays from it.",
        "A durable subscriber of the live stream that journals every tick it delivers (the same entries, " +
            "definitions and epoch as its upstream's journal: digests over any range are equal), pulls what it " +
            "misses from its upstream (--replay-channel: the publisher's server or another replica's), resumes " +
            "after its journal's last sequence when restarted, and serves replays on --serve-channel with the " +
            "replay server's protocol and bounds. Runs until SIGINT/SIGTERM, then prints a JSON summary line."})
final class ReplicaCommand implements Callable<Integer>, StopsOnSignal
{
    @Mixin
    TransportOptions transport;

    @Option(names = "--journal", paramLabel = "DIR",
        description = "The replica's own journal directory (required): created when new; an existing one must be a " +
            "replica's journal of this stream, and the replica goes on after its last sequence.")
    Path journal;

    @Mixin
    UpstreamOptions upstream;

    @Option(names = "--serve-channel", paramLabel = "URI",
        description = {"Where this replica's replay server listens: another address than its upstream's",
            "(default: ${DEFAULT-VALUE})."}) // the URI on a line of its own
    String serveChannel = ReplicaConfiguration.SERVE_CHANNEL;

    @Option(names = "--serve-stream", paramLabel = "ID",
        description = "Stream id of the replica's replay requests (default: ${DEFAULT-VALUE}).")
    int serveStream = ReplicaConfiguration.SERVE_STREAM_ID;

    @Mixin
    ReplayServerBoundsOptions server;

    @Option(names = "--max-batch-ticks", paramLabel = "N",
        description = "Most ticks in one journal entry; a batch is also cut at each duty cycle; 0 = what one " +
            "datagram of the live channel's MTU holds (default: ${DEFAULT-VALUE}).")
    int maxBatchTicks = ReplicaConfiguration.MAX_BATCH_TICKS;

    @Option(names = "--roll-cycle", paramLabel = "CYCLE", completionCandidates = Choices.RollCycleNames.class,
        description = "How a new journal is split into files, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String rollCycle = JournalConfiguration.ROLL_CYCLE_NAME;

    @Option(names = "--retain-cycles", paramLabel = "N",
        description = "Keep at most N journal cycle files, deleting the oldest; 0 = keep all (default: ${DEFAULT-VALUE}).")
    int retainCycles;

    @Option(names = "--min-free-disk", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "Free space to leave on the journal's file system, e.g. 64m, 1g; reaching it stops the replica " +
            "(exit 1): a replica never skips a tick (default: 64m, at least 1m).")
    long minFreeDiskBytes = JournalConfiguration.MIN_FREE_DISK_BYTES;

    @Option(names = "--on-damaged-journal", paramLabel = "ACTION",
        completionCandidates = Choices.DamagedJournalPolicies.class,
        description = "One of ${COMPLETION-CANDIDATES}. When the start-up check finds the journal damaged (a kill " +
            "during an append): refuse (exit 2 naming the first bad sequence), or archive (move it aside intact, copy " +
            "its good prefix into a fresh journal under the same epoch, pull the rest from the upstream again) " +
            "(default: ${DEFAULT-VALUE}).")
    String onDamagedJournal = DamagedJournalPolicy.REFUSE.cliName();

    @Mixin
    ConfigOptions config;

    public Integer call() throws Exception
    {
        // Not a static field: picocli builds every command for any command line, and logback takes
        // about half a second of CPU to start, which --help and --print-config need not pay.
        final Logger log = LoggerFactory.getLogger(ReplicaCommand.class);
        final SubscriberContext subscriber = upstream.applyTo(new SubscriberContext()
            .transport(transport.hotThreads(2).context()));
        final ReplicaContext context = new ReplicaContext()
            .subscriber(subscriber)
            .journalDirectory(journal)
            .server(server.context(transport.idleStrategy()).replayChannel(serveChannel).replayStreamId(serveStream))
            .maxBatchTicks(maxBatchTicks)
            .rollCycle(Journal.rollCycle(rollCycle))
            .retainCycles(retainCycles)
            .minFreeDiskBytes(minFreeDiskBytes)
            .archiveDamagedJournal(DamagedJournalPolicy.parse(onDamagedJournal) == DamagedJournalPolicy.ARCHIVE)
            .stopRequested(Signals::received);
        final FeedStatusListener status = new LoggingStatusListener(log, upstream.staleTimeoutNanos);

        return new RunLoop(log, config, 0).run(() ->
        {
            final Replica replica = launch(context, status);
            return new RunLoop.Run("replica", replica, replica::stop, replica::awaitCompletion, replica::progress,
                replica::failure)
            {
                String startLine()
                {
                    final TransportContext live = context.subscriber().transport();
                    final long last = replica.startSequence() - 1;
                    return "replica of " + subscriber.replayChannel() + " stream " + subscriber.replayStreamId() +
                        " following " + live.channel() + " stream " + live.streamId() + ", journal " +
                        journal.toAbsolutePath() + " (" + (last == 0 ? "new" : "sequences " +
                        Math.max(1, replica.journalFirstSequence()) + ".." + last + ", epoch " +
                        String.format("%016x", replica.epoch())) + "), serving on " + serveChannel + " stream " +
                        serveStream + (replica.epoch() == 0 ? " once the upstream is heard" : "") + ", profile " +
                        live.profile().cliName() + transport.profileChoice() + " idle " + live.idleStrategy();
                }

                SummaryLine summary()
                {
                    return replica.stats().toSummaryLine();
                }

                int exitCode()
                {
                    if (replica.refusal() != null)
                    {
                        log.error(replica.refusal());
                        return FeedMain.EXIT_USAGE; // its --journal does not fit this stream
                    }
                    if (replica.journalFailure() != null)
                    {
                        log.error("replica FAILED: {}", replica.journalFailure());
                        return FeedMain.EXIT_FAILURE;
                    }
                    return FeedMain.EXIT_OK;
                }
            };
        }, () -> new SummaryLine() // stopped before it started: nothing journaled
            .add("role", "replica")
            .add("delivered", 0)
            .add("firstSeq", 0)
            .add("lastSeq", 0)
            .add("digest", QuoteDigest.toHex(QuoteDigest.INITIAL)));
    }

    private static Replica launch(final ReplicaContext context, final FeedStatusListener status)
    {
        try
        {
            return Replica.launch(context, status);
        }
        catch (final JournalException ex)
        {
            throw new UsageError(ex.getMessage());
        }
    }
}
