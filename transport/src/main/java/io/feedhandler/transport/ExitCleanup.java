package io.feedhandler.transport;

import org.agrona.IoUtil;

import java.io.File;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Directories a process creates for its own use only (an embedded media driver's, in /dev/shm; the
 * demo's temporary journal), removed on every exit that can remove them: by their owner when it
 * closes, else by a shutdown hook (System.exit, a signal the JVM handles itself), else by
 * {@link #removeAll()} just before a forced exit (a second SIGINT). Only SIGKILL leaves them behind;
 * {@link StaleDriverDirectories} finds those.
 */
public final class ExitCleanup
{
    private static final Set<File> DIRECTORIES = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private ExitCleanup()
    {
    }

    /** Remove {@code directory} at exit unless {@link #release} is called first. */
    public static synchronized void register(final File directory)
    {
        if (!hookInstalled)
        {
            try
            {
                Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::removeAll, "feed-exit-cleanup"));
                hookInstalled = true;
            }
            catch (final IllegalStateException ex)
            {
                // already shutting down: removeAll() by whoever forces the exit is all that is left
            }
        }
        DIRECTORIES.add(directory.getAbsoluteFile());
    }

    /** Its owner has removed it (or keeps it on purpose). */
    public static synchronized void release(final File directory)
    {
        DIRECTORIES.remove(directory.getAbsoluteFile());
    }

    /** Remove it now (if it is still there) and forget it. */
    public static synchronized void remove(final File directory)
    {
        final File absolute = directory.getAbsoluteFile();
        if (DIRECTORIES.remove(absolute))
        {
            try
            {
                IoUtil.delete(absolute, true);
            }
            catch (final RuntimeException ignored)
            {
                // best effort: StaleDriverDirectories reports what is left
            }
        }
    }

    /** Remove every directory still registered; safe to call more than once and from any thread. */
    public static synchronized void removeAll()
    {
        for (final File directory : DIRECTORIES)
        {
            try
            {
                IoUtil.delete(directory, true);
            }
            catch (final RuntimeException ignored)
            {
                // best effort on the way out
            }
        }
        DIRECTORIES.clear();
    }
}
