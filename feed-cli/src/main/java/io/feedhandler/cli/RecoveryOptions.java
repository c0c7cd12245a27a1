package io.feedhandler.cli;

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
    UpstreamOptions upstream;

    /** These options on a subscriber's context. */
    SubscriberContext applyTo(final SubscriberContext context)
    {
        return upstream.applyTo(context.journalDirectory(journal));
    }
}
