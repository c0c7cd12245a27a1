package io.feedhandler.cli;

import io.feedhandler.codecs.QuoteBatchWriter;

import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalIdentity;
import io.feedhandler.journal.JournalWriter;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged journals on disk, as {@code scripts/feed} users meet them: {@code feed journal verify}
 * names the first bad sequence of each kind of damage, {@code feed publish} refuses a damaged
 * journal (exit 2, one line) and, told to, archives it and goes on after the last good sequence.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JournalDamageIT
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.78.61:41061|interface=127.0.0.1";
    static final int STREAM = 3061;

    @TempDir
    Path dir;

    @Test
    void verifyNamesTheFirstBadSequenceOfEachDamage() throws Exception
    {
        final FeedProcess sound = verify(journal("sound"));
        assertEquals(0, sound.exitCode(), sound.stderr());
        assertEquals(4000, sound.field("lastGoodSeq"), sound.summary());
        assertEquals(4, sound.field("cycles"));
        assertEquals(STREAM, sound.field("stream"));

        final List<Path> truncated = journal("truncated");
        cut(truncated.get(3), entryOffset(truncated.get(3), 3500) + 30);
        assertDamaged(verify(truncated), 3500, "is cut short at");

        final List<Path> emptied = journal("emptied");
        cut(emptied.get(3), 0);
        assertDamaged(verify(emptied), 3001, "cut to 0 bytes");

        final List<Path> corrupted = journal("corrupted");
        flip(corrupted.get(1), entryOffset(corrupted.get(1), 1500) + 4);
        assertDamaged(verify(corrupted), 1500, "does not decode");

        final List<Path> missing = journal("missing");
        Files.delete(missing.get(1));
        final FeedProcess gap = verify(missing);
        assertDamaged(gap, 1001, "sequences 1001..2000 are missing");
        assertEquals(2000, gap.field("missingToSeq"), gap.summary());

        final List<Path> other = journal("other-stream");
        final FeedProcess foreign = FeedScript.run(60, "journal", "verify", "--journal",
            other.get(0).getParent().toString(), "--channel", CHANNEL, "--stream", Integer.toString(STREAM + 1));
        assertDamaged(foreign, 1, "belongs to stream " + STREAM);
    }

    @Test
    void publishRefusesADamagedJournalThenArchivesItWhenTold() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final FeedProcess first = publish(journal, 5000);
        assertEquals(0, first.exitCode(), first.stderr());
        final Path damaged = cutInside(journal, 4000);
        final long damagedSize = Files.size(damaged);

        final FeedProcess refused = publish(journal, 100);
        assertEquals(2, refused.exitCode(), refused.stderr());
        final List<String> lines = refused.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), "one line: " + refused.stderr());
        assertTrue(lines.get(0).contains("journal " + journal.toAbsolutePath() + " is damaged at sequence 4000"), lines.get(0));
        assertTrue(lines.get(0).contains("--on-damaged-journal archive"), lines.get(0));
        assertFalse(refused.stdoutLines().stream().anyMatch(line -> line.contains("\"published\"")), "nothing published");
        assertEquals(damagedSize, Files.size(damaged), "left as it was");
        assertDamaged(verify(journal), 4000, "is cut short at");

        final FeedProcess archived = publish(journal, 100, "--on-damaged-journal", "archive");
        assertEquals(0, archived.exitCode(), archived.stderr());
        assertEquals(4000, archived.field("firstSeq"), archived.summary());
        assertEquals(4099, archived.field("lastSeq"), archived.summary());
        assertEquals(3999, archived.field("keptLastSeq"), archived.summary());
        final Path archive = Path.of(archived.text("archive"));
        assertTrue(archive.getFileName().toString().startsWith("journal.damaged-"), archive.toString());
        assertEquals(damagedSize, Files.size(archive.resolve(damaged.getFileName())), "the damaged journal, kept");
        assertTrue(archived.stderr().contains("the damaged journal is kept, unchanged, at " + archive), archived.stderr());
        assertTrue(archived.stderr().contains("holding a copy of its sequences 1..3999"), archived.stderr());
        assertTrue(archived.stderr().contains("publishing continues at sequence 4000"), archived.stderr());

        final FeedProcess fresh = verify(journal);
        assertEquals(0, fresh.exitCode(), fresh.stderr());
        assertEquals(4099, fresh.field("lastGoodSeq"), fresh.summary());
        assertDamaged(verify(archive), 4000, "is cut short at");
    }

    @Test
    void publishRefusesAJournalOfAnotherStream() throws Exception
    {
        final Path journal = dir.resolve("journal");
        assertEquals(0, publish(journal, 10).exitCode());
        final FeedProcess other = FeedScript.run(90, "publish", "--count", "10", "--rate", "0", "--connect-timeout",
            "0s", "--linger", "0s", "--no-replay-server", "--journal", journal.toString(), "--channel", CHANNEL,
            "--stream", Integer.toString(STREAM + 1));
        assertEquals(2, other.exitCode(), other.stderr());
        assertTrue(other.stderr().contains("holds the ticks of stream " + STREAM + " (sequences 1..10) (on " + CHANNEL +
            "), not of stream " + (STREAM + 1)), other.stderr());
    }

    private FeedProcess publish(final Path journal, final long count, final String... more) throws Exception
    {
        final List<String> args = new java.util.ArrayList<>(List.of("publish", "--count", Long.toString(count),
            "--rate", "0", "--connect-timeout", "0s", "--linger", "0s", "--no-replay-server",
            "--max-batch-ticks", "1", // an entry per tick: the damage is done at a tick's own entry
            "--journal", journal.toString(), "--channel", CHANNEL, "--stream", Integer.toString(STREAM)));
        args.addAll(List.of(more));
        return FeedScript.run(90, args.toArray(String[]::new));
    }

    private static FeedProcess verify(final List<Path> files) throws Exception
    {
        return verify(files.get(0).getParent());
    }

    private static FeedProcess verify(final Path journal) throws Exception
    {
        return FeedScript.run(60, "journal", "verify", "--journal", journal.toString());
    }

    private static void assertDamaged(final FeedProcess verify, final long firstBad, final String problem)
    {
        assertEquals(1, verify.exitCode(), verify.stderr() + verify.summary());
        assertEquals(firstBad, verify.field("firstBadSeq"), verify.summary());
        assertEquals(firstBad - 1, verify.field("lastGoodSeq"), verify.summary());
        assertTrue(verify.text("problem").contains(problem), verify.summary());
        assertTrue(verify.stderr().contains("is damaged at sequence " + firstBad), verify.stderr());
    }

    /** A journal of four five-minute cycle files (sequences 1-1000 ... 3001-4000) with its identity. */
    private List<Path> journal(final String name) throws IOException
    {
        final Path journal = dir.resolve(name);
        final FeedEncoder encoder = new FeedEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        try (Journal j = Journal.open(journal, RollCycles.FIVE_MINUTELY, clock); JournalWriter writer = j.newWriter())
        {
            for (long sequence = 1; sequence <= 4000; sequence++)
            {
                writer.append(buffer, 0, QuoteBatchWriter.single(buffer, 0, 0, quote(sequence)));
                if (sequence % 1000 == 0)
                {
                    clock.advanceMillis(TimeUnit.MINUTES.toMillis(5));
                }
            }
        }
        JournalIdentity.create(CHANNEL, STREAM, "new").write(journal);
        try (Stream<Path> files = Files.list(journal))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
        }
    }

    private static MutableQuote quote(final long sequence)
    {
        final MutableQuote quote = new MutableQuote();
        quote.sequence = sequence;
        quote.instrumentId = 1 + (int)(sequence % 5);
        quote.bidPrice = 100_000_000L + sequence;
        quote.askPrice = quote.bidPrice + 1_000_000L;
        quote.bidSize = 100;
        quote.askSize = 200;
        return quote;
    }

    /** Cut the cycle file holding {@code sequence} inside that entry; returns the file. */
    private static Path cutInside(final Path journal, final long sequence) throws IOException
    {
        try (Stream<Path> files = Files.list(journal))
        {
            for (final Path file : files.filter(p -> p.toString().endsWith(".cq4")).toList())
            {
                final long at = find(file, sequence);
                if (at >= 0)
                {
                    cut(file, at + 20);
                    return file;
                }
            }
        }
        throw new AssertionError("no entry for sequence " + sequence + " in " + journal);
    }

    private static long entryOffset(final Path file, final long sequence) throws IOException
    {
        final long at = find(file, sequence);
        assertTrue(at >= 0, "entry " + sequence + " in " + file);
        return at;
    }

    /** Offset of the batch holding {@code sequence} (its SBE header) in the first MiBs of {@code file}, or -1. */
    private static long find(final Path file, final long sequence) throws IOException
    {
        final byte[] bytes = new byte[(int)Math.min(4 << 20, Files.size(file))];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"))
        {
            raf.readFully(bytes);
        }
        return QuoteBatchWriter.offsetOfBatchHolding(bytes, sequence);
    }

    private static void cut(final Path file, final long size) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(size);
        }
    }

    private static void flip(final Path file, final long offset) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            final int b = raf.read();
            raf.seek(offset);
            raf.write(~b);
        }
    }
}
