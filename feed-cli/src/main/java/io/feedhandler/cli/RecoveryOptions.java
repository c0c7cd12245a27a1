package io.feedhandler.cli;

import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.subscriber.SubscriberConfiguration;
import io.feedhandler.subscriber.SubscriberContext;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Where a subscriber gets what the network did not bring: the journal when it is on this host, else the
 * replay server; and when it rejoins live. The same options for every command that runs a subscriber
 * ({@code feed subscribe}, {@code feed gateway}).
 */
final class RecoveryOptions
{
    // Not JournalOptions: here the journal is optional (none: recover through the replay server) and
    // only read, to recover from on this host.
    @Option(names = "--journal", paramLabel = "DIR",
        description = "The journal, when it is on this host: recover by reading it directly instead of asking the " +
            "replay server (the gateway also resumes clients from before its history from it). It may not exist yet " +
            "(subscribers started before their publisher): recovery waits for it.")
    Path journal;

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
        description = "A replay server that answered a pull and then says nothing this long (its sessions speak " +
            "every 100 ms) is left for the next in --replay-channel, or asked again (default: ${DEFAULT-VALUE}).")
    long replayServerTimeoutNanos;

    /** These options on a subscriber's context. */
    SubscriberContext applyTo(final SubscriberContext context)
    {
        return context
            .journalDirectory(journal)
            .replayChannel(replay.replayChannel)
            .replayStreamId(replay.replayStreamId)
            .replayResponseChannel(replayResponseChannel)
            .replayResponseStreamId(replayResponseStream)
            .staleTimeoutNanos(staleTimeoutNanos)
            .lineWaitNanos(lineWaitNanos)
            .replayServerTimeoutNanos(replayServerTimeoutNanos);
    }
}
