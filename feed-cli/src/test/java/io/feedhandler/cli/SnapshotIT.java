package io.feedhandler.cli;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalWriter;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Late joiners that start from a snapshot, through the real parts: {@code scripts/feed} processes with
 * their own media drivers, multicast on loopback, a journal of millions of ticks on disk, the replay
 * server in the publisher answering from the book it keeps, and local journals.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SnapshotIT
{
    @TempDir
    Path dir;

    private static String channel(final int n)
    {
        return "aeron:udp?endpoint=239.255.92." + (2 * n + 1) + ":" + (45100 + n) + "|interface=127.0.0.1";
    }

    private static String replayChannel(final int n)
    {
        return "aeron:udp?endpoint=127.0.0.1:" + (45200 + n);
    }

    @Test
    void aSnapshotJoinerIsLiveAtOnceAndHoldsTheBookOfOneThatRanFromTheStart() throws Exception
    {
        final String journal = dir.resolve("journal").toString();
        final FeedProcess history = FeedScript.run(180, "publish", "--count", "2000000", "--rate", "0",
            "--instruments", "1000", "--connect-timeout", "0s", "--linger", "0s", "--no-replay-server",
            "--journal", journal, "--channel", channel(2));
        assertEquals(0, history.exitCode(), history.stderr());
        assertEquals(2_000_000, history.field("lastSeq"), history.summary());

        try (FeedProcess full = FeedScript.start("subscribe", "--name", "full", "--offsets", offsets(), "--from-seq", "1",
            "--count", "2500000", "--duration", "150s", "--channel", channel(2), "--replay-channel", replayChannel(2)))
        {
            full.awaitReady(60);
            final FeedProcess publisher = FeedScript.start("publish", "--count", "500000", "--rate", "50000",
                "--instruments", "1000", "--journal", journal, "--linger", "5s", "--channel", channel(2),
                "--replay-channel", replayChannel(2));
            publisher.awaitLog("continuing at sequence", 60);
            Thread.sleep(3_000); // well into the live run
            try (FeedProcess snapshot = FeedScript.start("subscribe", "--name", "snapshot", "--snapshot",
                "--offsets", offsets(),
                "--duration", "14s", "--channel", channel(2), "--replay-channel", replayChannel(2));
                FeedProcess local = FeedScript.start("subscribe", "--name", "local", "--snapshot",
                    "--duration", "14s", "--channel", channel(2), "--journal", journal))
            {
                assertEquals(0, publisher.awaitExit(120), publisher.stderr());
                assertEquals(0, full.awaitExit(150), full.stderr());
                assertEquals(0, snapshot.awaitExit(60), snapshot.stderr());
                assertEquals(0, local.awaitExit(60), local.stderr());
                final FeedProcess book = FeedScript.run(60, "journal", "book", "--journal", journal);
                assertEquals(0, book.exitCode(), book.stderr());
                assertEquals(2_500_000, book.field("atSeq"), book.summary());

                assertEquals(2_500_000, full.field("lastSeq"), full.summary());
                assertEquals(book.text("bookDigest"), full.text("bookDigest"), full.summary());
                for (final FeedProcess joiner : List.of(snapshot, local))
                {
                    final long snapshotSeq = joiner.field("snapshotSeq");
                    assertTrue(snapshotSeq > 2_000_000 && snapshotSeq < 2_500_000, joiner.summary());
                    assertEquals(1000, joiner.field("snapshotInstruments"), joiner.summary());
                    assertEquals(2_500_000, joiner.field("lastSeq"), joiner.summary());
                    assertEquals(snapshotSeq + 1, joiner.field("firstSeq"), joiner.summary());
                    assertEquals(2_500_000 - snapshotSeq, joiner.field("delivered"), "every tick after S, once");
                    assertEquals(book.text("bookDigest"), joiner.text("bookDigest"), joiner.summary());
                    final FeedProcess after = FeedScript.run(60, "journal", "digest", "--journal", journal,
                        "--from-seq", Long.toString(snapshotSeq + 1), "--to-seq", "2500000");
                    assertEquals(after.text("digest"), joiner.text("digest"), "the ticks after S, in order");
                    assertTrue(joiner.field("liveAfterMs") > 0, "it went live: " + joiner.summary());
                }
                assertTrue(snapshot.field("liveAfterMs") < 1_000, "live within a second: " + snapshot.summary());
                assertTrue(publisher.field("ratePerSec") >= 45_000, publisher.summary());
                assertTrue(publisher.summary().contains("\"snapshots\":") &&
                    !publisher.summary().contains("\"snapshots\":0"), "served from the book: " + publisher.summary());
            }
        }
    }

    @Test
    void aDurableSubscriberWhoseOffsetWasDeletedByRetentionStartsFromASnapshot() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final String journal = journalDir.toString();
        writeInAnEarlierCycle(journalDir, 30_000);
        final FeedProcess first = FeedScript.run(90, "publish", "--count", "5000", "--rate", "0",
            "--instruments", "20", "--connect-timeout", "0s", "--linger", "0s", "--no-replay-server",
            "--journal", journal, "--channel", channel(3));
        assertEquals(0, first.exitCode(), first.stderr());
        assertEquals(30_001, first.field("firstSeq"), first.summary());
        for (final String name : List.of("counts", "snapshots", "served"))
        {
            final FeedProcess stored = FeedScript.run(60, "subscribe", "--name", name, "--from-seq", "1",
                "--count", "100", "--journal", journal, "--channel", channel(3));
            assertEquals(0, stored.exitCode(), stored.stderr());
        }
        deleteOldestCycleFile(journalDir); // retention
        final FeedProcess stats = FeedScript.run(60, "journal", "stats", "--journal", journal);
        assertEquals(0, stats.exitCode(), stats.stderr());
        final long retainedFrom = stats.field("firstSeq");
        assertEquals(30_001, retainedFrom, stats.summary());
        final FeedProcess book = FeedScript.run(60, "journal", "book", "--journal", journal);
        assertEquals(0, book.exitCode(), book.stderr());

        final FeedProcess counts = FeedScript.run(60, "subscribe", "--name", "counts", "--duration", "4s",
            "--journal", journal, "--channel", channel(3));
        assertEquals(0, counts.exitCode(), counts.stderr());
        assertEquals(retainedFrom - 101, counts.field("lost"), counts.summary());

        final FeedProcess snapshots = FeedScript.run(60, "subscribe", "--name", "snapshots", "--on-lost", "snapshot",
            "--duration", "4s", "--journal", journal, "--channel", channel(3));
        assertEquals(0, snapshots.exitCode(), snapshots.stderr());
        assertEquals(0, snapshots.field("lost"), snapshots.summary());
        assertEquals(35_000, snapshots.field("snapshotSeq"), snapshots.summary());
        assertEquals(book.text("bookDigest"), snapshots.text("bookDigest"), snapshots.summary());

        try (FeedProcess server = FeedScript.start("replay-server", "--journal", journal,
            "--replay-channel", replayChannel(3)))
        {
            server.awaitLog("listening on", 60);
            final FeedProcess served = FeedScript.run(60, "subscribe", "--name", "served", "--on-lost", "snapshot",
                "--offsets", journalDir.resolve("subscribers").toString(), "--duration", "4s", "--channel", channel(3),
                "--replay-channel", replayChannel(3));
            assertEquals(0, served.exitCode(), served.stderr());
            assertEquals(0, served.field("lost"), served.summary());
            assertEquals(35_000, served.field("snapshotSeq"), served.summary());
            assertEquals(book.text("bookDigest"), served.text("bookDigest"), served.summary());
            server.signal("TERM");
            server.awaitExit(60);
        }
    }

    @Test
    void conflictingArgumentsAreRefusedNamingThem() throws Exception
    {
        final FeedProcess fromSeq = FeedScript.run(60, "subscribe", "--snapshot", "--from-seq", "5");
        assertEquals(2, fromSeq.exitCode(), fromSeq.stderr());
        assertTrue(fromSeq.stderr().contains("--snapshot") && fromSeq.stderr().contains("--from-seq"), fromSeq.stderr());
        final FeedProcess noRecovery = FeedScript.run(60, "subscribe", "--snapshot", "--no-recovery");
        assertEquals(2, noRecovery.exitCode(), noRecovery.stderr());
        assertTrue(noRecovery.stderr().contains("--no-recovery"), noRecovery.stderr());
        final FeedProcess onLost = FeedScript.run(60, "subscribe", "--on-lost", "forget");
        assertEquals(2, onLost.exitCode(), onLost.stderr());
        assertTrue(onLost.stderr().contains("'forget'"), onLost.stderr());
    }

    /** The journal's own retention (`publish --retain-cycles 1` runs the same), once, from this process. */
    private static void deleteOldestCycleFile(final Path journal)
    {
        try (Journal opened = Journal.open(journal))
        {
            assertEquals(1, opened.retainCycles(1), "the older of two cycle files deleted");
        }
    }

    /**
     * The start of the stream, sequences 1 to {@code count}, written as a publisher would have two hours
     * ago: a cycle file of its own (the default roll cycle is hourly), which the test then deletes as
     * retention would once the publisher has continued the stream in the current hour's file.
     */
    private static void writeInAnEarlierCycle(final Path journalDir, final int count) throws Exception
    {
        Files.createDirectories(journalDir);
        final long from = 1;
        final SetTimeProvider earlier = new SetTimeProvider(
            TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - TimeUnit.HOURS.toNanos(2));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[QuoteBatchWriter.length(25)]);
        final QuoteBatchWriter batch = new QuoteBatchWriter();
        final MutableQuote quote = new MutableQuote();
        try (Journal journal = Journal.open(journalDir, Journal.rollCycle("FAST_HOURLY"), earlier);
            JournalWriter writer = journal.newWriter())
        {
            for (long sequence = from; sequence < from + count; )
            {
                batch.wrap(buffer, 0, journal.epoch(), sequence);
                for (int i = 0; i < 25 && sequence < from + count; i++, sequence++)
                {
                    quote.sequence = sequence;
                    quote.instrumentId = 1 + (int)(sequence % 20);
                    quote.bidPrice = 100_000_000L * (100 + sequence % 17);
                    quote.askPrice = quote.bidPrice + 1_000_000L;
                    quote.bidSize = 100 + sequence % 9;
                    quote.askSize = 200 + sequence % 7;
                    batch.add(quote);
                }
                assertTrue(writer.append(buffer, 0, batch.length()));
            }
        }
    }

    /** Durable subscribers' offsets in the test's own folder, not the working directory's default. */
    private String offsets()
    {
        return dir.resolve("offsets").toString();
    }
}
