package io.feedhandler.cli;

import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.gateway.Gateway;
import io.feedhandler.gateway.GatewayConfiguration;
import io.feedhandler.gateway.GatewayContext;
import io.feedhandler.journal.JournalException;
import io.feedhandler.subscriber.LoggingStatusListener;
import io.feedhandler.subscriber.SubscriberContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "gateway", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Serve the feed to browsers and HTTP services over HTTP.",
        "GET /stream (Server-Sent Events, resumable with Last-Event-ID or ?from=), /ws (WebSocket), " +
            "/book (top of book as JSON), /health, / (dashboard). Subscribes to the whole feed like any " +
            "subscriber; conflates per client while a client cannot keep up. Ends on SIGINT/SIGTERM " +
            "(clients are told), after --duration or --count, and prints a JSON summary line last on " +
            "stdout."})
final class GatewayCommand implements Callable<Integer>
{
    /** Logged on stderr once the gateway serves, with its address: scripts and tests wait for it. */
    static final String READY = "gateway ready on http://";

    @Mixin
    TransportOptions transport;

    @Option(names = "--bind", paramLabel = "ADDRESS",
        description = "The address served. Without --tokens only loopback is served unless this is given " +
            "(default: ${DEFAULT-VALUE}).")
    String bind = GatewayConfiguration.BIND;

    @Option(names = "--port", paramLabel = "PORT",
        description = "The TCP port served; 0 = any free port, logged (default: ${DEFAULT-VALUE}).")
    int port = GatewayConfiguration.PORT;

    @Option(names = "--tokens", paramLabel = "FILE",
        description = "Bearer tokens and what each may see, one line each: 'TOKEN: SYM,SYM,...' or 'TOKEN: *'. " +
            "Without it nothing is authenticated (see docs/SECURITY.md).")
    Path tokens;

    @Option(names = "--heartbeat-interval", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = GatewayConfiguration.HEARTBEAT,
        description = "Send a comment to a client that has had nothing else for this long (default: ${DEFAULT-VALUE}).")
    long heartbeatNanos;

    @Option(names = "--heartbeat", paramLabel = "TIME", converter = DurationConverter.class, hidden = true,
        description = Vocabulary.DEPRECATED + "--heartbeat-interval.")
    void deprecatedHeartbeat(final long nanos)
    {
        heartbeatNanos = nanos;
    }

    @Option(names = "--slow-client-timeout", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = GatewayConfiguration.SLOW_CLIENT_TIMEOUT,
        description = "Disconnect a client that cannot take anything for this long; until then it is conflated " +
            "(default: ${DEFAULT-VALUE}).")
    long slowClientTimeoutNanos;

    @Option(names = "--request-timeout", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = GatewayConfiguration.REQUEST_TIMEOUT,
        description = "Close a connection that has not sent a whole request within this long (default: ${DEFAULT-VALUE}).")
    long requestTimeoutNanos;

    @Option(names = "--max-connections", paramLabel = "N",
        description = "Open connections; beyond it 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    int maxConnections = GatewayConfiguration.MAX_CONNECTIONS;

    @Option(names = "--reconnect-rate", paramLabel = "N",
        description = "New connections per second from one address, after a burst of --reconnect-burst; beyond it " +
            "429 with Retry-After; 0 = no limit (default: ${DEFAULT-VALUE}).")
    int reconnectRate = GatewayConfiguration.RECONNECTS_PER_SECOND;

    @Option(names = "--reconnect-burst", paramLabel = "N",
        description = "Connections one address may open at once before --reconnect-rate applies (default: ${DEFAULT-VALUE}).")
    int reconnectBurst = GatewayConfiguration.RECONNECT_BURST;

    @Option(names = "--history", paramLabel = "N",
        description = "Events kept in memory for resume and conflation, 384 bytes each; a resume from before " +
            "them reads the journal (--journal, else through the replay server) (default: ${DEFAULT-VALUE}).")
    int history = GatewayConfiguration.HISTORY;

    @Option(names = "--max-resumes", paramLabel = "N",
        description = "Resumes from before the history pulled from the journal or the replay server at once; more " +
            "wait their turn (default: ${DEFAULT-VALUE}).")
    int maxResumes = GatewayConfiguration.MAX_RESUMES;

    @Option(names = "--io-threads", paramLabel = "N",
        description = "Event-loop threads serving clients; 0 = Netty's default, twice the cores (default: ${DEFAULT-VALUE}).")
    int ioThreads = GatewayConfiguration.IO_THREADS;

    @Option(names = "--max-instruments", paramLabel = "N",
        description = "Most distinct instruments the gateway's book and filters track (default: ${DEFAULT-VALUE}).")
    int maxInstruments = GatewayConfiguration.MAX_INSTRUMENTS;

    @Option(names = "--name", paramLabel = "NAME", description = "Name shown in the counters and summary (default: ${DEFAULT-VALUE}).")
    String name = "gateway";

    @Mixin
    RunLimits limits;

    @Mixin
    RecoveryOptions recovery;

    @Mixin
    ConfigOptions config;

    public Integer call() throws Exception
    {
        final Logger log = LoggerFactory.getLogger(GatewayCommand.class);
        // Given explicitly, on the command line or in a --config file: only then may it be off loopback.
        final boolean bindGiven = !GatewayConfiguration.BIND.equals(bind);
        final SubscriberContext subscriber = recovery.applyTo(new SubscriberContext()
            .transport(transport.context())
            .count(limits.count)
            .durationNanos(limits.durationNanos)
            .maxInstruments(Math.max(maxInstruments, 1)));
        final Path journal = recovery.journal;
        final GatewayContext context = new GatewayContext()
            .subscriber(subscriber)
            .name(name)
            .bind(bind, bindGiven)
            .port(port)
            .tokens(tokens)
            .heartbeatNanos(heartbeatNanos)
            .slowClientTimeoutNanos(slowClientTimeoutNanos)
            .requestTimeoutNanos(requestTimeoutNanos)
            .maxConnections(maxConnections)
            .reconnectsPerSecond(reconnectRate)
            .reconnectBurst(reconnectBurst)
            .history(history)
            .maxResumes(maxResumes)
            .ioThreads(ioThreads)
            .maxInstruments(maxInstruments)
            .journal(journal);

        return new RunLoop(log, config, limits.statusIntervalNanos).run(() ->
        {
            final Gateway gateway = launch(context);
            return new RunLoop.Run("gateway", gateway, gateway::stop, gateway::awaitCompletion, gateway::progress,
                gateway::failure)
            {
                String startLine()
                {
                    if (tokens == null && !context.bind().startsWith("127.") && !context.bind().equals("::1") &&
                        !context.bind().equals("localhost"))
                    {
                        log.warn("serving {} without --tokens: anyone who can reach it sees every instrument",
                            context.bind());
                    }
                    return READY + hostForUrl(context.bind()) + ":" + gateway.port() + "/ (" + gateway.transport() +
                        ", " + (tokens == null ? "no tokens" : "tokens from " + tokens) + ", history " +
                        context.history() + " events" + (journal == null ? "" : ", journal " + journal) + ")";
                }

                SummaryLine summary()
                {
                    return gateway.summary();
                }
            };
        });
    }

    private static String hostForUrl(final String bind)
    {
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

    private static Gateway launch(final GatewayContext context)
    {
        try
        {
            return Gateway.launch(context, new LoggingStatusListener(LoggerFactory.getLogger(GatewayCommand.class),
                context.subscriber().staleTimeoutNanos()));
        }
        catch (final JournalException ex)
        {
            throw new UsageError(ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", ex);
        }
    }
}
