package io.feedhandler.journal;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A durable subscriber's position: the last sequence it delivered, in a small memory-mapped file
 * ({@code NAME.offset}). Storing is a single ordered write to mapped memory, no system call, so it
 * can follow every delivery; the page cache keeps it through a crash of the process (SIGKILL
 * included). By default the files live in the journal's {@code subscribers/} folder, where
 * {@code feed journal stats} shows each one's lag behind the head.
 * <p>
 * The file also holds the epoch of the stream the offset was taken from (its journal's history), so a
 * restarted subscriber can tell a sequence of its own stream from the same number in a replaced
 * journal or another stream that reused the name. A version 1 file has no epoch (0 there): it is
 * taken as it is, and the first epoch the subscriber follows is stored in it (version 2).
 */
public final class SubscriberOffset implements AutoCloseable
{
    public static final String SUFFIX = ".offset";
    public static final String DEFAULT_FOLDER = "subscribers";

    private static final long MAGIC = 0x5346464F44454546L; // "FEEDOFFS", little-endian
    private static final int VERSION = 2;
    private static final int MAGIC_OFFSET = 0;
    private static final int VERSION_OFFSET = 8;
    private static final int SEQUENCE_OFFSET = 16;
    private static final int EPOCH_OFFSET = 24;
    private static final int LENGTH = 64;

    private final String name;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;

    private SubscriberOffset(final String name, final MappedByteBuffer mapped)
    {
        this.name = name;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
    }

    /**
     * Open the offset of subscriber {@code name} in {@code directory}, creating it (at 0: nothing
     * delivered yet) if it does not exist.
     *
     * @throws JournalException when the directory or file cannot be used, naming it.
     */
    public static SubscriberOffset open(final Path directory, final String name)
    {
        final File file = directory.resolve(name + SUFFIX).toFile();
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot create offsets directory " + directory + ": " + ex.getMessage());
        }
        try
        {
            if (!file.exists())
            {
                final MappedByteBuffer mapped = IoUtil.mapNewFile(file, LENGTH, true);
                final SubscriberOffset offset = new SubscriberOffset(name, mapped);
                offset.buffer.putLong(SEQUENCE_OFFSET, 0);
                offset.buffer.putInt(VERSION_OFFSET, VERSION);
                offset.buffer.putLongVolatile(MAGIC_OFFSET, MAGIC);
                return offset;
            }
            final SubscriberOffset offset = new SubscriberOffset(name, IoUtil.mapExistingFile(file, "offset " + name));
            offset.check(file);
            return offset;
        }
        catch (final IllegalStateException ex)
        {
            throw new JournalException("cannot map offset file " + file + ": " + ex.getMessage());
        }
    }

    private void check(final File file)
    {
        if (buffer.capacity() < LENGTH || buffer.getLongVolatile(MAGIC_OFFSET) != MAGIC)
        {
            close();
            throw new JournalException("not a subscriber offset file: " + file);
        }
    }

    public String name()
    {
        return name;
    }

    /** Last sequence delivered; 0 when nothing has been. */
    public long lastDelivered()
    {
        return buffer.getLongVolatile(SEQUENCE_OFFSET);
    }

    /** The epoch of the stream the offset belongs to; 0 when none is stored yet (a new or a version 1 file). */
    public long epoch()
    {
        return buffer.getLongVolatile(EPOCH_OFFSET);
    }

    /** Record the epoch of the stream followed: before any sequence of it is stored. */
    public void storeEpoch(final long epoch)
    {
        buffer.putLongOrdered(EPOCH_OFFSET, epoch);
        buffer.putIntOrdered(VERSION_OFFSET, VERSION);
    }

    /** Record {@code sequence} as delivered. */
    public void store(final long sequence)
    {
        buffer.putLongOrdered(SEQUENCE_OFFSET, sequence);
    }

    public void close()
    {
        IoUtil.unmap(mapped);
    }

    /** One stored offset, as {@code journal stats} shows it. */
    public record Entry(String name, long lastDelivered, long epoch)
    {
    }

    /** Every offset in {@code directory}, by name; empty when there is none. */
    public static List<Entry> readAll(final Path directory)
    {
        final List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(directory))
        {
            return entries;
        }
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path path : (Iterable<Path>)files.sorted()::iterator)
            {
                final String fileName = path.getFileName().toString();
                if (fileName.endsWith(SUFFIX))
                {
                    final String name = fileName.substring(0, fileName.length() - SUFFIX.length());
                    try (SubscriberOffset offset = open(directory, name))
                    {
                        entries.add(new Entry(name, offset.lastDelivered(), offset.epoch()));
                    }
                    catch (final JournalException ignored)
                    {
                        // not ours: leave it out
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list " + directory + ": " + ex.getMessage());
        }
        return entries;
    }
}
