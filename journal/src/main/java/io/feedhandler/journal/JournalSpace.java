package io.feedhandler.journal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps the journal's appends from filling its file system. Chronicle Queue writes through a
 * memory mapping of a sparse file: it never reserves blocks ahead (no {@code fallocate}), so when
 * the file system runs out, the write that touches a new page gets SIGBUS, which the JVM turns into
 * an {@link InternalError} thrown some instructions later, possibly after a store was silently lost
 * (measured on a full tmpfs; readers of the journal fault the same way). So the writer must stop
 * before the disk is full, not after.
 * <p>
 * Free space is sampled off the hot path ({@link #sample()}, a {@code statvfs} through
 * {@link FileStore#getUsableSpace()}), and each sample gives the writer a budget: the bytes it may
 * still append before free space would fall below {@code minFreeBytes}. The writer counts what it
 * appends against that budget ({@link #tryConsume}: a plain add and one volatile read), so it stops
 * in time even if the sampler is late; the reserve also covers what the count does not see (page
 * rounding, a new cycle file's first pages, other writers on the same file system between samples).
 * Appending resumes once a sample finds free space back at {@code 2 * minFreeBytes}, so a disk
 * hovering at the threshold does not flap.
 */
public final class JournalSpace
{
    /**
     * Bytes an entry costs beyond its payload: Chronicle's 4-byte header plus its share of the index
     * (measured: 72 bytes of disk per 68-byte quote), rounded up.
     */
    public static final int ENTRY_OVERHEAD = 8;

    private final LongSupplier usableBytes;
    private final long minFreeBytes;
    private final AtomicLong consumed = new AtomicLong();
    private volatile long budgetEnd;
    private volatile long lastUsableBytes;

    /**
     * @param usableBytes  free bytes of the journal's file system, as an unprivileged writer sees them.
     * @param minFreeBytes free space to leave; appends stop before the journal eats into it.
     */
    public JournalSpace(final LongSupplier usableBytes, final long minFreeBytes)
    {
        this.usableBytes = usableBytes;
        this.minFreeBytes = minFreeBytes;
        sample();
    }

    /** The guard for a journal in {@code directory}, reading its file system's usable space. */
    public static JournalSpace of(final Path directory, final long minFreeBytes)
    {
        final FileStore store;
        try
        {
            store = Files.getFileStore(directory);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot find the file system of " + directory + ": " + ex.getMessage());
        }
        return new JournalSpace(() ->
        {
            try
            {
                return store.getUsableSpace();
            }
            catch (final IOException ex)
            {
                throw new JournalException("cannot read free space of " + directory + ": " + ex.getMessage(), ex);
            }
        }, minFreeBytes);
    }

    /** No limit: for tests and tools that do not guard the disk. */
    public static JournalSpace unlimited()
    {
        return new JournalSpace(() -> Long.MAX_VALUE / 4, 0);
    }

    /**
     * Read free space and renew the writer's budget. Off the hot path, any thread; a failure to read
     * leaves the budget as it was and is thrown for the caller to report.
     */
    public void sample()
    {
        final long before = consumed.get(); // read first: the free space read next already reflects it
        final long usable = usableBytes.getAsLong();
        lastUsableBytes = usable;
        budgetEnd = before + usable - minFreeBytes;
    }

    /**
     * Writer thread: count {@code bytes} about to be appended.
     *
     * @return false, counting nothing, when they would eat into the reserve.
     */
    public boolean tryConsume(final long bytes)
    {
        final long next = consumed.get() + bytes;
        if (next > budgetEnd)
        {
            return false;
        }
        consumed.lazySet(next);
        return true;
    }

    /** Whether {@code bytes} more would still be within the budget; counts nothing. */
    public boolean hasRoomFor(final long bytes)
    {
        return consumed.get() + bytes <= budgetEnd;
    }

    /** Whether the last sample found free space back at twice the reserve: time to append again. */
    public boolean hasRoomToResume()
    {
        return budgetEnd - consumed.get() >= minFreeBytes;
    }

    /** Free bytes at the last sample. */
    public long lastUsableBytes()
    {
        return lastUsableBytes;
    }

    public long minFreeBytes()
    {
        return minFreeBytes;
    }

    /** Bytes counted against the budget so far. */
    public long consumedBytes()
    {
        return consumed.get();
    }
}
