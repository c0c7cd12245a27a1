package io.feedhandler.cli;

import io.feedhandler.transport.FeedChannels;
import picocli.CommandLine.Option;

/** The options every command on the live stream shares. */
final class ChannelOptions
{
    @Option(names = "--channel", paramLabel = "URI",
        description = "Aeron channel of the live stream (default: ${DEFAULT-VALUE}).")
    String channel = FeedChannels.DEFAULT_CHANNEL;

    @Option(names = "--stream", paramLabel = "ID", description = "Aeron stream id (default: ${DEFAULT-VALUE}).")
    int streamId = FeedChannels.DEFAULT_STREAM_ID;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Use the external media driver in DIR (see 'feed driver'); default: embed one in this process.")
    String aeronDirectory;

    @Option(names = "--idle", paramLabel = "STRATEGY",
        description = "What the hot-path thread does when idle: busy-spin, no-op, yield, backoff, sleep " +
            "(default: ${DEFAULT-VALUE}).")
    String idleStrategy = io.feedhandler.transport.IdleStrategies.DEFAULT;
}
