package io.feedhandler.journal;

import io.feedhandler.codecs.QuoteBatchWriter;

import io.feedhandler.codecs.FeedEncoder;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real journals on disk, and real damage done to their files: what a crash, a full disk, a stray
 * {@code rm} or a bad block leaves behind.
 */
final class DamagedJournals
{
    /** Cycle files hold their entries in the first few hundred KiB; the rest is preallocated zeros. */
    private static final int SEARCHED_BYTES = 4 << 20;

    private DamagedJournals()
    {
    }

    /** {@code cycles} five-minute cycle files of {@code perCycle} quotes each, sequences from 1. */
    static List<Path> write(final Path dir, final int cycles, final int perCycle) throws IOException
    {
        final FeedEncoder encoder = new FeedEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        try (Journal journal = Journal.open(dir, RollCycles.FIVE_MINUTELY, clock); JournalWriter writer = journal.newWriter())
        {
            long sequence = 1;
            for (int cycle = 0; cycle < cycles; cycle++)
            {
                for (int i = 0; i < perCycle; i++)
                {
                    writer.append(buffer, 0, QuoteBatchWriter.single(buffer, 0, 0, JournalTest.quote(sequence++)));
                }
                clock.advanceMillis(TimeUnit.MINUTES.toMillis(5));
            }
        }
        return cycleFiles(dir);
    }

    static List<Path> cycleFiles(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
        }
    }

    /** Byte offset in {@code file} of the Chronicle header of the entry holding {@code sequence}. */
    static long entryHeaderOffset(final Path file, final long sequence) throws IOException
    {
        final byte[] pattern = new byte[24];
        final UnsafeBuffer encoded = new UnsafeBuffer(new byte[128]);
        QuoteBatchWriter.single(encoded, 0, 0, JournalTest.quote(sequence));
        encoded.getBytes(0, pattern); // SBE header, epoch, then the (first) sequence
        final byte[] bytes = new byte[(int)Math.min(SEARCHED_BYTES, Files.size(file))];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"))
        {
            raf.readFully(bytes);
        }
        outer:
        for (int i = 4; i <= bytes.length - pattern.length; i++)
        {
            for (int j = 0; j < pattern.length; j++)
            {
                if (bytes[i + j] != pattern[j])
                {
                    continue outer;
                }
            }
            return i - 4;
        }
        throw new AssertionError("no entry for sequence " + sequence + " in " + file);
    }

    static void truncate(final Path file, final long size) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(size);
        }
    }

    static void putInt(final Path file, final long offset, final int value) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            raf.writeInt(Integer.reverseBytes(value)); // little-endian, as Chronicle writes
        }
    }

    /** Flip the bits of one byte. */
    static void flip(final Path file, final long offset) throws IOException
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
