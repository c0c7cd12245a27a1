package io.feedhandler.cli;

import io.feedhandler.journal.JournalIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a run starts and stops, as {@code scripts/feed} users meet it: the start line says what the
 * journal held; a refused configuration writes nothing; a journal that is not this stream's is
 * refused with the remedy that fits; SIGINT/SIGTERM at any moment (start-up, the journal check,
 * publishing, the linger, the demo) stop promptly with the summary and exit 130/143, never reported
 * as damage; a second signal exits at once; temporary journals and media driver directories go with
 * the process, and those a SIGKILL left are listed and removed by {@code feed driver}.
 * <p>
 * Signals go to the feed's own PID. A process started in the background by a non-interactive shell
 * has SIGINT ignored, and Java's process builder passes that on: processes that must take SIGINT are
 * started through {@code perl} setting it back to the default before it execs the launcher (same
 * PID), and each test checks that its process does not ignore SIGINT.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StartAndStopIT
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.81.1:44101|interface=127.0.0.1";
    static final String REPLAY = "aeron:udp?endpoint=127.0.0.1:44102";
    static final int STREAM = 3101;

    /** Resets SIGINT to its default, then execs the rest of its arguments (the launcher): same PID. */
    static final List<String> SIGINT_DEFAULT = List.of("perl", "-e", "$SIG{INT}='DEFAULT'; exec @ARGV or die \"exec: $!\"");

    @TempDir
    Path dir;

    private final List<FeedProcess> started = new ArrayList<>();

    @AfterEach
    void stopEverything()
    {
        for (final FeedProcess process : started)
        {
            process.close();
        }
    }

    @Test
    void theStartLineSaysWhatTheJournalHeld() throws Exception
    {
        final String journal = dir.resolve("journal").toString();
        final FeedProcess first = FeedScript.run(120, publish(journal, "--count", "500", "--linger", "0s"));
        assertEquals(0, first.exitCode(), first.stderr());
        assertTrue(first.stderr().contains("(new journal, starting at sequence 1, epoch "), first.stderr());
        assertFalse(first.stderr().contains("continuing"), first.stderr());
        assertEquals(1, first.field("firstSeq"), first.summary());

        final FeedProcess second = FeedScript.run(120, publish(journal, "--count", "500", "--linger", "0s"));
        assertEquals(0, second.exitCode(), second.stderr());
        assertTrue(second.stderr().contains("(journal holds sequences 1..500, continuing at sequence 501, epoch "),
            second.stderr());
        assertEquals(501, second.field("firstSeq"), second.summary());
    }

    @Test
    void aRefusedConfigurationLeavesNoTrace() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final String[][] refused = {
            // a letter O for a zero in the port: refused by the feed's own check, naming it
            {"41O91", "--channel", "aeron:udp?endpoint=239.255.81.3:41O91|interface=127.0.0.1"},
            // an interface this host does not have: only the media driver knows
            {"10.9.9.9", "--channel", "aeron:udp?endpoint=239.255.81.3:44103|interface=10.9.9.9"},
            // the replay server's channel, refused by the media driver: checked before the journal too
            {"10.9.9.9", "--replay-channel", "aeron:udp?endpoint=10.9.9.9:44104"},
            // a B line on an interface this host does not have: its publication is added before the journal too
            {"10.9.9.9", "--b-channel", "aeron:udp?endpoint=239.255.81.5:44105|interface=10.9.9.9"},
            // batches longer than the channel's largest message (64 KiB terms: 8 KiB messages)
            {"--max-batch-ticks 1000", "--channel", "aeron:udp?endpoint=239.255.81.3:44103|interface=127.0.0.1|" +
                "term-length=64k", "--max-batch-ticks", "1000"}};
        for (final String[] bad : refused)
        {
            final List<String> args = new ArrayList<>(List.of("publish", "--count", "10", "--rate", "0",
                "--connect-timeout", "0s", "--linger", "0s", "--journal", journal.toString(), "--stream",
                Integer.toString(STREAM)));
            if (!"--channel".equals(bad[1]))
            {
                args.addAll(List.of("--channel", CHANNEL));
            }
            if (!"--replay-channel".equals(bad[1]))
            {
                args.add("--no-replay-server");
            }
            args.addAll(List.of(bad).subList(1, bad.length));
            final FeedProcess run = FeedScript.run(60, args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), run.stderr());
            assertTrue(run.stderr().contains(bad[0]), run.stderr());
            assertFalse(Files.exists(journal), "a refused run (" + bad[0] + ") left " + journal + ": " + list(journal));
            assertTrue(driverDirectories(run.pid()).isEmpty(), "its media driver directory went with it");
        }

        final FeedProcess corrected = FeedScript.run(120, publish(journal.toString(), "--count", "10", "--linger", "0s"));
        assertEquals(0, corrected.exitCode(), corrected.stderr());
        assertEquals(10, corrected.field("published"), corrected.summary());
        assertTrue(Files.exists(journal.resolve(JournalIdentity.FILE_NAME)));
    }

    @Test
    void aJournalOfAnotherStreamIsRefusedWithTheRemedyThatFits() throws Exception
    {
        // Empty: left by a run that published nothing (older versions wrote journal.id before the
        // channel was accepted). Deleting its journal.id, as told, lets the right stream take it.
        final Path journal = Files.createDirectories(dir.resolve("journal"));
        final String typo = "aeron:udp?endpoint=239.255.81.3:4410|interface=127.0.0.1";
        JournalIdentity.create(typo, STREAM, "new").write(journal);
        final FeedProcess empty = FeedScript.run(60, publish(journal.toString(), "--count", "10"));
        assertEquals(2, empty.exitCode(), empty.stderr());
        assertTrue(empty.stderr().contains("holds no ticks"), empty.stderr());
        assertTrue(empty.stderr().contains("delete " + journal.resolve(JournalIdentity.FILE_NAME).toAbsolutePath()),
            empty.stderr());
        assertFalse(empty.stderr().contains("give each stream its own"), empty.stderr());
        Files.delete(journal.resolve(JournalIdentity.FILE_NAME));
        final FeedProcess taken = FeedScript.run(120, publish(journal.toString(), "--count", "10", "--linger", "0s"));
        assertEquals(0, taken.exitCode(), taken.stderr());

        // Another stream id: its own journal.
        final List<String> otherStream = new ArrayList<>(List.of(publish(journal.toString(), "--count", "10")));
        otherStream.set(otherStream.indexOf(Integer.toString(STREAM)), Integer.toString(STREAM + 1));
        final FeedProcess stream = FeedScript.run(60, otherStream.toArray(String[]::new));
        assertEquals(2, stream.exitCode(), stream.stderr());
        assertTrue(stream.stderr().contains("holds the ticks of stream " + STREAM + " (sequences 1..10)"), stream.stderr());
        assertTrue(stream.stderr().contains("Give each stream its own --journal"), stream.stderr());

        // The same stream id on another address: the journal's channel, or another journal.
        final List<String> otherChannel = new ArrayList<>(List.of(publish(journal.toString(), "--count", "10")));
        otherChannel.set(otherChannel.indexOf(CHANNEL), "aeron:udp?endpoint=239.255.81.5:44105|interface=127.0.0.1");
        final FeedProcess channel = FeedScript.run(60, otherChannel.toArray(String[]::new));
        assertEquals(2, channel.exitCode(), channel.stderr());
        assertTrue(channel.stderr().contains("run with --channel '" + CHANNEL + "'"), channel.stderr());
    }

    @Test
    void aSignalDuringTheJournalCheckIsAStopNotDamage() throws Exception
    {
        // A journal whose start-up check reads a million entries one by one.
        final String journal = dir.resolve("journal").toString();
        final FeedProcess filled = FeedScript.run(240, publish(journal, "--count", "1000000", "--max-batch-ticks", "1",
            "--linger", "0s"));
        assertEquals(0, filled.exitCode(), filled.stderr());

        final FeedProcess publisher = interruptible(publish(journal, "--count", "1000", "--rate", "100"));
        // The start-up check is the first to map the journal's files: signal as soon as it does.
        Await.until(() -> !publisher.isAlive() || mapped(publisher.pid(), ".cq4"), 60);
        publisher.signal("INT");
        assertEquals(130, publisher.awaitExit(60), publisher.stderr());
        assertFalse(publisher.stderr().contains("damaged"), publisher.stderr());
        assertFalse(publisher.stderr().contains("Exception"), publisher.stderr());
        assertEquals("publisher", publisher.text("role"), publisher.summary());
        assertEquals(0, publisher.field("published"), publisher.summary());

        final FeedProcess verify = FeedScript.run(120, "journal", "verify", "--journal", journal);
        assertEquals(0, verify.exitCode(), verify.stderr());
        assertEquals(1_000_000, verify.field("lastGoodSeq"), verify.summary());

        // The full check, stopped: interrupted, never "damaged".
        final FeedProcess stopped = interruptible("journal", "verify", "--journal", journal);
        Await.until(() -> !stopped.isAlive() || mapped(stopped.pid(), ".cq4"), 60);
        stopped.signal("INT");
        assertEquals(130, stopped.awaitExit(60), stopped.stderr());
        assertFalse(stopped.stderr().contains("damaged"), stopped.stderr());
        assertTrue(stopped.summary().contains("\"interrupted\":\"SIGINT\"") || stopped.summary().contains("\"ok\":true"),
            stopped.summary());
    }

    @Test
    void aSignalWhilePublishingOrLingeringStopsPromptlyWithTheSummary() throws Exception
    {
        final String journal = dir.resolve("journal").toString();
        // Publishing: SIGINT ends it within the bounded drain, with the summary.
        final FeedProcess publishing = interruptible(publish(journal, "--count", "10000000", "--rate", "2000",
            "--linger", "30s", "--status-interval", "100ms"));
        publishing.awaitLog("state=PUBLISHING", 60);
        long signalled = System.nanoTime();
        publishing.signal("INT");
        assertEquals(130, publishing.awaitExit(60), publishing.stderr());
        assertTrue(System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(10), "stopped promptly");
        assertEquals("publisher", publishing.text("role"), publishing.summary());
        final long published = publishing.field("published");
        assertTrue(published > 0 && published < 10_000_000, publishing.summary());
        assertEquals(publishing.field("firstSeq") + published - 1, publishing.field("lastSeq"), publishing.summary());
        assertTrue(driverDirectories(publishing.pid()).isEmpty(), "its media driver directory went with it");

        // Lingering (60 s asked for): SIGTERM cuts it short.
        final FeedProcess lingering = interruptible(publish(journal, "--count", "100", "--linger", "60s",
            "--status-interval", "100ms"));
        lingering.awaitLog("state=LINGERING", 60);
        signalled = System.nanoTime();
        lingering.signal("TERM");
        assertEquals(143, lingering.awaitExit(60), lingering.stderr());
        assertTrue(System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(10), "the linger was cut short");
        assertEquals(100, lingering.field("published"), lingering.summary());
        assertEquals(published + 100, lingering.field("lastSeq"), lingering.summary());
    }

    @Test
    void aSignalAtLaunchIsNeverLost() throws Exception
    {
        // From the moment the JVM runs to well into the start (options, logging, the embedded driver, the
        // journal): wherever the signal lands, the run stops with 130 and never publishes everything.
        final String journal = dir.resolve("journal").toString();
        for (final long delayMillis : new long[]{0, 100, 250, 400, 600, 900, 1300, 1800})
        {
            final FeedProcess early = interruptible(publish(journal, "--count", "100000", "--rate", "20000",
                "--linger", "30s"));
            Thread.sleep(delayMillis);
            early.signal("INT");
            assertEquals(130, early.awaitExit(60), delayMillis + " ms: " + early.stderr());
            assertFalse(early.stderr().contains("Exception"), delayMillis + " ms: " + early.stderr());
            if (early.hasSummary())
            {
                assertTrue(early.field("published") < 100_000, delayMillis + " ms: " + early.summary());
            }
            assertTrue(driverDirectories(early.pid()).isEmpty(), delayMillis + " ms: driver directory left");
        }
    }

    @Test
    void aSecondSignalExitsAtOnce() throws Exception
    {
        // Two signals back to back: the second lands while the first stop is under way (the run loop
        // alone takes up to 100 ms to see the end), and the process leaves at once, its driver directory too.
        final FeedProcess publisher = interruptible(publish(dir.resolve("journal").toString(), "--count", "10000000",
            "--rate", "2000", "--linger", "30s", "--status-interval", "100ms"));
        publisher.awaitLog("state=PUBLISHING", 60);
        publisher.signal("INT");
        publisher.signal("INT");
        assertEquals(130, publisher.awaitExit(30), publisher.stderr());
        assertTrue(publisher.stderr().contains("second SIGINT: exiting now"), publisher.stderr());
        assertTrue(driverDirectories(publisher.pid()).isEmpty(), "its media driver directory went with it");
    }

    @Test
    void theDemoStopsOnTheFirstSignalAndExitsAtOnceOnTheSecond() throws Exception
    {
        // First signal: every part stops and says so, the demo prints its summary, the temporary journal goes.
        final FeedProcess demo = interruptible(demo("239.255.81.7:44107", "44108"));
        final Path journal = awaitDemoJournal(demo);
        final List<ProcessHandle> parts = awaitParts(demo);
        demo.signal("INT");
        assertEquals(130, demo.awaitExit(60), demo.stderr());
        assertEquals("demo", demo.text("role"), demo.summary());
        assertEquals("SIGINT", demo.text("interrupted"), demo.summary());
        assertTrue(demo.stdoutLines().stream().anyMatch(l -> l.startsWith("[publisher] {\"role\":\"publisher\"")),
            "the publisher printed its summary: " + demo.stdoutLines() + "\n" + demo.stderr());
        assertFalse(Files.exists(journal), "the temporary journal " + journal + " is removed");
        assertNoneAlive(parts);
        for (final ProcessHandle part : parts)
        {
            assertTrue(driverDirectories(part.pid()).isEmpty(), "part " + part.pid() + " removed its driver directory");
        }

        // Second signal while the first is still stopping the parts: out at once, the parts killed.
        final FeedProcess second = interruptible(demo("239.255.81.9:44109", "44110"));
        final Path secondJournal = awaitDemoJournal(second);
        final List<ProcessHandle> secondParts = awaitParts(second);
        second.signal("INT");
        // The second only once the first is being acted on: two sent back to back can reach the JVM as one
        // (a pending signal is not queued twice), and then nothing was "second".
        final long seen = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (second.stdoutLines().stream().noneMatch(l -> l.contains("stopped by SIGINT")))
        {
            assertTrue(System.nanoTime() < seen, "the demo never said it was stopping: " + second.stdoutLines());
            Thread.sleep(10);
        }
        second.signal("INT");
        assertEquals(130, second.awaitExit(30), second.stderr());
        assertTrue(second.stderr().contains("second SIGINT: exiting now"), second.stderr());
        assertFalse(Files.exists(secondJournal), "the temporary journal is removed on a forced exit too");
        assertNoneAlive(secondParts);
        for (final ProcessHandle part : secondParts)
        {
            assertTrue(driverDirectories(part.pid()).isEmpty(), "part " + part.pid() + "'s driver directory removed");
        }
    }

    @Test
    void staleDriverDirectoriesAreListedAndRemovedOnlyWhenTheirProcessIsGone() throws Exception
    {
        final String journal = dir.resolve("journal").toString();
        final FeedProcess killed = start(publish(journal, "--count", "10000000", "--rate", "1000",
            "--status-interval", "100ms"));
        killed.awaitLog("state=PUBLISHING", 60);
        final List<Path> left = driverDirectories(killed.pid());
        assertEquals(1, left.size(), "one embedded driver directory");
        killed.signal("KILL");
        killed.awaitExit(30);
        assertTrue(Files.exists(left.get(0)), "SIGKILL leaves it");

        // Stale once its driver's heartbeat has also stopped (Aeron's driver timeout, 10 s, after the kill).
        final String listed = "stale " + left.get(0) + " (process " + killed.pid() + " is gone";
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        FeedProcess list = FeedScript.run(60, "driver", "--list-stale");
        while (!list.stderr().contains(listed) && System.nanoTime() < deadline)
        {
            Thread.sleep(1_000);
            list = FeedScript.run(60, "driver", "--list-stale");
        }
        assertTrue(list.stderr().contains(listed), list.stderr());

        // Paused for less than the driver timeout: longer, and its own Aeron client would give up on resuming.
        final FeedProcess paused = start(publish(dir.resolve("other").toString(), "--count", "10000000", "--rate", "1000",
            "--status-interval", "100ms", "--stream", Integer.toString(STREAM + 2), "--no-replay-server"));
        paused.awaitLog("state=PUBLISHING", 60);
        paused.signal("STOP");
        final List<Path> kept = driverDirectories(paused.pid());
        assertEquals(1, kept.size());

        list = FeedScript.run(60, "driver", "--list-stale");
        assertEquals(0, list.exitCode(), list.stderr());
        assertTrue(list.stderr().contains(listed), list.stderr());
        assertFalse(list.stderr().contains(kept.get(0).toString()), "a stopped process is not gone: " + list.stderr());
        assertTrue(Files.exists(left.get(0)), "listing removes nothing");

        final FeedProcess remove = FeedScript.run(60, "stat", "--remove-stale");
        assertEquals(0, remove.exitCode(), remove.stderr());
        assertTrue(remove.stderr().contains("removed " + left.get(0)), remove.stderr());
        assertFalse(Files.exists(left.get(0)));
        assertTrue(Files.exists(kept.get(0)), "the stopped process keeps its directory");

        paused.stop();
        assertEquals(143, paused.awaitExit(60), paused.stderr());
        assertTrue(driverDirectories(paused.pid()).isEmpty());
    }

    /** {@code feed publish} on this test's stream and journal; an option in {@code more} replaces its default here. */
    private String[] publish(final String journal, final String... more)
    {
        final List<String> given = List.of(more);
        final String[][] defaults = {{"--rate", "0"}, {"--connect-timeout", "0s"}, {"--journal", journal},
            {"--channel", CHANNEL}, {"--stream", Integer.toString(STREAM)}, {"--replay-channel", REPLAY}};
        final List<String> args = new ArrayList<>(List.of("publish"));
        for (final String[] option : defaults)
        {
            if (!given.contains(option[0]) && !(option[0].equals("--replay-channel") && given.contains("--no-replay-server")))
            {
                args.addAll(List.of(option));
            }
        }
        args.addAll(given);
        return args.toArray(String[]::new);
    }

    private String[] demo(final String group, final String replayPort)
    {
        // Without the late joiners: the parts are then the publisher and two subscribers, as awaitParts counts.
        return new String[]{"demo", "--count", "2000000", "--rate", "20000", "--pause", "0", "--no-late-joiners",
            "--channel", "aeron:udp?endpoint=" + group + "|interface=127.0.0.1", "--stream", "3111",
            "--replay-channel", "aeron:udp?endpoint=127.0.0.1:" + replayPort, "--timeout", "120s"};
    }

    private FeedProcess start(final String... args) throws IOException
    {
        final FeedProcess process = FeedScript.start(args);
        started.add(process);
        return process;
    }

    /** Started so that SIGINT reaches it (see the class comment), and checked to be so. */
    private FeedProcess interruptible(final String... args) throws Exception
    {
        final FeedProcess process = FeedScript.startVia(SIGINT_DEFAULT, "-Xmx512m", args);
        started.add(process);
        Await.until(() -> !process.isAlive() || commandLine(process.pid()).contains(FeedMain.class.getName()), 30);
        final String status = Files.readString(Path.of("/proc/" + process.pid() + "/status"));
        final String ignored = status.lines().filter(l -> l.startsWith("SigIgn:")).findFirst().orElse("SigIgn: 0");
        assertEquals(0, Long.parseLong(ignored.substring(ignored.indexOf(':') + 1).trim(), 16) & 0x2,
            "the feed's process must not ignore SIGINT: " + ignored);
        return process;
    }

    private static Path awaitDemoJournal(final FeedProcess demo) throws Exception
    {
        Await.until(() -> demo.stdoutLines().stream().anyMatch(l -> l.startsWith("[demo] publishing")), 120);
        final String line = demo.stdoutLines().stream().filter(l -> l.startsWith("[demo] journal ")).findFirst()
            .orElseThrow();
        return Path.of(line.substring("[demo] journal ".length(), line.indexOf(", channel ")));
    }

    /**
     * The demo's parts (two subscribers and the publisher), once all three run their commands (a JVM
     * signalled before it can handle signals at all just dies, as any program does).
     */
    private static List<ProcessHandle> awaitParts(final FeedProcess demo) throws Exception
    {
        demo.awaitLog("PublishCommand - publishing on", 60);
        Await.until(() -> demo.handle().children().filter(p -> commandLine(p.pid()).contains(FeedMain.class.getName()))
            .count() == 3, 60);
        return demo.handle().children().toList();
    }

    private static void assertNoneAlive(final List<ProcessHandle> processes) throws Exception
    {
        Await.until(() -> processes.stream().noneMatch(ProcessHandle::isAlive), 30);
    }

    /** The embedded media driver directories of the process {@code pid}. */
    private static List<Path> driverDirectories(final long pid) throws IOException
    {
        final Path base = Path.of(io.aeron.CommonContext.getAeronDirectoryName()).toAbsolutePath();
        final String prefix = base.getFileName() + "-embedded-" + pid + "-";
        try (Stream<Path> listing = Files.list(base.getParent()))
        {
            return listing.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    /** Whether the process {@code pid} has a file whose name contains {@code name} mapped. */
    private static boolean mapped(final long pid, final String name)
    {
        try
        {
            return Files.readString(Path.of("/proc/" + pid + "/maps")).contains(name);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static String commandLine(final long pid)
    {
        try
        {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                .replace('\0', ' ');
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static String list(final Path directory)
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            return files.map(Path::toString).toList().toString();
        }
        catch (final IOException ex)
        {
            return "(unreadable)";
        }
    }
}
