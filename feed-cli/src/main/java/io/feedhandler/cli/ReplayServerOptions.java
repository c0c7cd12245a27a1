package io.feedhandler.cli;

import io.feedhandler.replay.server.ReplayServerContext;
import picocli.CommandLine.Option;

/** Options of a replay server, embedded in the publisher or on its own. */
final class ReplayServerOptions
{
    @picocli.CommandLine.Mixin
    ReplayChannelOptions requests;

    @Option(names = "--max-sessions", paramLabel = "N",
        description = "Most replay sessions served at once; more are refused (default: ${DEFAULT-VALUE}).")
    int maxSessions = 16;

    @Option(names = "--max-batch", paramLabel = "N",
        description = "Most entries a session sends per duty cycle, which keeps sessions fair (default: ${DEFAULT-VALUE}).")
    int maxBatch = 256;

    @Option(names = "--max-range", paramLabel = "N",
        description = "Largest range served, in sequences; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long maxRange;

    @Option(names = "--max-replay-rate", paramLabel = "ENTRIES_PER_S",
        description = "Most entries per second the replay server sends, all sessions together; 0 = no limit. " +
            "Set it where the publisher shares cores with the server (default: ${DEFAULT-VALUE}).")
    long maxRate;

    @Option(names = "--max-requests-per-second", paramLabel = "N",
        description = "Most replay requests one requester (one client's control publication) may send per second; " +
            "more are refused with TOO_MANY_REQUESTS. 0 = no limit (default: ${DEFAULT-VALUE}).")
    int maxRequestsPerSecond = 20;

    @Option(names = "--replay-cpu", paramLabel = "CPU",
        description = "Pin the replay server's thread to this CPU; -1 = not pinned (default: ${DEFAULT-VALUE}).")
    int cpu = io.feedhandler.transport.CpuPinning.NONE;

    ReplayServerContext context(final String idleStrategy)
    {
        return new ReplayServerContext()
            .replayChannel(requests.channel)
            .replayStreamId(requests.streamId)
            .maxSessions(maxSessions)
            .maxBatch(maxBatch)
            .maxRange(maxRange)
            .maxReplayRate(maxRate)
            .maxRequestsPerSecond(maxRequestsPerSecond)
            .cpu(cpu)
            .idleStrategy(idleStrategy);
    }
}
