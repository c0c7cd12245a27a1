package io.feedhandler.cli;

import io.feedhandler.transport.TransportConfiguration;
import io.feedhandler.transport.FeedChannels;
import picocli.CommandLine.Option;

/** The options every command on the live stream shares. */
final class ChannelOptions
{
    @Option(names = "--channel", paramLabel = "URI",
        description = "Aeron channel of the live stream (default: ${DEFAULT-VALUE}).")
    String channel = TransportConfiguration.CHANNEL;

    @Option(names = "--stream", paramLabel = "ID", description = "Aeron stream id (default: ${DEFAULT-VALUE}).")
    int streamId = TransportConfiguration.STREAM_ID;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Use the external media driver in DIR (see 'feed driver'); default: embed one in this process.")
    String aeronDirectory;

    @Option(names = "--idle", paramLabel = "STRATEGY",
        description = "What the hot-path thread does when idle: busy-spin, no-op, yield, backoff, sleep " +
            "(default: the profile's: backoff for default, busy-spin for low-latency and compact).")
    String idleStrategy;

    @Option(names = "--profile", paramLabel = "PROFILE",
        description = "default (shared driver thread, backing off), low-latency (dedicated driver threads, " +
            "busy-spinning), compact (driver and client run in the hot-path thread: one thread per process) " +
            "(default: ${DEFAULT-VALUE}).")
    String profile = "default";

    @Option(names = "--cpu", paramLabel = "CPU",
        description = "Pin the hot-path thread to this CPU; -1 = not pinned (default: ${DEFAULT-VALUE}).")
    int cpu = io.feedhandler.transport.CpuPinning.NONE;

    io.feedhandler.transport.FeedProfile feedProfile()
    {
        return io.feedhandler.transport.FeedProfile.parse(profile);
    }

    io.feedhandler.transport.TransportContext context()
    {
        return new io.feedhandler.transport.TransportContext()
            .channel(channel)
            .streamId(streamId)
            .aeronDirectory(aeronDirectory)
            .idleStrategy(idleStrategy)
            .profile(feedProfile())
            .cpu(cpu);
    }
}
