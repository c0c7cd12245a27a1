package io.feedhandler.cli;

import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.exceptions.ActiveDriverException;
import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.transport.IdleStrategies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "driver", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Run a standalone Aeron media driver, for publishers and subscribers started with " +
            "--aeron-dir.",
        "Runs until SIGINT/SIGTERM, then prints a JSON summary line. With --list-stale or " +
            "--remove-stale: lists or removes the media driver directories that killed processes left " +
            "behind (only those whose process is gone), and exits."})
final class DriverCommand implements Callable<Integer>, StopsOnSignal
{
    // Not DriverOptions: this names the directory of the driver this command creates, and defaults to Aeron's.
    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Driver directory (default: Aeron's, /dev/shm/aeron-<user> on Linux, or -Daeron.dir in JAVA_OPTS).")
    String aeronDirectory;

    @Option(names = "--threading", paramLabel = "MODE", completionCandidates = Choices.DriverThreading.class,
        description = "Driver threads, one of ${COMPLETION-CANDIDATES}: shared (one thread), shared-network (two), " +
            "dedicated (three) (default: ${DEFAULT-VALUE}).")
    String threading = "shared";

    // Not DriverOptions: the driver's own threads, not an application's hot-path thread.
    @Option(names = "--idle", paramLabel = "STRATEGY", completionCandidates = Choices.IdleStrategyNames.class,
        description = "What the driver's threads do when idle, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String idleStrategy = IdleStrategies.DEFAULT;

    @picocli.CommandLine.Mixin
    StaleDriverOptions stale;

    @picocli.CommandLine.Mixin
    ConfigOptions config;

    public Integer call() throws Exception
    {
        if (stale.requested())
        {
            return stale.run(System.out, System.err);
        }
        // Not a static field: picocli builds every command for any command line, and logback takes
        // about half a second of CPU to start, which --help and --print-config need not pay.
        final Logger log = LoggerFactory.getLogger(DriverCommand.class);
        // Choices resolved the name; INVOKER is not among them (only an application can invoke a driver).
        final ThreadingMode threadingMode = ThreadingMode.valueOf(threading.toUpperCase(Locale.ROOT).replace('-', '_'));
        IdleStrategies.parse(idleStrategy);
        final String directory = aeronDirectory != null ? aeronDirectory : CommonContext.getAeronDirectoryName();
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(directory)
            .threadingMode(threadingMode)
            .dirDeleteOnShutdown(true)
            .sharedIdleStrategy(IdleStrategies.parse(idleStrategy))
            .conductorIdleStrategy(IdleStrategies.parse(idleStrategy))
            .senderIdleStrategy(IdleStrategies.parse(idleStrategy))
            .receiverIdleStrategy(IdleStrategies.parse(idleStrategy))
            .sharedNetworkIdleStrategy(IdleStrategies.parse(idleStrategy));
        // A driver runs until SIGINT/SIGTERM.
        final CountDownLatch signalled = new CountDownLatch(1);
        return new RunLoop(log, config, 0).run(() ->
        {
            final MediaDriver driver = launch(context, directory);
            return new RunLoop.Run("media driver", driver, signalled::countDown, signalled::await, () -> "", () -> null)
            {
                private final long start = System.nanoTime();

                String startLine()
                {
                    return "media driver running in " + directory + " (" + threading + " threading, idle " +
                        idleStrategy + "); stop with SIGINT or SIGTERM";
                }

                SummaryLine summary()
                {
                    return new SummaryLine()
                        .add("role", "driver")
                        .add("aeronDir", directory)
                        .add("durationMs", (System.nanoTime() - start) / 1_000_000);
                }
            };
        });
    }

    private static MediaDriver launch(final MediaDriver.Context context, final String directory)
    {
        try
        {
            return MediaDriver.launch(context);
        }
        catch (final ActiveDriverException ex)
        {
            throw new UsageError("bad --aeron-dir '" + directory + "': a media driver is already running there");
        }
    }
}
