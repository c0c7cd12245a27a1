package io.feedhandler.journal;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The sequences a publisher pushed live without journaling them (journal disk full, policy
 * {@code live-only}), as ranges in a small file beside the journal ({@value #FILE}). The journal's
 * index steps over them, the replay server names them when it refuses a request
 * ({@code NOT_JOURNALED}), and a restarted publisher continues its sequence after them.
 * <p>
 * The file is {@value #FILE_LENGTH} bytes written with zeros when the journal is opened for writing,
 * so recording a range later, on a full disk, needs no new space: it is a write in place through a
 * shared mapping (like {@link SubscriberOffset}), kept by the page cache through a crash of the
 * process, as the journal itself is. One writer (the one holding the journal's lock), any number of
 * readers in any process. Ranges are ascending and disjoint; the last one may still be growing.
 * <p>
 * Layout (little-endian): magic (8 bytes), range count (int, at 8), then up to {@link #CAPACITY}
 * ranges of two longs (first, last) from byte 16. A reader trusts a range once the count covers it;
 * a range's last sequence is written with release semantics before the tick it covers is sent.
 */
public final class NotJournaledRanges implements AutoCloseable
{
    public static final String FILE = "not-journaled.ranges";
    public static final int FILE_LENGTH = 4096;
    private static final long MAGIC = 0x314A4E4A44454546L; // "FEEDJNJ1", little-endian
    private static final int MAGIC_OFFSET = 0;
    private static final int COUNT_OFFSET = 8;
    private static final int RANGES_OFFSET = 16;
    private static final int RANGE_LENGTH = 16;
    /** Ranges the file can hold: one per disk-full episode, so far more than a run should ever see. */
    public static final int CAPACITY = (FILE_LENGTH - RANGES_OFFSET) / RANGE_LENGTH;
    private static final long REMAP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path file;
    private final boolean writable;
    private MappedByteBuffer mapped;
    private volatile UnsafeBuffer buffer;
    private long nextMapAttemptNanos;

    private NotJournaledRanges(final Path file, final boolean writable)
    {
        this.file = file;
        this.writable = writable;
    }

    /**
     * Open (creating, with its whole length allocated) the ranges of the journal in {@code directory},
     * to record ranges. Called while the disk still has room: from then on recording needs none.
     *
     * @throws JournalException when the file cannot be created or is not a ranges file.
     */
    public static NotJournaledRanges openForWriting(final Path directory)
    {
        final Path file = directory.resolve(FILE);
        final NotJournaledRanges ranges = new NotJournaledRanges(file, true);
        try
        {
            if (!Files.exists(file))
            {
                // Real zeros, not a sparse file: the blocks must be ours before the disk fills. Written
                // aside and linked into place, so a reader never sees it half made and a file another
                // process created first is never replaced.
                final byte[] content = new byte[FILE_LENGTH];
                ByteBuffer.wrap(content).order(ByteOrder.nativeOrder()).putLong(MAGIC_OFFSET, MAGIC);
                // Named per process (not a temp file: those are private to the owner, and readers may be others).
                final Path temporary = directory.resolve(FILE + "." + ProcessHandle.current().pid() + ".new");
                try
                {
                    try (RandomAccessFile raf = new RandomAccessFile(temporary.toFile(), "rw"))
                    {
                        raf.write(content);
                        raf.getFD().sync();
                    }
                    link(temporary, file);
                }
                catch (final FileAlreadyExistsException ignored)
                {
                    // another process made it first: use theirs
                }
                finally
                {
                    Files.deleteIfExists(temporary);
                }
            }
            ranges.mapped = IoUtil.mapExistingFile(file.toFile(), FILE);
        }
        catch (final IOException | IllegalStateException ex)
        {
            throw new JournalException("cannot create " + file + ": " + ex.getMessage());
        }
        ranges.buffer = new UnsafeBuffer(ranges.mapped);
        ranges.check();
        return ranges;
    }

    private static void link(final Path temporary, final Path file) throws IOException
    {
        try
        {
            Files.createLink(file, temporary);
        }
        catch (final UnsupportedOperationException ex)
        {
            Files.move(temporary, file); // no hard links here: a plain rename, still never replacing
        }
    }

    /**
     * The ranges of the journal in {@code directory}, to read. The file may not exist yet (a journal
     * written before ranges existed, or a publisher about to create it): then there are none, and
     * the file is looked for again, at most once a second, when asked.
     */
    public static NotJournaledRanges openForReading(final Path directory)
    {
        final NotJournaledRanges ranges = new NotJournaledRanges(directory.resolve(FILE), false);
        ranges.tryMap();
        return ranges;
    }

    private boolean tryMap()
    {
        return buffer != null || mapIfPresent();
    }

    /** Readers share a journal across threads: one maps, the others see the result. */
    private synchronized boolean mapIfPresent()
    {
        if (buffer != null)
        {
            return true;
        }
        final long now = System.nanoTime();
        if (now - nextMapAttemptNanos < 0)
        {
            return false;
        }
        nextMapAttemptNanos = now + REMAP_INTERVAL_NANOS;
        if (!Files.exists(file))
        {
            return false;
        }
        try
        {
            mapped = IoUtil.mapExistingFile(file.toFile(), FILE);
        }
        catch (final IllegalStateException ex)
        {
            return false;
        }
        final UnsafeBuffer candidate = new UnsafeBuffer(mapped);
        if (candidate.capacity() < FILE_LENGTH || candidate.getLongVolatile(MAGIC_OFFSET) != MAGIC)
        {
            IoUtil.unmap(mapped);
            mapped = null;
            return false; // not ours: treat as none
        }
        buffer = candidate;
        return true;
    }

    private void check()
    {
        if (buffer.capacity() < FILE_LENGTH || buffer.getLongVolatile(MAGIC_OFFSET) != MAGIC)
        {
            close();
            throw new JournalException("not a not-journaled ranges file: " + file);
        }
    }

    /** Number of ranges recorded. */
    public int count()
    {
        if (!tryMap())
        {
            return 0;
        }
        final int count = buffer.getIntVolatile(COUNT_OFFSET);
        return count < 0 || count > CAPACITY ? 0 : count;
    }

    /** First sequence of range {@code i}, {@code 0 <= i < count()}. */
    public long first(final int i)
    {
        return buffer.getLong(RANGES_OFFSET + i * RANGE_LENGTH);
    }

    /** Last sequence of range {@code i}; the newest range may still grow. */
    public long last(final int i)
    {
        return buffer.getLongVolatile(RANGES_OFFSET + i * RANGE_LENGTH + 8);
    }

    /** Index of the range holding {@code sequence}, or -1. Newest first: at the head it is found at once. */
    public int find(final long sequence)
    {
        for (int i = count() - 1; i >= 0; i--)
        {
            if (sequence >= first(i))
            {
                return sequence <= last(i) ? i : -1;
            }
        }
        return -1;
    }

    /** Whether {@code sequence} was not journaled. */
    public boolean contains(final long sequence)
    {
        return find(sequence) >= 0;
    }

    /** Sequences not journaled that lie strictly between {@code after} and {@code before}. */
    public long countBetween(final long after, final long before)
    {
        long total = 0;
        for (int i = 0, count = count(); i < count; i++)
        {
            final long first = first(i);
            final long last = last(i);
            if (first > after && last < before)
            {
                total += last - first + 1;
            }
        }
        return total;
    }

    /** Sequences not journaled in {@code from..to} inclusive. */
    public long countWithin(final long from, final long to)
    {
        long total = 0;
        for (int i = 0, count = count(); i < count; i++)
        {
            final long first = Math.max(from, first(i));
            final long last = Math.min(to, last(i));
            if (first <= last)
            {
                total += last - first + 1;
            }
        }
        return total;
    }

    /** The highest sequence recorded, 0 if none. */
    public long lastSequence()
    {
        final int count = count();
        return count == 0 ? 0 : last(count - 1);
    }

    /**
     * Whether {@link #record} can take {@code sequence}: it extends the newest range, or there is
     * room for a new one.
     */
    public boolean canRecord(final long sequence)
    {
        final int count = count();
        return count < CAPACITY || last(count - 1) == sequence - 1;
    }

    /**
     * Record {@code sequence} as pushed without being journaled: extends the newest range when it is
     * the next sequence after it, else starts a range. No allocation, no system call.
     *
     * @return false when the file is full and {@code sequence} would need a new range (not recorded).
     */
    public boolean record(final long sequence)
    {
        if (!writable)
        {
            throw new IllegalStateException("ranges opened for reading: " + file);
        }
        final int count = buffer.getInt(COUNT_OFFSET);
        if (count > 0 && last(count - 1) == sequence - 1)
        {
            buffer.putLongOrdered(RANGES_OFFSET + (count - 1) * RANGE_LENGTH + 8, sequence);
            return true;
        }
        if (count >= CAPACITY)
        {
            return false;
        }
        final int offset = RANGES_OFFSET + count * RANGE_LENGTH;
        buffer.putLong(offset, sequence);
        buffer.putLong(offset + 8, sequence);
        buffer.putIntOrdered(COUNT_OFFSET, count + 1);
        return true;
    }

    /**
     * Record {@code first..last} as one range after those already recorded (copying ranges into a
     * salvaged journal).
     *
     * @return false when the file is full (not recorded).
     */
    public boolean recordRange(final long first, final long last)
    {
        if (!record(first))
        {
            return false;
        }
        buffer.putLongOrdered(RANGES_OFFSET + (buffer.getInt(COUNT_OFFSET) - 1) * RANGE_LENGTH + 8, last);
        return true;
    }

    public Path file()
    {
        return file;
    }

    /** Why {@code first..last} are missing from the journal, in the words every reader uses. */
    public static String explain(final long first, final long last)
    {
        return "sequences " + first + ".." + last + " were sent without being journaled (the publisher's journal " +
            "disk was full, policy live-only)";
    }

    /** The ranges as text, e.g. {@code 1001..2000, 5001..5100}; for logs and tools. */
    public String describe()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0, count = count(); i < count; i++)
        {
            text.append(i == 0 ? "" : ", ").append(first(i)).append("..").append(last(i));
        }
        return text.toString();
    }

    public synchronized void close()
    {
        if (mapped != null)
        {
            IoUtil.unmap(mapped);
            mapped = null;
            buffer = null;
        }
    }
}
