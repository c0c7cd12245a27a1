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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code feed perf --only gateway}: a publisher and a gateway in a child process
 * ({@link GatewayBenchServer}) and many real HTTP clients here ({@link GatewayLoad}, several reading
 * threads). Three parts:
 * <ol>
 * <li>Fan-out: the feed at 10,000 ticks/s over 100 instruments, clients each taking everything, added
 * in steps (default 100, 300, 1,000) in the same run; per step the latency from each tick's due time to
 * a measured client reading it, what the gateway conflated, and the CPU the gateway and the load tool
 * each used, so the knee and who is paying for it are visible side by side.</li>
 * <li>A stalled client among the last step's: one that stops reading for 2 s (then reads again:
 * conflated) and one that never reads (disconnected after the 3 s slow-client timeout); the others'
 * latency again, the gateway's direct memory while they are stalled.</li>
 * <li>Idle connections: 10,000 clients connected while the feed is quiet; the gateway's heap and
 * direct memory before and after, per client.</li>
 * </ol>
 * Knobs, as system properties (in {@code JAVA_OPTS}): {@code feed.perf.gateway.clients} (the steps,
 * e.g. {@code 100,300,1000}), {@code feed.perf.gateway.readers} (the load tool's threads),
 * {@code feed.perf.gateway.measureEvery} (parse one client in this many), {@code feed.perf.gateway.ioThreads}
 * (the gateway's event loops), {@code feed.perf.gateway.idle}, {@code feed.perf.gateway.rate}.
 */
final class GatewayBench
{
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final boolean quick;
    private final Path output;

    GatewayBench(final boolean quick, final Path output)
    {
        this.quick = quick;
        this.output = output;
    }

    void run() throws Exception
    {
        final int rate = Integer.getInteger("feed.perf.gateway.rate", 10_000);
        final int[] steps = steps(System.getProperty("feed.perf.gateway.clients", quick ? "100,300" : "100,200,300,500,1000"));
        final int readers = Integer.getInteger("feed.perf.gateway.readers", 4);
        final int measureEvery = Integer.getInteger("feed.perf.gateway.measureEvery", 10);
        final int ioThreads = Integer.getInteger("feed.perf.gateway.ioThreads", 1);
        final int idle = Integer.getInteger("feed.perf.gateway.idle", quick ? 2_000 : 10_000);
        // The stalled client joins the step with this many clients (default: the third), where the gateway
        // should still keep up, so that "the others' latency unchanged" is a comparison with the row before.
        final int stallAt = Integer.getInteger("feed.perf.gateway.stallAt", steps[Math.min(2, steps.length - 1)]);
        final long warmup = quick ? 5 : 8;
        final long measure = quick ? 8 : 15;
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-Xmx2g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GatewayBenchServer.class.getName());
        command.add(String.valueOf(rate));
        command.add(String.valueOf(ioThreads));
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
            md.append(String.format(Locale.ROOT, "Host: %d CPUs, %s %s, file limit %s. Publisher and gateway " +
                "(%d event loop%s) in one process, clients in another on %d reading threads, one client in %d " +
                "parsed and timed; loopback. Feed at %,d ticks/s over 100 instruments; per step %d s warm-up, " +
                "%d s measured. Latency: from each tick's due time (stamped by the publisher) to a measured " +
                "client reading its event, in milliseconds. CPU in cores (CPU seconds per second) over the " +
                "measured window: the gateway's process (publisher, subscriber and gateway), its event loops " +
                "alone, the load tool's reading threads (in brackets its whole process), and the whole machine (every process and the kernel; in " +
                "brackets the kernel's softirq time, where loopback TCP delivery is mostly accounted), from " +
                "/proc/stat.%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), fileLimit(), ioThreads, ioThreads == 1 ? "" : "s", readers,
                measureEvery, rate, warmup, measure));
            md.append("| part | clients | p50 | p90 | p99 | p99.9 | max | events/s to clients | conflated | " +
                "measured clients with a gap | gateway process CPU | its event loops | load tool CPU (process) | " +
                "machine CPU (softirq) |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");

            final StringBuilder notes = new StringBuilder();
            try (GatewayLoad load = new GatewayLoad(readers, measureEvery))
            {
                final List<GatewayLoad.Client> all = new ArrayList<>();
                load.start();
                for (final int step : steps)
                {
                    all.addAll(load.connect(address, "/stream", step - all.size(), true));
                    TimeUnit.SECONDS.sleep(warmup);
                    final Window window = new Window(to, from, load, all, -1);
                    load.takeLatency();
                    load.recording(true);
                    TimeUnit.SECONDS.sleep(measure);
                    load.recording(false);
                    final Histogram h = load.takeLatency();
                    histograms.put(step + " clients", h);
                    md.append(window.row("fan-out", step, h));
                    if (step == stallAt)
                    {
                        stall(address, to, from, load, all, measure, histograms, md, notes);
                    }
                }
            }
            md.append(notes);

            // Idle connections: the feed stopped, memory before and after.
            to.println("stop-feed");
            expect(from, "stopped");
            to.println("memory");
            final String[] empty = expect(from, "memory ").substring(7).split(" ");
            try (GatewayLoad idleLoad = new GatewayLoad(readers, Integer.MAX_VALUE))
            {
                idleLoad.start();
                idleLoad.connect(address, "/stream", idle, true);
                TimeUnit.SECONDS.sleep(3);
                to.println("memory");
                final String[] held = expect(from, "memory ").substring(7).split(" ");
                final long heap = Long.parseLong(held[0]) - Long.parseLong(empty[0]);
                final long direct = Long.parseLong(held[1]) - Long.parseLong(empty[1]);
                final SummaryJson summary = summary(to, from);
                md.append(String.format(Locale.ROOT, "%nIdle: %,d connections held, %,d of them closed " +
                    "(gateway: %,d accepted in all, %,d refused). Gateway memory per idle client " +
                    "after a full collection: heap %,d bytes, direct %,d bytes, %.1f KiB together (goal: at most " +
                    "64 KiB).%n", idle, idleLoad.disconnected(),
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
            final String file = "gateway-" + entry.getKey().replace(' ', '-') + ".hgrm";
            try (PrintStream out = new PrintStream(Files.newOutputStream(output.resolve(file))))
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

    /**
     * One measured client stops reading for 2 s (then reads again), one new client never reads; the
     * others' latency is measured over the same time as a step's.
     */
    private static void stall(final InetSocketAddress address, final PrintWriter to, final BufferedReader from,
        final GatewayLoad load, final List<GatewayLoad.Client> all, final long measure,
        final Map<String, Histogram> histograms, final StringBuilder md, final StringBuilder notes) throws Exception
    {
        final GatewayLoad.Client paused = all.get(0);
        paused.recordLatency = false;
        final long pausedEvents = paused.events;
        final long pausedGaps = paused.gaps;
        final long pausedSkipped = paused.skipped;
        final long directBefore = direct(to, from);
        final long disconnectedBefore = load.disconnected();
        final Window window = new Window(to, from, load, all, 0);
        load.takeLatency();
        load.recording(true);
        load.pause(paused, STALL_NANOS);
        load.connect(address, "/stream", 1, false);
        TimeUnit.MILLISECONDS.sleep(1_500);
        final long directStalled = direct(to, from);
        TimeUnit.MILLISECONDS.sleep(TimeUnit.SECONDS.toMillis(measure) - 1_500);
        load.recording(false);
        final Histogram withStalled = load.takeLatency();
        paused.recordLatency = true;
        histograms.put("with a stalled client", withStalled);
        md.append(window.row("with a stalled client", all.size() - 1, withStalled));
        final SummaryJson summary = window.end;
        notes.append(String.format(Locale.ROOT, "%nWith %,d clients, the client that paused for 2 s: %,d events " +
            "in the part, %,d jumps (%,d sequences conflated away; in order, never one twice). The client that " +
            "never read: the gateway's slow disconnects went up by %,d in that part (the 3 s timeout). Gateway " +
            "direct memory %,d bytes before, %,d while both were stalled (1.5 s in; Netty's pool counts whole " +
            "chunks). Reading clients the gateway disconnected in that part: %,d.%n", all.size(),
            paused.events - pausedEvents, paused.gaps - pausedGaps, paused.skipped - pausedSkipped,
            summary.number("slowDisconnects", 0) - window.start.number("slowDisconnects", 0),
            directBefore, directStalled, load.disconnected() - disconnectedBefore));
    }

    /** What one measured window starts from: the gateway's counters and CPU, the load tool's CPU, the clients' gaps. */
    private static final class Window
    {
        final PrintWriter to;
        final BufferedReader from;
        final GatewayLoad load;
        final List<GatewayLoad.Client> clients;
        final int excluded;
        final SummaryJson start;
        final Map<String, Long> serverCpu;
        final long loadCpu;
        final long loadProcessCpu = processCpuNanos();
        final long[] machine;
        final long[] gaps;
        final long began = System.nanoTime();
        SummaryJson end;

        Window(final PrintWriter to, final BufferedReader from, final GatewayLoad load,
            final List<GatewayLoad.Client> clients, final int excluded) throws IOException
        {
            this.to = to;
            this.from = from;
            this.load = load;
            this.clients = clients;
            this.excluded = excluded;
            start = summary(to, from);
            serverCpu = cpu(to, from);
            loadCpu = load.cpuNanos();
            machine = machineTicks();
            gaps = new long[clients.size()];
            for (int i = 0; i < gaps.length; i++)
            {
                gaps[i] = clients.get(i).gaps;
            }
        }

        String row(final String part, final int count, final Histogram h) throws IOException
        {
            end = summary(to, from);
            final Map<String, Long> cpu = cpu(to, from);
            final double elapsed = (System.nanoTime() - began) / 1e9;
            final double loadCores = (load.cpuNanos() - loadCpu) / 1e9 / elapsed;
            final double loadProcessCores = (processCpuNanos() - loadProcessCpu) / 1e9 / elapsed;
            final long[] machineNow = machineTicks();
            final double machineCores = (machineNow[0] - machine[0]) / 100.0 / elapsed;
            final double softirqCores = (machineNow[1] - machine[1]) / 100.0 / elapsed;
            final double serverCores = (cpu.get("total") - serverCpu.get("total")) / 1e9 / elapsed;
            final double loopCores = (cpu.getOrDefault("feed-gateway-io", 0L) -
                serverCpu.getOrDefault("feed-gateway-io", 0L)) / 1e9 / elapsed;
            int withGap = 0;
            for (int i = 0; i < gaps.length; i++)
            {
                final GatewayLoad.Client client = clients.get(i);
                if (i != excluded && client.measured && client.gaps > gaps[i])
                {
                    withGap++;
                }
            }
            final long events = end.number("eventsSent", 0) - start.number("eventsSent", 0);
            final long conflated = end.number("conflated", 0) - start.number("conflated", 0);
            return String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %,.0f | %,d | %d | %.2f | %.2f | " +
                "%.2f (%.2f) | %.2f (%.2f) |%n", part, count, millis(h.getValueAtPercentile(50)), millis(h.getValueAtPercentile(90)),
                millis(h.getValueAtPercentile(99)), millis(h.getValueAtPercentile(99.9)), millis(h.getMaxValue()),
                events / elapsed, conflated, withGap, serverCores, loopCores, loadCores, loadProcessCores, machineCores, softirqCores);
        }
    }

    private static long processCpuNanos()
    {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos()).orElse(0L);
    }

    /** Busy and softirq CPU ticks (USER_HZ, 100 a second) of the whole machine since boot, from /proc/stat. */
    private static long[] machineTicks()
    {
        try
        {
            final String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) // user to steal; guest time is in user already
            {
                if (i != 4 && i != 5) // idle, iowait
                {
                    busy += Long.parseLong(f[i]);
                }
            }
            return new long[]{busy, Long.parseLong(f[7])};
        }
        catch (final IOException | RuntimeException ex)
        {
            return new long[]{0, 0};
        }
    }

    private static String millis(final long nanos)
    {
        return String.format(Locale.ROOT, nanos < 10_000_000 ? "%.2f" : "%.0f", nanos / 1e6);
    }

    private static int[] steps(final String list)
    {
        final String[] parts = list.split(",");
        final int[] steps = new int[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            steps[i] = Integer.parseInt(parts[i].trim());
            if (steps[i] < 1 || (i > 0 && steps[i] <= steps[i - 1]))
            {
                throw new IllegalArgumentException("bad feed.perf.gateway.clients '" + list +
                    "': client counts, rising, e.g. 100,300,1000");
            }
        }
        return steps;
    }

    private static String fileLimit()
    {
        try
        {
            final Process ulimit = new ProcessBuilder("sh", "-c", "ulimit -n").redirectErrorStream(true).start();
            return new String(ulimit.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    private static SummaryJson summary(final PrintWriter to, final BufferedReader from) throws IOException
    {
        to.println("summary");
        return SummaryJson.parse(expect(from, "summary ").substring(8));
    }

    private static long direct(final PrintWriter to, final BufferedReader from) throws IOException
    {
        to.println("direct");
        return Long.parseLong(expect(from, "direct ").substring(7));
    }

    private static Map<String, Long> cpu(final PrintWriter to, final BufferedReader from) throws IOException
    {
        to.println("cpu");
        final Map<String, Long> cpu = new HashMap<>();
        for (final String pair : expect(from, "cpu ").substring(4).split(" "))
        {
            final int at = pair.indexOf('=');
            cpu.put(pair.substring(0, at), Long.parseLong(pair.substring(at + 1)));
        }
        return cpu;
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
