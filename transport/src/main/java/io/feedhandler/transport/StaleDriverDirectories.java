package io.feedhandler.transport;

import io.aeron.CommonContext;
import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Embedded media drivers' directories ({@code <aeron dir>-embedded-<pid>-<id>}, in /dev/shm on Linux)
 * whose process is gone: what a process killed with SIGKILL (or a crash) leaves behind, tens of MB
 * each. A directory is stale only when no process with its PID runs; a stopped (SIGSTOP) or busy
 * process keeps its directory, and so does one whose PID was taken by another process since (the
 * safe side).
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
            listing.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p))
                .sorted()
                .forEach(p ->
                {
                    final long pid = pidOf(p.getFileName().toString().substring(prefix.length()));
                    if (pid > 0 && ProcessHandle.of(pid).isEmpty())
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
            if (ProcessHandle.of(directory.pid()).isEmpty())
            {
                IoUtil.delete(directory.directory().toFile(), true);
                removed.add(directory);
            }
        }
        return removed;
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
