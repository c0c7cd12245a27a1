package io.feedhandler.perf;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code feed perf --plot}: the suite's percentile plot from any HdrHistogram interval logs
 * ({@code .hlog}), such as those {@code feed subscribe --latency-log} writes. Each log's intervals are
 * added up into one line of the plot.
 */
final class HlogPlot
{
    private HlogPlot()
    {
    }

    /** @return the PNG written. */
    static Path plot(final List<Path> logs, final Path output) throws IOException
    {
        final Map<String, Histogram> histograms = new LinkedHashMap<>();
        for (final Path log : logs)
        {
            histograms.put(log.getFileName().toString().replaceFirst("\\.hlog$", ""), read(log));
        }
        Files.createDirectories(output);
        final Path png = output.resolve("latency-hlog.png");
        LatencyPlot.write(histograms, png);
        for (final Map.Entry<String, Histogram> entry : histograms.entrySet())
        {
            final Histogram h = entry.getValue();
            System.out.printf(Locale.ROOT, "%s: count=%d p50=%.1fus p99=%.1fus p99.9=%.1fus max=%.1fus%n", entry.getKey(),
                h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
        }
        System.out.println("plot: " + png);
        return png;
    }

    static Histogram read(final Path log) throws IOException
    {
        final Histogram total = new Histogram(3);
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
            while ((interval = reader.nextIntervalHistogram()) != null)
            {
                if (!(interval instanceof Histogram))
                {
                    throw new IllegalArgumentException("bad --plot '" + log + "': not an integer-value histogram log");
                }
                total.add((Histogram)interval);
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
        return total;
    }
}
