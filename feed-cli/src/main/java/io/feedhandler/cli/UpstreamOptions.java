package io.feedhandler.cli;

import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.subscriber.SubscriberConfiguration;
import io.feedhandler.subscriber.SubscriberContext;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a subscriber pulls what the network did not bring (the replay server, and the address its
 * replays come back to) and when it rejoins live: the same options for every command that runs a
 * subscriber through a replay server ({@code feed subscribe}, {@code feed gateway}, {@code feed replica}).
 */
final class UpstreamOptions
{
    @Mixin
    ReplayChannelOptions replay;

    @Option(names = "--replay-response-channel", paramLabel = "URI",
        description = {"Where this subscriber receives replays; port 0 = any free port (default: this host's address " +
            "on its route to the replay server, any free port, with the options of",
            ReplayConfiguration.RESPONSE_CHANNEL + ")."}) // the URI on a line of its own
    String replayResponseChannel;

    @Option(names = "--replay-response-stream", paramLabel = "ID",
        description = "Stream id for replays to this subscriber (default: ${DEFAULT-VALUE}).")
    int replayResponseStream = ReplayConfiguration.RESPONSE_STREAM_ID;

    @Option(names = "--stale-timeout", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = SubscriberConfiguration.STALE_TIMEOUT,
        description = "Rejoin live when it has been silent this long (default: ${DEFAULT-VALUE}).")
    long staleTimeoutNanos;

    /** These options on a subscriber's context. */
    SubscriberContext applyTo(final SubscriberContext context)
    {
        return context
            .replayChannel(replay.replayChannel)
            .replayStreamId(replay.replayStreamId)
            .replayResponseChannel(replayResponseChannel)
            .replayResponseStreamId(replayResponseStream)
            .staleTimeoutNanos(staleTimeoutNanos);
    }
}
