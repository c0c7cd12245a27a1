package io.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The product as users run it: {@code scripts/feed} processes on real UDP multicast over loopback,
 * each with its own embedded media driver, and the journal on disk.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LauncherIT
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.77.21:40621|interface=127.0.0.1";
    static final String STREAM = "3003";
    static final String REPLAY = "aeron:udp?endpoint=127.0.0.1:40731";

    @TempDir
    Path dir;

    @Test
    void twoSubscribersDeliverEveryTickWithThePublishersAndTheJournalsDigest() throws Exception
    {
        final String journal = dir.resolve("journal").toString();
        final String offsets = dir.resolve("offsets").toString();
        // On a loaded 2-core machine a subscriber can stall long enough for its receiver to fall out of
        // the publisher's window; it must then notice (stale timeout) and pull the rest before the
        // publisher's linger ends. Both are defaults except a shorter stale timeout, for margin.
        try (FeedProcess a = FeedScript.start("subscribe", "--name", "it-a", "--count", "200000", "--duration", "120s",
            "--channel", CHANNEL, "--stream", STREAM, "--replay-channel", REPLAY, "--offsets", offsets, "--stale-timeout", "2s");
            FeedProcess b = FeedScript.start("subscribe", "--name", "it-b", "--count", "200000", "--duration", "120s",
                "--channel", CHANNEL, "--stream", STREAM, "--replay-channel", REPLAY, "--offsets", offsets, "--stale-timeout", "2s"))
        {
            a.awaitReady(60);
            b.awaitReady(60);
            final FeedProcess publisher = FeedScript.run(120, "publish", "--count", "200000", "--rate", "100000",
                "--journal", journal, "--channel", CHANNEL, "--stream", STREAM, "--replay-channel", REPLAY);
            assertEquals(0, publisher.exitCode(), publisher.stderr());
            assertEquals(0, a.awaitExit(60), a.stderr());
            assertEquals(0, b.awaitExit(60), b.stderr());

            assertEquals("publisher", publisher.text("role"));
            assertEquals(200_000, publisher.field("published"));
            final String digest = publisher.text("digest");
            assertEquals(16, digest.length());
            for (final FeedProcess subscriber : new FeedProcess[]{a, b})
            {
                assertEquals("subscriber", subscriber.text("role"), subscriber.summary());
                assertEquals(200_000, subscriber.field("delivered"), subscriber.summary());
                assertEquals(0, subscriber.field("gapsDetected"), subscriber.summary());
                assertEquals(0, subscriber.field("duplicatesDropped"), subscriber.summary());
                assertEquals(digest, subscriber.text("digest"), subscriber.summary());
                assertTrue(subscriber.field("p99") > 0, subscriber.summary());
            }

            final FeedProcess journalDigest = FeedScript.run(60, "journal", "digest", "--journal", journal,
                "--from-seq", "1", "--to-seq", "200000");
            assertEquals(0, journalDigest.exitCode(), journalDigest.stderr());
            assertEquals(digest, journalDigest.text("digest"));

            final FeedProcess stats = FeedScript.run(60, "journal", "stats", "--journal", journal);
            assertEquals(200_000, stats.field("lastSeq"), stats.summary());
            assertEquals(200_000, stats.field("count"), stats.summary());
        }
    }

    @Test
    void restartedPublisherContinuesTheSequence() throws Exception
    {
        final String journal = dir.resolve("journal").toString();
        final String[] args = {"publish", "--count", "1000", "--rate", "0", "--connect-timeout", "0s", "--linger", "0s",
            "--journal", journal, "--channel", CHANNEL, "--stream", "3004", "--no-replay-server"};
        final FeedProcess first = FeedScript.run(60, args);
        final FeedProcess second = FeedScript.run(60, args);
        assertEquals(0, first.exitCode(), first.stderr());
        assertEquals(0, second.exitCode(), second.stderr());
        assertEquals(1, first.field("firstSeq"));
        assertEquals(1000, first.field("lastSeq"));
        assertEquals(first.field("lastSeq") + 1, second.field("firstSeq"));
        assertEquals(2000, second.field("lastSeq"));

        final FeedProcess verify = FeedScript.run(60, "journal", "verify", "--journal", journal);
        assertEquals(0, verify.exitCode(), verify.stderr());
        assertEquals(2000, verify.field("lastGoodSeq"));
    }

    @Test
    void demoRunsAndAgrees() throws Exception
    {
        final FeedProcess demo = FeedScript.run(180, "demo", "--count", "150000", "--rate", "50000", "--pause", "2s",
            "--channel", "aeron:udp?endpoint=239.255.77.23:40623|interface=127.0.0.1", "--stream", "3005",
            "--replay-channel", "aeron:udp?endpoint=127.0.0.1:40732");
        assertEquals(0, demo.exitCode(), demo.stderr());
        assertEquals("demo", demo.text("role"));
        assertTrue(demo.summary().contains("\"ok\":true"), demo.summary());
        assertEquals(3, demo.field("subscribers"));
        assertEquals(2, demo.field("lateJoiners"), "a snapshot joiner and a conflating slow consumer");
        assertTrue(demo.stdoutLines().stream().anyMatch(line -> line.startsWith("snapshot ") && line.contains("snapshot of")),
            "the snapshot joiner's row: " + demo.stdoutLines());
        assertTrue(demo.stdoutLines().stream().anyMatch(line -> line.startsWith("conflating ") && line.contains("conflated")),
            "the conflating consumer's row");
    }

    @Test
    void publisherAndSubscriberShareAnExternalMediaDriver() throws Exception
    {
        final Path aeronDir = dir.resolve("aeron");
        final String channel = "aeron:udp?endpoint=239.255.77.25:40625|interface=127.0.0.1";
        try (FeedProcess driver = FeedScript.start("driver", "--aeron-dir", aeronDir.toString()))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!java.nio.file.Files.exists(aeronDir.resolve("cnc.dat")) && System.nanoTime() < deadline)
            {
                Thread.sleep(100);
            }
            try (FeedProcess subscriber = FeedScript.start("subscribe", "--aeron-dir", aeronDir.toString(), "--no-recovery",
                "--count", "20000", "--duration", "90s", "--channel", channel, "--stream", "3007"))
            {
                subscriber.awaitReady(60);
                final FeedProcess publisher = FeedScript.run(90, "publish", "--aeron-dir", aeronDir.toString(),
                    "--count", "20000", "--rate", "50000", "--journal", dir.resolve("journal").toString(),
                    "--channel", channel, "--stream", "3007", "--no-replay-server");
                assertEquals(0, publisher.exitCode(), publisher.stderr());
                assertEquals(0, subscriber.awaitExit(60), subscriber.stderr());
                assertEquals(20_000, subscriber.field("delivered"), subscriber.summary());
                assertEquals(publisher.text("digest"), subscriber.text("digest"));
            }
            new ProcessBuilder("kill", "-TERM", Long.toString(driver.pid())).start().waitFor(10, TimeUnit.SECONDS);
            driver.awaitExit(60);
            assertEquals("driver", driver.text("role"), driver.stderr());
        }
    }

    @Test
    void missingExternalDriverIsAUsageError() throws Exception
    {
        final FeedProcess subscriber = FeedScript.run(60, "subscribe", "--aeron-dir",
            dir.resolve("no-driver").toString(), "--channel", CHANNEL);
        assertEquals(2, subscriber.exitCode(), subscriber.stderr());
        assertTrue(subscriber.stderr().contains("no-driver"), subscriber.stderr());
    }

    @Test
    void autoProfileIsChosenFromTheHostAndSaidAtStartAndInTheSummary() throws Exception
    {
        // The suite sets FEED_PROFILE=default for every process it starts (no test busy-spins); cleared here,
        // with the JVM told it has 2 cores, auto makes the choice a 2-core host gets.
        final String twoCores = autoRun(null, 0);
        assertTrue(twoCores.contains("profile default (auto: 2 cores, 1 hot thread)"), twoCores);
        assertTrue(twoCores.contains("\"profile\":\"default\""), twoCores);

        final String fixed = autoRun("Default", 0);
        assertTrue(fixed.contains("profile default (auto: FEED_PROFILE)"), fixed);

        final String bad = autoRun("turbo", 2);
        assertTrue(bad.contains("bad FEED_PROFILE 'turbo'"), bad);
    }

    /** A one-second subscriber with {@code --profile} left at auto: its output, once it exited {@code exitCode}. */
    private static String autoRun(final String feedProfile, final int exitCode) throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder("bash", FeedScript.SCRIPT.toString(), "subscribe",
            "--channel", CHANNEL, "--stream", STREAM, "--duration", "1s", "--no-recovery").redirectErrorStream(true);
        builder.environment().put("JAVA_OPTS", "-XX:ActiveProcessorCount=2");
        if (feedProfile == null)
        {
            builder.environment().remove("FEED_PROFILE");
        }
        else
        {
            builder.environment().put("FEED_PROFILE", feedProfile);
        }
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(exitCode, process.exitValue(), output);
        return output;
    }

    @Test
    void badArgumentsExitTwoThroughTheLauncher() throws Exception
    {
        final FeedProcess process = FeedScript.run(60, "publish", "--rate", "-5", "--journal",
            dir.resolve("j").toString());
        assertEquals(2, process.exitCode());
        assertTrue(process.stderr().contains("--rate -5"), process.stderr());
        assertFalse(process.stderr().contains("Exception"), process.stderr());
    }

    @Test
    void sigtermStillEndsWithTheSummaryLine() throws Exception
    {
        try (FeedProcess subscriber = FeedScript.start("subscribe", "--name", "it-term",
            "--channel", CHANNEL, "--stream", "3006", "--offsets", dir.resolve("offsets").toString()))
        {
            subscriber.awaitReady(60);
            // scripts/feed execs java, so the launcher's pid is the JVM's
            new ProcessBuilder("kill", "-TERM", Long.toString(subscriber.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertEquals(143, subscriber.awaitExit(60), "128 + SIGTERM, after the summary");
            assertEquals("subscriber", subscriber.text("role"), subscriber.summary());
            assertEquals("it-term", subscriber.text("name"));
        }
    }
}
