package io.feedhandler.transport;

import io.aeron.CommonContext;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Embedded media drivers' directories ({@code <aeron dir>-embedded-<pid>-<id>}, in /dev/shm on Linux)
 * whose process is gone: what a process killed with SIGKILL (or a crash) leaves behind, tens of MB
 * each. A directory is stale only when all of these hold: no process with its PID runs here, its
 * driver's heartbeat has stopped (a driver in another PID namespace sharing /dev/shm has a PID we
 * cannot see, but a beating heart), it is a real directory (not a link: /dev/shm is world-writable)
 * and it belongs to the user asking. A stopped (SIGSTOP) or busy process keeps its directory, and so
 * does one whose PID was taken by another process since (the safe side).
 */
public final class StaleDriverDirectories
{
    private StaleDriverDirectories()
    {
    }

    /** One stale directory: where it is, the PID in its name, and how many bytes it holds. */
    public record Stale(Path directory, long pid, long bytes)
    {
    }

    /** The stale embedded driver directories beside Aeron's default directory. */
    public static List<Stale> find()
    {
        return find(Path.of(CommonContext.getAeronDirectoryName()).toAbsolutePath());
    }

    /** The stale embedded driver directories beside {@code aeronDirectory} (named after it). */
    public static List<Stale> find(final Path aeronDirectory)
    {
        final Path parent = aeronDirectory.getParent();
        final String prefix = aeronDirectory.getFileName() + "-embedded-";
        final List<Stale> stale = new ArrayList<>();
        if (parent == null || !Files.isDirectory(parent))
        {
            return stale;
        }
        try (Stream<Path> listing = Files.list(parent))
        {
            listing.filter(p -> p.getFileName().toString().startsWith(prefix) &&
                    Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                .sorted()
                .forEach(p ->
                {
                    final long pid = pidOf(p.getFileName().toString().substring(prefix.length()));
                    if (pid > 0 && ProcessHandle.of(pid).isEmpty() && ownedByThisUser(p) && !driverBeating(p))
                    {
                        stale.add(new Stale(p, pid, bytes(p)));
                    }
                });
        }
        catch (final IOException ex)
        {
            return stale; // an unreadable parent only means nothing to report
        }
        return stale;
    }

    /** Remove what {@link #find()} reported, checking again that each process is still gone. */
    public static List<Stale> remove(final List<Stale> stale)
    {
        final List<Stale> removed = new ArrayList<>();
        for (final Stale directory : stale)
        {
            if (ProcessHandle.of(directory.pid()).isEmpty() && !driverBeating(directory.directory()))
            {
                deleteTree(directory.directory());
                removed.add(directory);
            }
        }
        return removed;
    }

    /**
     * Delete a directory and what is in it without following links (a link inside is removed, not what
     * it points to); best effort: what cannot be deleted is left.
     */
    public static void deleteTree(final Path directory)
    {
        try
        {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() // does not follow links
            {
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes)
                    throws IOException
                {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                public FileVisitResult visitFileFailed(final Path file, final IOException ex)
                {
                    return FileVisitResult.CONTINUE;
                }

                public FileVisitResult postVisitDirectory(final Path dir, final IOException ex) throws IOException
                {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException ignored)
        {
            // best effort: a later --list-stale shows what is left
        }
    }

    private static boolean ownedByThisUser(final Path directory)
    {
        try
        {
            return Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName()
                .equals(System.getProperty("user.name"));
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return false;
        }
    }

    /** Whether a media driver still updates this directory's heartbeat (within Aeron's driver timeout). */
    private static boolean driverBeating(final Path directory)
    {
        try
        {
            return CommonContext.isDriverActive(directory.toFile(), CommonContext.DEFAULT_DRIVER_TIMEOUT_MS, message -> { });
        }
        catch (final RuntimeException ex)
        {
            return false; // no readable CnC file: nothing is driving it
        }
    }

    /** "1234-ab12cd34" gives 1234; anything else -1. */
    static long pidOf(final String suffix)
    {
        final int dash = suffix.indexOf('-');
        final String digits = dash < 0 ? suffix : suffix.substring(0, dash);
        if (digits.isEmpty() || digits.length() > 18)
        {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++)
        {
            if (!Character.isDigit(digits.charAt(i)))
            {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }

    private static long bytes(final Path directory)
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            return files.filter(Files::isRegularFile).mapToLong(p ->
            {
                try
                {
                    return Files.size(p);
                }
                catch (final IOException ex)
                {
                    return 0;
                }
            }).sum();
        }
        catch (final IOException | RuntimeException ex)
        {
            return 0;
        }
    }
}
