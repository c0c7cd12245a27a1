package io.feedhandler.subscriber;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code feed perf --plot}: plots of HdrHistogram interval logs ({@code .hlog}), such as those
 * {@code feed subscribe --latency-log} writes: the percentile curve of each log's intervals added up
 * ({@code latency-hlog.png}), and each log's p50, p99 and max per interval over time
 * ({@code latency-over-time.png}). Part of the distribution: it needs only the subscriber's jars.
 */
public final class HlogPlot
{
    /** One log read: its intervals added up, and each interval's percentiles. */
    public record Log(Histogram total, List<LatencyOverTimePlot.Interval> intervals)
    {
    }

    private HlogPlot()
    {
    }

    /**
     * {@code --plot A.hlog[,B.hlog...] [--output DIR]}: the distribution's {@code feed perf}, which
     * has only the plots (the benchmarks run from a source tree). Exit 2 for bad arguments.
     */
    public static void main(final String[] args) throws IOException
    {
        final List<Path> logs = new ArrayList<>();
        Path output = Path.of("perf-results");
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "--plot" -> logs.addAll(paths(value(args, i++)));
                    case "--output" -> output = Path.of(value(args, i++));
                    case "--help", "-h" ->
                    {
                        System.out.println("Usage: feed perf --plot A.hlog[,B.hlog...] [--output DIR]");
                        System.out.println("  Plots HdrHistogram interval logs (e.g. from 'feed subscribe --latency-log'):");
                        System.out.println("  DIR/latency-hlog.png (percentiles) and DIR/latency-over-time.png (p50, p99, max");
                        System.out.println("  per interval). The benchmarks themselves run from a source tree (scripts/feed perf).");
                        return;
                    }
                    default -> throw new IllegalArgumentException("feed perf: '" + args[i] + "' is not part of the " +
                        "distribution, which has only --plot and --output; the benchmarks run from a source tree " +
                        "(scripts/feed perf)");
                }
            }
            if (logs.isEmpty())
            {
                throw new IllegalArgumentException("feed perf: give --plot A.hlog[,B.hlog...]");
            }
            plot(logs, output);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.exit(2);
        }
    }

    private static String value(final String[] args, final int i)
    {
        if (i + 1 >= args.length)
        {
            throw new IllegalArgumentException("bad " + args[i] + ": needs a value");
        }
        return args[i + 1];
    }

    /** {@code A.hlog,B.hlog}: the logs named. */
    public static List<Path> paths(final String list)
    {
        final List<Path> paths = new ArrayList<>();
        for (final String file : list.split(","))
        {
            paths.add(Path.of(file));
        }
        return paths;
    }

    /** @return the percentile PNG written (the over-time one is beside it). */
    public static Path plot(final List<Path> logs, final Path output) throws IOException
    {
        final Map<String, Histogram> histograms = new LinkedHashMap<>();
        final Map<String, List<LatencyOverTimePlot.Interval>> overTime = new LinkedHashMap<>();
        for (final Path file : logs)
        {
            final String name = file.getFileName().toString().replaceFirst("\\.hlog$", "");
            final Log log = readLog(file);
            histograms.put(name, log.total());
            overTime.put(name, log.intervals());
        }
        Files.createDirectories(output);
        final Path png = output.resolve("latency-hlog.png");
        LatencyPlot.write(logs.size() == 1 ? "One-way latency by percentile: " + histograms.keySet().iterator().next() :
            "One-way latency by percentile, " + logs.size() + " logs", histograms, png);
        final Path overTimePng = output.resolve("latency-over-time.png");
        LatencyOverTimePlot.write(overTime, overTimePng);
        for (final Map.Entry<String, Histogram> entry : histograms.entrySet())
        {
            final Histogram h = entry.getValue();
            System.out.printf(Locale.ROOT, "%s: count=%d p50=%.1fus p99=%.1fus p99.9=%.1fus max=%.1fus%n", entry.getKey(),
                h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
        }
        System.out.println("plot: " + png);
        System.out.println("plot: " + overTimePng);
        return png;
    }

    /** A log's intervals added up. */
    public static Histogram read(final Path log) throws IOException
    {
        return readLog(log).total();
    }

    /** A log's intervals, each with its percentiles, and their sum. */
    public static Log readLog(final Path log) throws IOException
    {
        final Histogram total = new Histogram(3);
        final List<LatencyOverTimePlot.Interval> intervals = new ArrayList<>();
        final HistogramLogReader reader;
        try
        {
            reader = new HistogramLogReader(log.toFile());
        }
        catch (final FileNotFoundException ex)
        {
            throw new IllegalArgumentException("bad --plot '" + log + "': no such file");
        }
        try
        {
            EncodableHistogram interval;
            long firstStartMillis = -1;
            while ((interval = reader.nextIntervalHistogram()) != null)
            {
                if (!(interval instanceof Histogram))
                {
                    throw new IllegalArgumentException("bad --plot '" + log + "': not an integer-value histogram log");
                }
                final Histogram h = (Histogram)interval;
                total.add(h);
                firstStartMillis = firstStartMillis < 0 ? h.getStartTimeStamp() : firstStartMillis;
                if (h.getTotalCount() > 0)
                {
                    intervals.add(new LatencyOverTimePlot.Interval((h.getStartTimeStamp() - firstStartMillis) / 1000.0,
                        h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue()));
                }
            }
        }
        catch (final RuntimeException ex)
        {
            if (ex instanceof IllegalArgumentException && ex.getMessage() != null && ex.getMessage().startsWith("bad "))
            {
                throw ex;
            }
            throw new IllegalArgumentException("bad --plot '" + log + "': not a readable .hlog (" + ex + ")");
        }
        finally
        {
            reader.close();
        }
        if (total.getTotalCount() == 0)
        {
            throw new IllegalArgumentException("bad --plot '" + log + "': no histograms in it");
        }
        return new Log(total, intervals);
    }
}
