package io.feedhandler.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive right to write a journal: an OS file lock on {@code writer.lock} in its directory.
 * Taken before anything looks at or changes the journal, so a second publisher fails at start
 * instead of interleaving sequences, and nobody moves a journal another process is writing. The lock
 * belongs to the open file, not to the path: it stays held when its directory is renamed.
 */
public final class JournalLock implements AutoCloseable
{
    public static final String FILE_NAME = "writer.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private JournalLock(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws JournalException when another writer, in this process or another, holds the journal. */
    public static JournalLock acquire(final Path directory)
    {
        final Path lockPath = directory.resolve(FILE_NAME);
        try
        {
            final FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock acquired;
            try
            {
                acquired = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                acquired = null;
            }
            if (acquired == null)
            {
                channel.close();
                throw new JournalException("journal " + directory +
                    " is already being written by another publisher (lock " + lockPath + ")");
            }
            return new JournalLock(channel, acquired);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot lock journal " + directory + ": " + ex.getMessage(), ex);
        }
    }

    public void close()
    {
        try
        {
            if (lock.isValid())
            {
                lock.release();
            }
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot release journal lock", ex);
        }
    }
}
