package io.feedhandler.cli;

import io.feedhandler.replay.server.ReplayServerContext;
import picocli.CommandLine.Mixin;

/** Options of a replay server, embedded in the publisher or on its own: where it listens, and its bounds. */
final class ReplayServerOptions
{
    @Mixin
    ReplayChannelOptions channel;

    @Mixin
    ReplayServerBoundsOptions bounds;

    /** @param idleStrategy what the server's thread does when idle; null for the context's default. */
    ReplayServerContext context(final String idleStrategy)
    {
        return bounds.context(idleStrategy)
            .replayChannel(channel.replayChannel)
            .replayStreamId(channel.replayStreamId);
    }
}
