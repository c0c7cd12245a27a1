package io.feedhandler.cli;

import io.feedhandler.codecs.SummaryJson;
import io.feedhandler.journal.SubscriberOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loud when nothing happens, through {@code scripts/feed}: a subscriber that hears from no publisher
 * says so once, naming its channel and stream; one started before the publisher that creates its
 * {@code --journal} waits for it, saying so, and recovers from it; a durable subscriber keeps its
 * offset in the user's state directory, never in the directory it was started from.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SubscriberSilenceIT
{
    private static final String CHANNEL = "aeron:udp?endpoint=239.255.93.7:45207|interface=127.0.0.1";

    /** {@code replay --format text}'s format too (ReplayToolIT): sequence, publish time, symbol (#id until known). */
    static final String QUOTE_TEXT = "\\d+ \\d{4}-\\d\\d-\\d\\dT\\S+Z ([A-Z0-9.]+|#\\d+) \\d+ @ [\\d.]+ / [\\d.]+ x \\d+";

    @TempDir
    Path dir;

    @Test
    void aSubscriberThatHearsNothingSaysSoOnceNamingWhereItListens() throws Exception
    {
        final FeedProcess subscriber = FeedScript.run(60, "subscribe", "--channel", CHANNEL, "--stream", "3161",
            "--connect-timeout", "1s", "--duration", "3s", "--no-recovery");
        assertEquals(0, subscriber.exitCode(), subscriber.stderr());
        final List<String> warnings = subscriber.stderr().lines().filter(line -> line.contains("nothing from any publisher"))
            .toList();
        assertEquals(1, warnings.size(), subscriber.stderr());
        assertTrue(warnings.get(0).contains(CHANNEL) && warnings.get(0).contains("stream 3161"), warnings.get(0));
        assertEquals(0, subscriber.field("delivered"));
    }

    @Test
    void aSubscriberThatHearsAPublisherDoesNotWarnAndPrintsQuotesAsReplayDoes() throws Exception
    {
        // The publisher first, waiting for a subscriber: the subscriber hears it as soon as it is up, whatever a
        // loaded machine does to a JVM's start, and then runs 3 s at 1,000/s, past its 2 s connect timeout.
        try (FeedProcess publisher = FeedScript.start("publish", "--channel", CHANNEL, "--stream", "3162",
            "--count", "3000", "--rate", "1000", "--journal", dir.resolve("journal-3162").toString(),
            "--no-replay-server", "--linger", "1s", "--connect-timeout", "60s"))
        {
            publisher.awaitLog("publishing on", 60);
            try (FeedProcess subscriber = FeedScript.start("subscribe", "--channel", CHANNEL, "--stream", "3162",
                "--connect-timeout", "2s", "--count", "3000", "--duration", "60s", "--no-recovery", "--print"))
            {
                subscriber.awaitExit(60);
                assertEquals(0, subscriber.exitCode(), subscriber.stderr());
                assertEquals(3000, subscriber.field("delivered"));
                assertFalse(subscriber.stderr().contains("nothing from any publisher"), subscriber.stderr());
                final List<String> rows = subscriber.stdoutLines().subList(0, 3000);
                for (final String row : rows)
                {
                    assertTrue(row.matches(QUOTE_TEXT), row);
                }
                assertTrue(rows.stream().anyMatch(row -> row.matches("\\d+ \\S+ AAPL .*")),
                    "symbols, not ids: " + rows.get(0));
            }
            assertEquals(0, publisher.awaitExit(60), publisher.stderr());
        }
    }

    @Test
    void aJournalThatDoesNotExistYetIsAwaitedAndRecoveredFrom() throws Exception
    {
        final Path journal = dir.resolve("journal-to-come");
        try (FeedProcess subscriber = FeedScript.start("subscribe", "--journal", journal.toString(), "--from-seq", "1",
            "--count", "20000", "--duration", "90s", "--channel", CHANNEL, "--stream", "3163"))
        {
            subscriber.awaitReady(60);
            assertTrue(subscriber.isAlive(), "started, not refused: " + subscriber.stderr());
            final FeedProcess publisher = FeedScript.run(120, "publish", "--channel", CHANNEL, "--stream", "3163",
                "--count", "20000", "--rate", "10000", "--journal", journal.toString(), "--no-replay-server",
                "--connect-timeout", "0s", "--linger", "2s");
            assertEquals(0, publisher.exitCode(), publisher.stderr());
            subscriber.awaitExit(90);
            assertEquals(0, subscriber.exitCode(), subscriber.stderr());
            assertEquals(20000, subscriber.field("delivered"), subscriber.summary());
            assertEquals(publisher.text("digest"), subscriber.text("digest"));
            assertEquals(1, subscriber.stderr().lines().filter(line -> line.contains("does not exist yet")).count(),
                subscriber.stderr());
        }
    }

    @Test
    void aDurableSubscriberKeepsItsOffsetInTheUsersStateDirectory() throws Exception
    {
        final Path state = Files.createDirectories(dir.resolve("state"));
        final Path workingDirectory = Files.createDirectories(dir.resolve("cwd"));
        // env XDG_STATE_HOME=... and a working directory of its own, then scripts/feed as the user runs it.
        final List<String> launcher = List.of("env", "XDG_STATE_HOME=" + state, "bash", "-c", "cd \"$0\" && exec \"$@\"",
            workingDirectory.toString());
        try (FeedProcess subscriber = FeedProcess.start(FeedProcess.Launcher.script(FeedScript.SCRIPT, "-Xmx256m",
            launcher), null, "subscribe", "--name", "durable-it", "--count", "500", "--duration", "60s",
            "--channel", CHANNEL, "--stream", "3164", "--no-recovery"))
        {
            subscriber.awaitReady(60);
            publish("3164", "500");
            subscriber.awaitExit(60);
            assertEquals(0, subscriber.exitCode(), subscriber.stderr());
        }
        final Path offsets = state.resolve("feed").resolve("subscribers");
        try (Stream<Path> stored = Files.list(offsets))
        {
            assertTrue(stored.anyMatch(path -> path.getFileName().toString().startsWith("durable-it")),
                "the offset is in " + offsets);
        }
        try (Stream<Path> left = Files.list(workingDirectory))
        {
            assertEquals(List.of(), left.toList(), "nothing written where it was started");
        }

        // journal stats lists it with its lag, from the same state directory; another stream's offset kept
        // there (another epoch) is not this journal's subscriber.
        try (SubscriberOffset other = SubscriberOffset.open(offsets, "of-another-stream"))
        {
            other.storeEpoch(0x1234_5678_9abc_def0L);
            other.store(7);
        }
        try (FeedProcess stats = FeedProcess.start(FeedProcess.Launcher.script(FeedScript.SCRIPT, "-Xmx256m", launcher),
            null, "journal", "stats", "--journal", dir.resolve("journal-3164").toString()))
        {
            assertEquals(0, stats.awaitExit(60), stats.stderr());
            final SummaryJson subscribers = stats.summaryJson().object("subscribers");
            assertEquals(500, subscribers.object("durable-it").number("offset", -1), stats.summary());
            assertEquals(0, subscribers.object("durable-it").number("lag", -1), stats.summary());
            assertEquals(null, subscribers.get("of-another-stream"), stats.summary());
        }
    }

    /** A publisher of its own journal on the stream, to the end of its run. */
    private void publish(final String stream, final String count) throws Exception
    {
        final FeedProcess publisher = FeedScript.run(90, "publish", "--channel", CHANNEL, "--stream", stream,
            "--count", count, "--rate", "1000", "--journal", dir.resolve("journal-" + stream).toString(),
            "--no-replay-server", "--linger", "1s");
        assertEquals(0, publisher.exitCode(), publisher.stderr());
    }
}
