package io.feedhandler.cli;

import io.feedhandler.transport.FeedCounterReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "stat", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Show the live counters of every feed process on this host, refreshed in place (like Aeron's AeronStat).",
        "Reads the media drivers' CnC files: the default Aeron directory and every embedded driver's beside it,",
        "or the directories named with --aeron-dir. Touches nothing in the processes it watches."})
final class StatCommand implements Callable<Integer>
{
    private static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "A media driver directory to read (repeatable; default: find them all).")
    List<Path> aeronDirectories = new ArrayList<>();

    @Option(names = "--interval", paramLabel = "TIME", converter = DurationConverter.class,
        description = "Refresh this often (default: 1s).")
    long intervalNanos = TimeUnit.SECONDS.toNanos(1);

    @Option(names = "--once", description = "Print the counters once, without clearing the screen, and exit.")
    boolean once;

    public Integer call() throws InterruptedException
    {
        for (final Path directory : aeronDirectories)
        {
            if (!Files.isDirectory(directory))
            {
                throw new UsageError("bad --aeron-dir '" + directory + "': no such directory");
            }
        }
        if (intervalNanos <= 0)
        {
            throw new UsageError("bad --interval " + intervalNanos + "ns: must be > 0");
        }
        while (true)
        {
            final var instances = FeedCounterReader.readAll(aeronDirectories);
            final String view = instances.isEmpty() ?
                "no feed processes found (looked in " + (aeronDirectories.isEmpty() ?
                FeedCounterReader.driverDirectories() : aeronDirectories) + ")\n" :
                CounterView.table(instances, System.currentTimeMillis());
            System.out.print(once ? view : CLEAR_SCREEN + view);
            System.out.flush();
            if (once)
            {
                return 0;
            }
            TimeUnit.NANOSECONDS.sleep(intervalNanos);
        }
    }
}
