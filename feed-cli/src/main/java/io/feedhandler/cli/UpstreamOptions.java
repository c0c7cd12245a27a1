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

    @Option(names = "--line-wait", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = SubscriberConfiguration.LINE_WAIT,
        description = "With --b-channel: how long ticks past a hole in one line wait for the other line to fill it " +
            "before it is a gap, recovered from the journal (default: ${DEFAULT-VALUE}).")
    long lineWaitNanos;

    @Option(names = "--replay-server-timeout", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = SubscriberConfiguration.REPLAY_SERVER_TIMEOUT,
        description = "With several servers in --replay-channel: one that answered a pull and then says nothing " +
            "this long (its sessions speak every 100 ms) is left for the next (default: ${DEFAULT-VALUE}).")
    long replayServerTimeoutNanos;

    @Option(names = "--replay-connect-wait", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = SubscriberConfiguration.REPLAY_CONNECT_WAIT,
        description = "With several servers in --replay-channel: after start, or after a time with none reachable, " +
            "how long a pull waits for an earlier server to connect before it asks a later one; 0 = ask the first " +
            "connected (default: ${DEFAULT-VALUE}).")
    long replayConnectWaitNanos;

    /** These options on a subscriber's context. */
    SubscriberContext applyTo(final SubscriberContext context)
    {
        return context
            .replayChannel(replay.replayChannel)
            .replayStreamId(replay.replayStreamId)
            .replayResponseChannel(replayResponseChannel)
            .replayResponseStreamId(replayResponseStream)
            .staleTimeoutNanos(staleTimeoutNanos)
            .lineWaitNanos(lineWaitNanos)
            .replayServerTimeoutNanos(replayServerTimeoutNanos)
            .replayConnectWaitNanos(replayConnectWaitNanos);
    }
}
