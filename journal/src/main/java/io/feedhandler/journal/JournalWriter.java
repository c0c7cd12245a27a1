package io.feedhandler.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends encoded quotes to the journal. The caller owns the sequence: it appends sequence
 * {@code lastSequence() + 1} and onwards with no holes, which is what makes seeking by sequence
 * exact. Holds an exclusive lock on the journal directory so a second publisher on the same
 * journal fails at start instead of interleaving sequences.
 * <p>
 * Not thread-safe. The Chronicle appender is created on first append, on the thread that appends.
 */
public final class JournalWriter implements AutoCloseable
{
    public static final String LOCK_FILE = "writer.lock";

    private final Journal journal;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private ExcerptAppender appender;

    JournalWriter(final Journal journal)
    {
        this.journal = journal;
        final Path lockPath = journal.directory().resolve(LOCK_FILE);
        try
        {
            lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock acquired;
            try
            {
                acquired = lockChannel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                acquired = null;
            }
            if (acquired == null)
            {
                lockChannel.close();
                throw new JournalException("journal " + journal.directory() +
                    " is already being written by another publisher (lock " + lockPath + ")");
            }
            lock = acquired;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot lock journal " + journal.directory() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Create the appender and map the current cycle file now, on the calling thread, so the first
     * tick does not pay for it. Writes nothing.
     */
    public void warm()
    {
        if (appender == null)
        {
            appender = journal.queue().createAppender();
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.rollbackOnClose();
        }
    }

    /** Append one encoded message. Allocates nothing once the appender exists. */
    public void append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (appender == null)
        {
            appender = journal.queue().createAppender();
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            final byte[] array = buffer.byteArray();
            if (array != null)
            {
                bytes.write(array, buffer.wrapAdjustment() + offset, length);
            }
            else
            {
                bytes.unsafeWrite(buffer.addressOffset() + offset, length);
            }
        }
    }

    public void close()
    {
        try
        {
            if (appender != null)
            {
                appender.close();
            }
            lock.release();
            lockChannel.close();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot release journal lock", ex);
        }
    }
}
