package io.feedhandler.cli;

import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalVerifier;
import io.feedhandler.journal.NotJournaledRanges;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's disk really fills: as root, a 16 MiB tmpfs is mounted for the journal and mostly taken
 * by a ballast file, then a publisher ({@code scripts/feed}, its own embedded driver, multicast on
 * loopback) journals into what is left until its free-space guard trips, under each policy. Deleting
 * the ballast is the operator freeing space. Checked: no crash, the alarm (summary counter and log
 * line), what subscribers end with, and that the journal's history is intact. Skipped, saying why,
 * where a tmpfs cannot be mounted (not root).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JournalFullIT
{
    private static final int COUNT = 60_000;
    private static final String RATE = "20000";
    private static final int TMPFS_MIB = 16;
    /** Leaves about 4 MiB: 3 MiB above a 1 MiB reserve, some 40,000 ticks. */
    private static final int BALLAST_MIB = 12;

    @TempDir
    Path dir;

    private Path disk;
    private boolean mounted;

    private static String channel(final int n)
    {
        return "aeron:udp?endpoint=239.255.86." + (2 * n + 1) + ":448" + (60 + 2 * n) + "|interface=127.0.0.1";
    }

    private static String replayChannel(final int n)
    {
        return "aeron:udp?endpoint=127.0.0.1:448" + (61 + 2 * n);
    }

    private static String stream(final int n)
    {
        return Integer.toString(8601 + n);
    }

    @BeforeEach
    void mountASmallDisk() throws Exception
    {
        disk = Files.createDirectories(dir.resolve("disk"));
        final Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_MIB + "m", "tmpfs",
            disk.toString()).redirectErrorStream(true).start();
        final boolean done = mount.waitFor(30, TimeUnit.SECONDS);
        final String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        mounted = done && mount.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "skipped: mounting a " + TMPFS_MIB + " MiB tmpfs needs root (user " +
            System.getProperty("user.name") + "): " + output);
        final Path ballast = disk.resolve("ballast");
        try (RandomAccessFile file = new RandomAccessFile(ballast.toFile(), "rw"))
        {
            final byte[] mib = new byte[1 << 20];
            java.util.Arrays.fill(mib, (byte)1);
            for (int i = 0; i < BALLAST_MIB; i++)
            {
                file.write(mib); // real pages, not a hole
            }
        }
    }

    @AfterEach
    void unmount() throws Exception
    {
        if (mounted)
        {
            final Process umount = new ProcessBuilder("umount", disk.toString()).redirectErrorStream(true).start();
            if (!umount.waitFor(30, TimeUnit.SECONDS) || umount.exitValue() != 0)
            {
                new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void stopSendsNothingTheJournalCannotHoldAndResumesWithNoHoleWhenSpaceReturns() throws Exception
    {
        final Path journalDir = disk.resolve("journal");
        try (FeedProcess subscriber = subscriber(0, "--count", Integer.toString(COUNT)))
        {
            subscriber.awaitReady(60);
            final FeedProcess publisher = publisher(0, journalDir, "stop", "--count", Integer.toString(COUNT));
            publisher.awaitLog("JOURNAL FULL", 60);
            assertTrue(publisher.stderr().contains("policy stop: publishing STOPPED at sequence"), publisher.stderr());

            // Stopped: the journal does not move, and nothing past it was sent (the subscriber digests below).
            final long stoppedAt = journalLast(journalDir);
            assertTrue(stoppedAt > 10_000 && stoppedAt < COUNT, "stopped at " + stoppedAt);
            awaitStable(() -> journalLast(journalDir), 1_000);
            assertEquals(stoppedAt, journalLast(journalDir));

            Files.delete(disk.resolve("ballast")); // the operator frees space
            assertEquals(0, publisher.awaitExit(120), publisher.stderr());
            assertEquals(0, subscriber.awaitExit(120), subscriber.stderr());
            assertTrue(publisher.stderr().contains("journaling resumed, no sequence skipped"), publisher.stderr());

            assertEquals(COUNT, publisher.field("published"), publisher.summary());
            assertEquals(1, publisher.field("journalFull"), "the alarm: " + publisher.summary());
            assertEquals(0, publisher.field("notJournaled"));
            assertEquals("JOURNALING", publisher.text("journalState"));
            assertTrue(publisher.field("heartbeats") > 0);
            assertEquals(COUNT, subscriber.field("delivered"), subscriber.summary());
            assertEquals(0, subscriber.field("lost"));
            assertEquals(publisher.text("digest"), subscriber.text("digest"), "every tick once, in order");
            assertJournalIntact(journalDir, COUNT, 0);
            assertEquals(publisher.text("digest"), journalDigest(journalDir, 1, COUNT));
        }
    }

    @Test
    void stopEndingWithTheDiskStillFullExitsOneAndTheSubscriberHasExactlyTheJournal() throws Exception
    {
        final Path journalDir = disk.resolve("journal");
        try (FeedProcess subscriber = subscriber(1))
        {
            subscriber.awaitReady(60);
            final FeedProcess publisher = publisher(1, journalDir, "stop", "--duration", "4s");
            assertEquals(1, publisher.awaitExit(120), "ended in the stopped state: " + publisher.stderr());
            assertTrue(publisher.stderr().contains("JOURNAL FULL"), publisher.stderr());
            assertTrue(publisher.stderr().contains("ended with the journal full (policy stop)"), publisher.stderr());
            assertEquals("STOPPED", publisher.text("journalState"), publisher.summary());
            assertEquals(1, publisher.field("journalFull"));

            final long last = journalLast(journalDir);
            assertEquals(last, publisher.field("lastSeq"), "everything published is journaled");
            subscriber.signal("TERM");
            subscriber.awaitExit(60);
            assertEquals(last, subscriber.field("delivered"), subscriber.summary());
            assertEquals(journalDigest(journalDir, 1, last), subscriber.text("digest"));
            assertEquals(publisher.text("digest"), subscriber.text("digest"));
            assertJournalIntact(journalDir, last, 0);
        }
    }

    @Test
    void liveOnlyKeepsTheLiveFeedAndALateSubscriberIsToldTheRangeIsNotJournaled() throws Exception
    {
        final Path journalDir = disk.resolve("journal");
        try (FeedProcess live = subscriber(2, "--count", Integer.toString(COUNT)))
        {
            live.awaitReady(60);
            final FeedProcess publisher = publisher(2, journalDir, "live-only", "--count", Integer.toString(COUNT));
            publisher.awaitLog("JOURNAL FULL", 60);
            assertTrue(publisher.stderr().contains("policy live-only: sending live WITHOUT journaling"),
                publisher.stderr());
            // Let a few thousand ticks go out live-only, then free the space.
            Await.until(() -> notJournaledSoFar(journalDir) >= 2_000, 60);
            Files.delete(disk.resolve("ballast"));
            assertEquals(0, publisher.awaitExit(120), publisher.stderr());
            assertEquals(0, live.awaitExit(120), live.stderr());
            assertTrue(publisher.stderr().contains("journaling resumed; sequences "), publisher.stderr());

            final long skipped = publisher.field("notJournaled");
            assertTrue(skipped >= 2_000 && skipped < COUNT, publisher.summary());
            assertEquals(1, publisher.field("journalFull"), publisher.summary());
            assertEquals(COUNT, live.field("delivered"), "live missed nothing: " + live.summary());
            assertEquals(publisher.text("digest"), live.text("digest"));
            assertJournalIntact(journalDir, COUNT, skipped);

            // A late subscriber wants the whole history from a replay server on the journal.
            try (FeedProcess server = FeedScript.start("replay-server", "--journal", journalDir.toString(),
                "--replay-channel", replayChannel(3));
                FeedProcess late = FeedScript.start("subscribe", "--from-seq", "1",
                    "--count", Long.toString(COUNT - skipped), "--channel", channel(3), "--stream", stream(3),
                    "--replay-channel", replayChannel(3)))
            {
                assertEquals(0, late.awaitExit(120), late.stderr());
                assertEquals(COUNT - skipped, late.field("delivered"), late.summary());
                assertEquals(skipped, late.field("lost"), "the range is lost, nothing else: " + late.summary());
                assertTrue(late.stderr().contains("were never journaled"), late.stderr());
                assertTrue(late.stderr().contains("NOT_JOURNALED"), late.stderr());
                assertEquals(journalDigest(journalDir, 1, COUNT), late.text("digest"),
                    "everything journaled, in order, once");
                server.signal("TERM");
                server.awaitExit(60);
                assertTrue(server.summary().contains("\"NOT_JOURNALED\":1"), server.summary());
            }
        }
    }

    private FeedProcess publisher(final int n, final Path journalDir, final String policy, final String... more)
        throws IOException
    {
        final String[] base = {"publish", "--journal", journalDir.toString(), "--rate", RATE,
            "--on-journal-full", policy, "--min-free-disk", "1m", "--heartbeat-interval", "200ms", "--linger", "2s",
            "--channel", channel(n), "--stream", stream(n), "--replay-channel", replayChannel(n)};
        final String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return FeedScript.start(args);
    }

    private static FeedProcess subscriber(final int n, final String... more) throws IOException
    {
        final String[] base = {"subscribe", "--channel", channel(n), "--stream", stream(n),
            "--replay-channel", replayChannel(n)};
        final String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return FeedScript.start(args);
    }

    private static long journalLast(final Path journalDir)
    {
        try (Journal journal = Journal.openReadOnly(journalDir))
        {
            return journal.lastSequence();
        }
    }

    private static long notJournaledSoFar(final Path journalDir)
    {
        try (NotJournaledRanges ranges = NotJournaledRanges.openForReading(journalDir))
        {
            return ranges.count() == 0 ? 0 : ranges.last(0) - ranges.first(0) + 1;
        }
    }

    private static void assertJournalIntact(final Path journalDir, final long last, final long notJournaled)
        throws Exception
    {
        try (Journal journal = Journal.openReadOnly(journalDir))
        {
            final JournalVerifier.Result result = JournalVerifier.verify(journal);
            assertTrue(result.ok(), result.problem());
            assertEquals(1, result.firstSequence());
            assertEquals(last, result.lastGoodSequence());
            assertEquals(notJournaled, result.notJournaled());
            assertEquals(last - notJournaled, result.quotes());
        }
        final FeedProcess verify = FeedScript.run(60, "journal", "verify", "--journal", journalDir.toString());
        assertEquals(0, verify.exitCode(), verify.stderr() + verify.summary());
    }

    private static String journalDigest(final Path journalDir, final long from, final long to) throws Exception
    {
        final FeedProcess digest = FeedScript.run(60, "journal", "digest", "--journal", journalDir.toString(),
            "--from-seq", Long.toString(from), "--to-seq", Long.toString(to));
        assertEquals(0, digest.exitCode(), digest.stderr());
        return digest.text("digest");
    }

    /** Wait until {@code value} has not changed for {@code quietMillis} (bounded: it is expected to hold still). */
    private static void awaitStable(final LongSupplier value, final long quietMillis) throws InterruptedException
    {
        long last = value.getAsLong();
        long since = System.nanoTime();
        final long deadline = since + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(quietMillis))
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("still moving: " + last);
            }
            Thread.sleep(50);
            final long now = value.getAsLong();
            if (now != last)
            {
                last = now;
                since = System.nanoTime();
            }
        }
    }
}
