package io.feedhandler.cli;

import io.feedhandler.transport.TransportConfiguration;
import picocli.CommandLine.Option;

/** Where the live stream is: its channel and stream id (publish, subscribe, and the demo that runs both). */
final class StreamOptions
{
    @Option(names = "--channel", paramLabel = "URI",
        description = {"Aeron channel of the live stream", "(default: ${DEFAULT-VALUE})."}) // the URI on a line of its own
    String channel = TransportConfiguration.CHANNEL;

    @Option(names = "--stream", paramLabel = "ID", description = "Aeron stream id (default: ${DEFAULT-VALUE}).")
    int streamId = TransportConfiguration.STREAM_ID;
}
