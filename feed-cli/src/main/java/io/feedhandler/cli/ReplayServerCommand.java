package io.feedhandler.cli;

import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.journal.JournalException;
import io.feedhandler.replay.server.ReplayServer;
import io.feedhandler.replay.server.ReplayServerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "replay-server", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Serve replay requests from a journal on this host, on its own.",
        "A publisher's embedded server is then switched off with --no-replay-server. The journal is " +
            "opened read-only: it can be one a running publisher is writing. Runs until SIGINT/SIGTERM, " +
            "then prints a JSON summary line."})
final class ReplayServerCommand implements Callable<Integer>, StopsOnSignal
{
    @Mixin
    JournalOptions journal;

    @Mixin
    ReplayServerOptions replay;

    /** The driver part of the transport options: the server has no live stream, and its profile is the default. */
    @Mixin
    DriverOptions driver;

    @Mixin
    ConfigOptions config;

    public Integer call() throws Exception
    {
        // Not a static field: picocli builds every command for any command line, and logback takes
        // about half a second of CPU to start, which --help and --print-config need not pay.
        final Logger log = LoggerFactory.getLogger(ReplayServerCommand.class);
        final Path directory = journal.existing();
        final ReplayServerContext context = replay.context(driver.idleStrategy);
        // The server ends on SIGINT/SIGTERM only (or when it fails): it has no count or duration.
        final CountDownLatch signalled = new CountDownLatch(1);
        return new RunLoop(log, config, 0).run(() ->
        {
            final ReplayServer server = launch(context, directory);
            return new RunLoop.Run("replay server", server, signalled::countDown,
                (timeout, unit) -> signalled.getCount() == 0 || server.awaitCompletion(timeout, unit),
                () -> server.counters().toSummaryLine().toString(), server::failure)
            {
                private final long start = System.nanoTime();

                String startLine()
                {
                    return "replay server for journal " + directory.toAbsolutePath() + " listening on " +
                        context.replayChannel() + " stream " + context.replayStreamId() + ", idle " +
                        context.idleStrategy() + (context.cpu() >= 0 ? ", cpu " + context.cpu() : "");
                }

                SummaryLine summary()
                {
                    return new SummaryLine()
                        .add("role", "replay-server")
                        .add("journal", directory.toAbsolutePath().toString())
                        .add("durationMs", (System.nanoTime() - start) / 1_000_000)
                        .add("replay", server.counters().toSummaryLine());
                }
            };
        });
    }

    private ReplayServer launch(final ReplayServerContext context, final Path directory)
    {
        try
        {
            return ReplayServer.launchStandalone(context, directory, driver.aeronDirectory);
        }
        catch (final JournalException ex)
        {
            throw journal.bad(ex.getMessage());
        }
    }
}
