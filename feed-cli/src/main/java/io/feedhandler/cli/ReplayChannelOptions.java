package io.feedhandler.cli;

import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.replay.server.ReplayServerContext;
import picocli.CommandLine.Option;

/** Where replay requests go: the server listens there, subscribers send there. */
final class ReplayChannelOptions
{
    @Option(names = "--replay-channel", paramLabel = "URI",
        description = "The replay server's request channel (default: ${DEFAULT-VALUE}).")
    String channel = ReplayConfiguration.CHANNEL;

    @Option(names = "--replay-stream", paramLabel = "ID", description = "Replay request stream id (default: ${DEFAULT-VALUE}).")
    int streamId = ReplayConfiguration.STREAM_ID;
}
