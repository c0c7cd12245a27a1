package io.feedhandler.cli;

import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.transport.StaleDriverDirectories;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code --list-stale} and {@code --remove-stale} of {@code feed driver} and {@code feed stat}: the
 * embedded media drivers' directories (in /dev/shm) that processes killed with SIGKILL left behind.
 * Only those whose process is gone and whose driver heartbeat has stopped are listed, and removed.
 */
final class StaleDriverOptions
{
    @Option(names = "--list-stale",
        description = "List the embedded media driver directories whose process is gone and whose driver " +
            "heartbeat has stopped (left by a SIGKILL or a crash), with their size, and exit.")
    boolean list;

    @Option(names = "--remove-stale",
        description = "Remove the embedded media driver directories whose process is gone and whose driver " +
            "heartbeat has stopped, and exit; a directory whose process still runs (even stopped), another user's, " +
            "or a link is never touched.")
    boolean remove;

    boolean requested()
    {
        return list || remove;
    }

    /** List or remove, one line per directory on stderr, a summary line on stdout; exit code 0. */
    int run(final PrintStream out, final PrintStream err)
    {
        final List<StaleDriverDirectories.Stale> stale = StaleDriverDirectories.find();
        final List<StaleDriverDirectories.Stale> removed = remove ? StaleDriverDirectories.remove(stale) : List.of();
        long bytes = 0;
        for (final StaleDriverDirectories.Stale directory : stale)
        {
            bytes += directory.bytes();
            err.println((removed.contains(directory) ? "removed " : "stale ") + directory.directory() + " (process " +
                directory.pid() + " is gone, " + megabytes(directory.bytes()) + ")");
        }
        if (list && !remove && !stale.isEmpty())
        {
            err.println("remove them with --remove-stale");
        }
        out.println(new SummaryLine()
            .add("role", "stale-drivers")
            .add("stale", stale.size())
            .add("removed", removed.size())
            .add("bytes", bytes));
        out.flush();
        return FeedMain.EXIT_OK;
    }

    /** One line for {@code feed stat}'s view when there are any; empty otherwise. */
    static String note()
    {
        final List<StaleDriverDirectories.Stale> stale = StaleDriverDirectories.find();
        if (stale.isEmpty())
        {
            return "";
        }
        long bytes = 0;
        for (final StaleDriverDirectories.Stale directory : stale)
        {
            bytes += directory.bytes();
        }
        return stale.size() + " stale media driver director" + (stale.size() == 1 ? "y" : "ies") + " (" +
            megabytes(bytes) + ") left by processes that are gone: 'feed stat --list-stale' lists them, " +
            "'--remove-stale' removes them\n";
    }

    private static String megabytes(final long bytes)
    {
        return String.format("%.1f MB", bytes / 1_048_576.0);
    }
}
