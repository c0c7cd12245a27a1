package io.feedhandler.cli;

import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.replay.server.ReplayServerContext;
import io.feedhandler.transport.CpuPinning;
import picocli.CommandLine.Option;

/**
 * The bounds of a replay server, wherever it runs (in the publisher, on its own, in a replica): the
 * channel it listens on is the command's own option ({@code --replay-channel}, a replica's {@code --serve-channel}).
 */
final class ReplayServerBoundsOptions
{
    @Option(names = "--max-sessions", paramLabel = "N",
        description = "Most replay sessions served at once; more are refused (default: ${DEFAULT-VALUE}).")
    int maxSessions = ReplayConfiguration.MAX_SESSIONS;

    @Option(names = "--max-batch", paramLabel = "N",
        description = "Most ticks a session sends per duty cycle, which keeps sessions fair (default: ${DEFAULT-VALUE}).")
    int maxBatch = ReplayConfiguration.MAX_BATCH;

    @Option(names = "--max-range", paramLabel = "N",
        description = "Largest range served, in sequences; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long maxRange = ReplayConfiguration.MAX_RANGE;

    @Option(names = "--max-replay-rate", paramLabel = "TICKS_PER_S",
        description = "Most ticks per second the replay server sends, all sessions together; 0 = no limit. " +
            "Set it where the publisher shares cores with the server (default: ${DEFAULT-VALUE}).")
    long maxReplayRate = ReplayConfiguration.MAX_REPLAY_RATE;

    @Option(names = "--max-requests-per-second", paramLabel = "N",
        description = "Most replay requests one requester (one client's control publication) may send per second; " +
            "more are refused with TOO_MANY_REQUESTS. 0 = no limit (default: ${DEFAULT-VALUE}).")
    int maxRequestsPerSecond = ReplayConfiguration.MAX_REQUESTS_PER_SECOND;

    @Option(names = "--no-snapshots",
        description = "Keep no book of the journal and refuse snapshot requests (NO_SNAPSHOTS): saves reading " +
            "every tick a second time.")
    boolean noSnapshots;

    @Option(names = "--max-snapshot-instruments", paramLabel = "N",
        description = "Most instruments the snapshot book keeps; quotes of more are counted, not kept " +
            "(default: ${DEFAULT-VALUE}).")
    int maxSnapshotInstruments = ReplayConfiguration.MAX_SNAPSHOT_INSTRUMENTS;

    @Option(names = "--replay-cpu", paramLabel = "CPU",
        description = "Pin the replay server's thread to this CPU; -1 = not pinned (default: ${DEFAULT-VALUE}).")
    int cpu = CpuPinning.NONE;

    /** @param idleStrategy what the server's thread does when idle; null for the context's default. */
    ReplayServerContext context(final String idleStrategy)
    {
        final ReplayServerContext context = new ReplayServerContext()
            .maxSessions(maxSessions)
            .maxBatch(maxBatch)
            .maxRange(maxRange)
            .maxReplayRate(maxReplayRate)
            .maxRequestsPerSecond(maxRequestsPerSecond)
            .snapshots(!noSnapshots)
            .maxSnapshotInstruments(maxSnapshotInstruments)
            .cpu(cpu);
        return idleStrategy == null ? context : context.idleStrategy(idleStrategy);
    }
}
