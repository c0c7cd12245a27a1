package io.feedhandler.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.feedhandler.codecs.SummaryLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "metrics", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Serve the live counters of every feed process on this host over HTTP in the Prometheus " +
            "text format (GET /metrics).",
        "A separate process that reads the media drivers' CnC files at each scrape: nothing on the " +
            "hot path. Runs until SIGINT/SIGTERM."})
final class MetricsCommand implements Callable<Integer>, StopsOnSignal
{
    @Option(names = "--port", paramLabel = "PORT", description = "TCP port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = 9464;

    @Option(names = "--bind", paramLabel = "ADDRESS",
        description = "Address to listen on (default: ${DEFAULT-VALUE}; use 0.0.0.0 to let a remote Prometheus scrape).")
    String bind = "127.0.0.1";

    @picocli.CommandLine.Mixin
    CounterSourceOptions counters;

    @picocli.CommandLine.Mixin
    ConfigOptions config;

    private final AtomicLong scrapes = new AtomicLong();

    public Integer call() throws Exception
    {
        // Not a static field: picocli builds every command for any command line, and logback takes
        // about half a second of CPU to start, which --help and --print-config need not pay.
        final Logger log = LoggerFactory.getLogger(MetricsCommand.class);
        if (port < 0 || port > 65_535)
        {
            throw new UsageError("bad --port " + port + ": must be 0..65535");
        }
        counters.validate();
        final InetAddress address;
        try
        {
            address = InetAddress.getByName(bind);
        }
        catch (final UnknownHostException ex)
        {
            throw new UsageError("bad --bind '" + bind + "': unknown host");
        }
        final HttpServer server;
        try
        {
            server = HttpServer.create(new InetSocketAddress(address, port), 16);
        }
        catch (final IOException ex)
        {
            throw new UsageError("bad --port " + port + ": cannot listen on " + bind + ":" + port + " (" + ex.getMessage() + ")");
        }
        // Metrics are served until SIGINT/SIGTERM.
        final CountDownLatch signalled = new CountDownLatch(1);
        return new RunLoop(log, config, 0).run(() ->
        {
            server.createContext("/metrics", this::serveMetrics);
            server.createContext("/", exchange -> reply(exchange, 404, "try /metrics\n"));
            server.start();
            return new RunLoop.Run("metrics", () -> server.stop(0), signalled::countDown, signalled::await, () -> "",
                () -> null)
            {
                private final long start = System.nanoTime();

                String startLine()
                {
                    return "metrics ready on http://" + bind + ":" + server.getAddress().getPort() + "/metrics";
                }

                SummaryLine summary()
                {
                    return new SummaryLine()
                        .add("role", "metrics")
                        .add("port", server.getAddress().getPort())
                        .add("scrapes", scrapes.get())
                        .add("durationMs", (System.nanoTime() - start) / 1_000_000);
                }
            };
        });
    }

    private void serveMetrics(final HttpExchange exchange) throws IOException
    {
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod()))
        {
            reply(exchange, 405, "only GET\n");
            return;
        }
        scrapes.incrementAndGet();
        final String body = CounterView.prometheus(counters.read(), System.currentTimeMillis());
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        reply(exchange, 200, body);
    }

    private static void reply(final HttpExchange exchange, final int status, final String body) throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(bytes);
        }
    }
}
