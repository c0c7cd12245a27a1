package io.feedhandler.cli;

import io.feedhandler.replay.ReplayConfiguration;
import picocli.CommandLine.Option;

/**
 * Where replay requests go: the server listens there, subscribers send there (the contexts' replayChannel).
 * A subscriber may name several servers; a server listens on one and refuses a list.
 */
final class ReplayChannelOptions
{
    @Option(names = "--replay-channel", paramLabel = "URI",
        description = {"The replay server's request channel. A subscriber takes one or more, separated by commas, " +
            "tried in order: one that cannot be reached, refuses or goes silent is left for the next. A server " +
            "listens on one", "(default: ${DEFAULT-VALUE})."}) // the URI on a line of its own
    String replayChannel = ReplayConfiguration.CHANNEL;

    @Option(names = "--replay-stream", paramLabel = "ID", description = "Replay request stream id (default: ${DEFAULT-VALUE}).")
    int replayStreamId = ReplayConfiguration.STREAM_ID;
}
