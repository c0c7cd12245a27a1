package io.feedhandler.subscriber;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Latency over time: an HdrHistogram interval log ({@code .hlog}) that HdrHistogram's own tools
 * (HistogramLogProcessor, HdrHistogramVisualizer) and {@code feed perf --plot} read. The subscriber's
 * thread records into a {@link SingleWriterRecorder} (wait-free, allocation-free); another thread
 * calls {@link #writeIntervalIfDue} to swap out the interval and append it to the file.
 */
public final class LatencyLog implements AutoCloseable
{
    private final SingleWriterRecorder recorder =
        new SingleWriterRecorder(SubscriberConfiguration.MAX_RECORDED_LATENCY_NANOS, 3);
    private final PrintStream out;
    private final HistogramLogWriter writer;
    private final long intervalMillis;
    private Histogram interval;
    private long intervalStartMillis;

    /**
     * @throws IllegalArgumentException when the file cannot be written (names it).
     */
    public LatencyLog(final Path file, final long intervalMillis, final long startMillis)
    {
        if (intervalMillis <= 0)
        {
            throw new IllegalArgumentException("bad --latency-log-interval " + intervalMillis + "ms: must be > 0");
        }
        try
        {
            this.out = new PrintStream(file.toFile(), java.nio.charset.StandardCharsets.US_ASCII);
        }
        catch (final FileNotFoundException ex)
        {
            throw new IllegalArgumentException("bad --latency-log '" + file + "': cannot write it (" + ex.getMessage() + ")");
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalArgumentException("bad --latency-log '" + file + "': " + ex.getMessage());
        }
        this.intervalMillis = intervalMillis;
        this.writer = new HistogramLogWriter(out);
        writer.outputComment("feed subscriber one-way latency, nanoseconds, publisher due time to delivery");
        writer.outputLogFormatVersion();
        writer.outputStartTime(startMillis);
        writer.setBaseTime(startMillis);
        writer.outputLegend();
        this.intervalStartMillis = startMillis;
        out.flush();
    }

    /** Record one latency; from one thread only (the subscriber's). Wait-free, allocates nothing. */
    public void record(final long latencyNanos)
    {
        recorder.recordValue(latencyNanos);
    }

    /** Append the interval that ended if {@code intervalMillis} has passed since the last. */
    public void writeIntervalIfDue(final long nowMillis)
    {
        if (nowMillis - intervalStartMillis >= intervalMillis)
        {
            writeInterval(nowMillis);
        }
    }

    private void writeInterval(final long nowMillis)
    {
        interval = recorder.getIntervalHistogram(interval);
        interval.setStartTimeStamp(intervalStartMillis);
        interval.setEndTimeStamp(nowMillis);
        writer.outputIntervalHistogram(interval);
        out.flush();
        intervalStartMillis = nowMillis;
    }

    /** Write the last, partial interval and close the file. */
    public void close()
    {
        writeInterval(System.currentTimeMillis());
        out.close();
    }
}
