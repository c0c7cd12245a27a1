package io.feedhandler.cli;

import io.feedhandler.replay.ReplayConfiguration;
import picocli.CommandLine.Option;

/** Where replay requests go: the server listens there, subscribers send there (the contexts' replayChannel). */
final class ReplayChannelOptions
{
    @Option(names = "--replay-channel", paramLabel = "URI",
        description = {"The replay server's request channel", "(default: ${DEFAULT-VALUE})."}) // the URI on a line of its own
    String replayChannel = ReplayConfiguration.CHANNEL;

    @Option(names = "--replay-stream", paramLabel = "ID", description = "Replay request stream id (default: ${DEFAULT-VALUE}).")
    int replayStreamId = ReplayConfiguration.STREAM_ID;
}
