package io.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Config files through the launcher: a real publisher and subscriber configured by files; the mistakes. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConfigFileIT
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.80.13:43013|interface=127.0.0.1";
    static final String REPLAY = "aeron:udp?endpoint=127.0.0.1:43021";

    @TempDir
    Path dir;

    @Test
    void aPublisherAndASubscriberRunFromTheirConfigFiles() throws Exception
    {
        final Path subscriberConfig = Files.write(dir.resolve("subscriber.properties"), List.of(
            "# the subscriber of this test", "channel=" + CHANNEL, "stream=3043", "name=it-config", "count=300",
            "duration=90s", "offsets=" + dir.resolve("offsets"), "replay-channel=" + REPLAY, "stale-timeout=2s"));
        final Path publisherConfig = Files.write(dir.resolve("publisher.properties"), List.of(
            "channel=" + CHANNEL, "stream=3043", "count=100", "rate=10000", "journal=" + dir.resolve("journal"),
            "replay-channel=" + REPLAY, "connect-timeout=20s", "linger=1s"));

        try (FeedProcess subscriber = FeedScript.start("subscribe", "--config", subscriberConfig.toString()))
        {
            subscriber.awaitReady(60);
            // The file says 100 ticks; the command line says 300 and wins.
            final FeedProcess publisher = FeedScript.run(90, "publish", "--config", publisherConfig.toString(),
                "--count", "300");
            assertEquals(0, publisher.exitCode(), publisher.stderr());
            assertEquals(0, subscriber.awaitExit(60), subscriber.stderr());

            assertEquals(300, publisher.field("published"), publisher.summary());
            assertEquals(300, subscriber.field("delivered"), subscriber.summary());
            assertEquals("it-config", subscriber.text("name"));
            assertEquals(publisher.text("digest"), subscriber.text("digest"));

            assertTrue(publisher.stderr().contains("configuration from defaults, config file " + publisherConfig +
                ", command line:"), publisher.stderr());
            assertTrue(publisher.stderr().contains(" count=300 "), publisher.stderr());
            assertTrue(publisher.stderr().contains(" profile=auto "), publisher.stderr());
            assertTrue(subscriber.stderr().contains("configuration from defaults, config file " + subscriberConfig +
                ":"), subscriber.stderr());
            assertTrue(subscriber.stderr().contains(" name=it-config "), subscriber.stderr());
        }
    }

    @Test
    void printConfigThroughTheLauncher() throws Exception
    {
        final Path config = Files.write(dir.resolve("replay-server.properties"), List.of("max-sessions=4"));
        final FeedProcess process = FeedScript.run(60, "replay-server", "--config", config.toString(),
            "--journal", dir.toString(), "--print-config");
        assertEquals(0, process.exitCode(), process.stderr());
        final String printed = String.join("\n", process.stdoutLines());
        assertEquals("command line", ConfigFileTest.sources(printed).get("journal"), printed);
        assertEquals(config.toString(), ConfigFileTest.sources(printed).get("max-sessions"), printed);
        assertEquals("4", ConfigFileTest.values(printed).get("max-sessions"), printed);
        assertEquals("default", ConfigFileTest.sources(printed).get("max-batch"), printed);
    }

    @Test
    void configMistakesExitTwoThroughTheLauncher() throws Exception
    {
        final Path unknown = Files.write(dir.resolve("unknown.properties"), List.of("strem=1001"));
        assertUsageError(List.of("'strem'", unknown.toString()), "subscribe", "--config", unknown.toString());
        final Path bad = Files.write(dir.resolve("bad.properties"), List.of("stale-timeout=soon"));
        assertUsageError(List.of("'stale-timeout'", "'soon'", bad.toString()), "subscribe", "--config", bad.toString());
        final Path missing = dir.resolve("missing.properties");
        assertUsageError(List.of(missing.toString()), "publish", "--config", missing.toString());
    }

    private static void assertUsageError(final List<String> expected, final String... args) throws Exception
    {
        final FeedProcess process = FeedScript.run(60, args);
        assertEquals(FeedMain.EXIT_USAGE, process.exitCode(), process.stderr());
        for (final String text : expected)
        {
            assertTrue(process.stderr().contains(text), "stderr should name " + text + ": " + process.stderr());
        }
        assertFalse(process.stderr().contains("Exception"), process.stderr());
        assertEquals(1, process.stderr().strip().lines().count(), "one line: " + process.stderr());
    }
}
