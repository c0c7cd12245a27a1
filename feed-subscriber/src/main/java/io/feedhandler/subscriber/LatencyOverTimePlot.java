package io.feedhandler.subscriber;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Latency over time from interval logs: for each log, its p50, p99 and max per interval (a second by
 * default), on a log scale in microseconds against seconds since the log started. It shows what one
 * percentile curve of a whole run hides: whether the tail is the warm-up, a pause, or all the time.
 */
public final class LatencyOverTimePlot
{
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 700;
    private static final int LEFT = LatencyPlot.LEFT;
    private static final int RIGHT = 260;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
    };
    private static final Stroke[] STROKES = {
        new BasicStroke(2f),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{8f, 4f}, 0f),
        new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{2f, 3f}, 0f),
    };
    private static final String[] QUANTITIES = {"p50", "p99", "max"};

    /** One interval of a log: seconds since the log's start, and its p50, p99 and max in nanoseconds. */
    public record Interval(double startSeconds, long p50, long p99, long max)
    {
        long value(final int quantity)
        {
            return quantity == 0 ? p50 : quantity == 1 ? p99 : max;
        }
    }

    private LatencyOverTimePlot()
    {
    }

    public static void write(final Map<String, List<Interval>> logs, final Path file) throws IOException
    {
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = LatencyPlot.canvas(image);

        double maxMicros = 1;
        double minMicros = Double.MAX_VALUE;
        double endSeconds = 1;
        for (final List<Interval> intervals : logs.values())
        {
            for (final Interval interval : intervals)
            {
                maxMicros = Math.max(maxMicros, interval.max() / 1000.0);
                minMicros = Math.min(minMicros, Math.max(0.1, interval.p50() / 1000.0));
                endSeconds = Math.max(endSeconds, interval.startSeconds() + 1);
            }
        }
        final double logMin = Math.floor(Math.log10(Math.min(minMicros, maxMicros)));
        final double logMax = Math.max(logMin + 1, Math.ceil(Math.log10(maxMicros)));
        final int plotW = WIDTH - LEFT - RIGHT;
        final int plotH = HEIGHT - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (double decade = logMin; decade <= logMax; decade++)
        {
            final int y = TOP + plotH - (int)((decade - logMin) / (logMax - logMin) * plotH);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            LatencyPlot.axisLabel(g, LatencyPlot.duration(Math.pow(10, decade)), y);
        }
        final double tick = niceStep(endSeconds / 10);
        for (double t = 0; t <= endSeconds; t += tick)
        {
            final int x = LEFT + (int)(t / endSeconds * plotW);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            final String label = String.format(java.util.Locale.ROOT, "%.0f s", t);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + plotH + 20);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("One-way latency over time (p50, p99, max per interval)", LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("seconds since the log started", LEFT + plotW / 2 - 90, HEIGHT - 25);

        int series = 0;
        for (final Map.Entry<String, List<Interval>> entry : logs.entrySet())
        {
            final Color color = COLORS[series % COLORS.length];
            for (int quantity = 0; quantity < QUANTITIES.length; quantity++)
            {
                g.setColor(color);
                g.setStroke(STROKES[quantity]);
                int lastX = -1;
                int lastY = -1;
                for (final Interval interval : entry.getValue())
                {
                    final double micros = Math.max(Math.pow(10, logMin), interval.value(quantity) / 1000.0);
                    final int x = LEFT + (int)(interval.startSeconds() / endSeconds * plotW);
                    final int y = TOP + plotH - (int)((Math.log10(micros) - logMin) / (logMax - logMin) * plotH);
                    if (lastX >= 0)
                    {
                        g.drawLine(lastX, lastY, x, y);
                    }
                    lastX = x;
                    lastY = y;
                }
                final int legendY = TOP + 20 + (series * QUANTITIES.length + quantity) * 22;
                g.drawLine(LEFT + plotW + 15, legendY - 4, LEFT + plotW + 45, legendY - 4);
                g.setColor(Color.BLACK);
                g.drawString(entry.getKey() + " " + QUANTITIES[quantity], LEFT + plotW + 52, legendY + 1);
            }
            series++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static double niceStep(final double rough)
    {
        final double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(rough, 1e-3))));
        final double fraction = rough / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }
}
