package io.feedhandler.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "stat", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Show the live counters of every feed process on this host, refreshed in place (like " +
            "Aeron's AeronStat).",
        "Reads the media drivers' CnC files: the default Aeron directory and every embedded " +
            "driver's beside it, or the directories named with --aeron-dir. Touches nothing in the " +
            "processes it watches. Notes the media driver directories that killed processes left " +
            "behind; --list-stale lists them, --remove-stale removes them (only those whose process is " +
            "gone)."})
final class StatCommand implements Callable<Integer>
{
    private static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

    @picocli.CommandLine.Mixin
    CounterSourceOptions counters;

    @Option(names = "--interval", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "1s",
        description = "Refresh this often (default: ${DEFAULT-VALUE}).")
    long intervalNanos;

    @Option(names = "--once", description = "Print the counters once, without clearing the screen, and exit.")
    boolean once;

    @picocli.CommandLine.Mixin
    StaleDriverOptions stale;

    @picocli.CommandLine.Mixin
    ConfigOptions config;

    public Integer call() throws InterruptedException
    {
        counters.validate();
        if (stale.requested())
        {
            return stale.run(System.out, System.err);
        }
        if (intervalNanos <= 0)
        {
            throw new UsageError("bad --interval " + intervalNanos + "ns: must be > 0");
        }
        while (true)
        {
            final var instances = counters.read();
            final String view = instances.isEmpty() ?
                "no feed processes found (looked in " + counters.searched() + ")\n" :
                CounterView.table(instances, System.currentTimeMillis());
            final String staleNote = StaleDriverOptions.note();
            System.out.print((once ? view : CLEAR_SCREEN + view) + staleNote);
            System.out.flush();
            if (once)
            {
                return 0;
            }
            TimeUnit.NANOSECONDS.sleep(intervalNanos);
        }
    }
}
