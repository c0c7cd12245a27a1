package io.feedhandler.cli;

import picocli.CommandLine.Option;

/**
 * Which media driver a process uses and what its hot-path thread does when idle: every process that
 * talks Aeron through a driver of its own or an external one (publish, subscribe, replay-server).
 */
final class DriverOptions
{
    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Use the external media driver in DIR (see 'feed driver'); default: embed one in this process.")
    String aeronDirectory;

    @Option(names = "--idle", paramLabel = "STRATEGY", completionCandidates = Choices.IdleStrategyNames.class,
        description = "What the hot-path thread does when idle, one of ${COMPLETION-CANDIDATES} (default: the " +
            "profile's: backoff for default, busy-spin for low-latency and compact).")
    String idleStrategy;
}
