package io.feedhandler.cli;

import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.journal.JournalException;
import io.feedhandler.replay.server.ReplayServer;
import io.feedhandler.replay.server.ReplayServerContext;
import io.feedhandler.transport.IdleStrategies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "replay-server", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Serve replay requests from a journal on this host, on its own (a publisher's embedded server is then",
        "switched off with --no-replay-server). The journal is opened read-only: it can be one a running",
        "publisher is writing. Runs until SIGINT/SIGTERM, then prints a JSON summary line."})
final class ReplayServerCommand implements Callable<Integer>
{
    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (default: ${DEFAULT-VALUE}).")
    Path journal = Path.of("feed-journal");

    @Mixin
    ReplayServerOptions replay;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Use the external media driver in DIR; default: embed one in this process.")
    String aeronDirectory;

    @Option(names = "--idle", paramLabel = "STRATEGY",
        description = "What the server's thread does when idle: busy-spin, no-op, yield, backoff, sleep (default: ${DEFAULT-VALUE}).")
    String idleStrategy = IdleStrategies.DEFAULT;

    @Mixin
    ConfigOptions config;

    public Integer call() throws Exception
    {
        // Not a static field: picocli builds every command for any command line, and logback takes
        // about half a second of CPU to start, which --help and --print-config need not pay.
        final Logger log = LoggerFactory.getLogger(ReplayServerCommand.class);
        if (!Files.isDirectory(journal))
        {
            throw new UsageError("bad --journal '" + journal + "': no such directory");
        }
        final ReplayServerContext context = replay.context(idleStrategy);
        try (ShutdownSignal signal = new ShutdownSignal(); ReplayServer server = launch(context))
        {
            final long start = System.nanoTime();
            signal.onSignal(() -> { });
            log.info("{}", config.describe());
            log.info("replay server for journal {} listening on {} stream {}, idle {}{}", journal.toAbsolutePath(),
                context.replayChannel(), context.replayStreamId(), idleStrategy,
                context.cpu() >= 0 ? ", cpu " + context.cpu() : "");
            while (!signal.signalled() && !server.awaitCompletion(200, TimeUnit.MILLISECONDS))
            {
                Thread.onSpinWait();
            }
            System.out.println(new SummaryLine()
                .add("role", "replay-server")
                .add("journal", journal.toAbsolutePath().toString())
                .add("durationMs", (System.nanoTime() - start) / 1_000_000)
                .add("replay", server.counters().toSummaryLine()));
            System.out.flush();
            if (server.failure() != null)
            {
                throw new RuntimeException("replay server failed: " + server.failure(), server.failure());
            }
            return 0;
        }
    }

    private ReplayServer launch(final ReplayServerContext context)
    {
        try
        {
            return ReplayServer.launchStandalone(context, journal, aeronDirectory);
        }
        catch (final JournalException ex)
        {
            throw new UsageError("bad --journal '" + journal + "': " + ex.getMessage());
        }
    }
}
