package io.feedhandler.perf;

import io.feedhandler.codecs.SummaryJson;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code feed perf --only gateway}: a publisher and a gateway in a child process
 * ({@link GatewayBenchServer}) and many real HTTP clients here ({@link GatewayLoad}). Three parts:
 * <ol>
 * <li>Fan-out: the feed at 10,000 ticks/s over 100 instruments, 1,000 SSE clients each taking
 * everything; latency from each tick's due time to a client reading it, and the clients that saw a
 * gap (were conflated): none should.</li>
 * <li>A stalled client among them: one that stops reading for 2 s (then reads again: conflated) and
 * one that never reads (disconnected after the 3 s slow-client timeout); the others' latency
 * again.</li>
 * <li>Idle connections: 10,000 clients connected while the feed is quiet; the gateway's heap and
 * direct memory before and after, per client.</li>
 * </ol>
 */
final class GatewayBench
{
    private final boolean quick;
    private final Path output;

    GatewayBench(final boolean quick, final Path output)
    {
        this.quick = quick;
        this.output = output;
    }

    void run() throws Exception
    {
        final int rate = 10_000;
        // -Dfeed.perf.gateway.clients=N (in JAVA_OPTS) to look for the knee with fewer or more clients.
        final int clients = Integer.getInteger("feed.perf.gateway.clients", quick ? 300 : 1_000);
        final int idle = quick ? 2_000 : 10_000;
        final long warmup = quick ? 5 : 10;
        final long measure = quick ? 10 : 30;
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-Xmx2g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GatewayBenchServer.class.getName());
        command.add(String.valueOf(rate));
        final Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final BufferedReader from = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        final PrintWriter to = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8);
        final Map<String, Histogram> histograms = new LinkedHashMap<>();
        final StringBuilder md = new StringBuilder();
        try
        {
            final String portLine = expect(from, "port ");
            final InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(portLine.substring(5)));
            md.append("# feed perf: gateway ").append(quick ? "(quick)" : "(full)").append("\n\n");
            md.append(String.format(Locale.ROOT, "Host: %d CPUs, %s %s. Publisher and gateway in one process " +
                "(1 event loop), clients in another on one NIO thread; loopback. Feed at %,d ticks/s over 100 " +
                "instruments; %d s warm-up, %d s measured. Latency: from each tick's due time (stamped by the " +
                "publisher) to a client reading its event, in microseconds.%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), rate, warmup, measure));
            md.append("| part | clients | p50 | p90 | p99 | p99.9 | max | events | clients with a gap |\n");
            md.append("|---|---|---|---|---|---|---|---|---|\n");

            try (GatewayLoad load = new GatewayLoad())
            {
                final List<GatewayLoad.Client> all = load.connect(address, "/stream", clients, true);
                load.start();
                TimeUnit.SECONDS.sleep(warmup);
                load.recording(true);
                TimeUnit.SECONDS.sleep(measure);
                load.recording(false);
                final Histogram fanout = load.latency().copy();
                histograms.put("gateway-" + clients + "-clients", fanout);
                md.append(row("fan-out", clients, fanout, all));

                // One client stops reading for 2 s (then reads again), one never reads.
                final long[] before = events(all);
                load.latency().reset();
                final GatewayLoad.Client paused = all.get(0);
                load.pause(paused, TimeUnit.SECONDS.toNanos(2));
                load.connect(address, "/stream", 1, false);
                load.recording(true);
                TimeUnit.SECONDS.sleep(measure);
                load.recording(false);
                final Histogram withStalled = load.latency().copy();
                histograms.put("gateway-with-a-stalled-client", withStalled);
                md.append(row("with a stalled client", clients - 1, withStalled, all.subList(1, all.size())));
                to.println("summary");
                final SummaryJson summary = SummaryJson.parse(expect(from, "summary ").substring(8));
                md.append(String.format(Locale.ROOT, "%nThe client that paused for 2 s: %,d events, %,d gaps " +
                    "(%,d sequences conflated away, in order, never twice). Gateway: conflated %,d, slow " +
                    "disconnects %,d (the client that never read, after the 3 s timeout), events sent %,d, " +
                    "%,d bytes.%n", paused.events - before[0], paused.gaps, paused.skipped,
                    summary.number("conflated", -1), summary.number("slowDisconnects", -1),
                    summary.number("eventsSent", -1), summary.number("bytesSent", -1)));
            }

            // Idle connections: the feed stopped, memory before and after.
            to.println("stop-feed");
            expect(from, "stopped");
            to.println("memory");
            final String[] empty = expect(from, "memory ").substring(7).split(" ");
            try (GatewayLoad idleLoad = new GatewayLoad())
            {
                idleLoad.connect(address, "/stream", idle, true);
                idleLoad.start();
                TimeUnit.SECONDS.sleep(3);
                to.println("memory");
                final String[] held = expect(from, "memory ").substring(7).split(" ");
                final long heap = Long.parseLong(held[0]) - Long.parseLong(empty[0]);
                final long direct = Long.parseLong(held[1]) - Long.parseLong(empty[1]);
                to.println("summary");
                final SummaryJson summary = SummaryJson.parse(expect(from, "summary ").substring(8));
                md.append(String.format(Locale.ROOT, "%nIdle: %,d connections held (gateway: %,d accepted in all, " +
                    "%,d refused). Gateway memory per idle client after a full collection: heap %,d bytes, " +
                    "direct %,d bytes, %.1f KiB together (goal: at most 64 KiB).%n", idle,
                    summary.number("accepted", -1), summary.object("refused").number("busy", -1),
                    heap / idle, direct / idle, (heap + direct) / 1024.0 / idle));
            }
            to.println("exit");
            server.waitFor(30, TimeUnit.SECONDS);
        }
        finally
        {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS))
            {
                server.destroyForcibly();
            }
        }
        Files.createDirectories(output);
        for (final Map.Entry<String, Histogram> entry : histograms.entrySet())
        {
            try (PrintStream out = new PrintStream(Files.newOutputStream(output.resolve(entry.getKey() + ".hgrm"))))
            {
                entry.getValue().outputPercentileDistribution(out, 1000.0);
            }
        }
        Files.writeString(output.resolve("gateway.md"), md);
        io.feedhandler.subscriber.LatencyPlot.write("Gateway fan-out latency by percentile (same run)", histograms,
            output.resolve("gateway-latency.png"));
        System.out.println(md);
        System.out.println("Written to " + output.toAbsolutePath() + ": gateway.md, gateway-latency.png, *.hgrm");
    }

    private static long[] events(final List<GatewayLoad.Client> clients)
    {
        final long[] events = new long[clients.size()];
        for (int i = 0; i < events.length; i++)
        {
            events[i] = clients.get(i).events;
        }
        return events;
    }

    private static String row(final String part, final int clients, final Histogram h,
        final List<GatewayLoad.Client> measured)
    {
        long events = 0;
        int withGap = 0;
        for (final GatewayLoad.Client client : measured)
        {
            events += client.events;
            withGap += client.gaps > 0 ? 1 : 0;
        }
        return String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f | %.1f | %.1f | %,d | %d |%n", part, clients,
            h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
            h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0,
            events, withGap);
    }

    private static String expect(final BufferedReader from, final String prefix) throws IOException
    {
        String line;
        while ((line = from.readLine()) != null)
        {
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
        throw new IOException("the gateway process ended before '" + prefix + "'");
    }
}
