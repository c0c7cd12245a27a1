package io.feedhandler.subscriber;

import org.HdrHistogram.Histogram;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Latency by percentile, every run on one chart, in the usual HdrHistogram layout: the x axis is
 * 1/(1-percentile) on a log scale (so 90%, 99%, 99.9%, 99.99% are evenly spaced), the y axis is
 * microseconds on a log scale. Plain Java2D: no plotting library needed.
 */
public final class LatencyPlot
{
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 700;
    static final int LEFT = 90;
    private static final int RIGHT = 260;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final double MAX_NINES = 5; // up to 99.999%
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
    };

    private LatencyPlot()
    {
    }

    /** @param title what the lines are, e.g. "same run, same channel" for the suite's runs side by side. */
    public static void write(final String title, final Map<String, Histogram> histograms, final Path file) throws IOException
    {
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = canvas(image);

        double maxMicros = 1;
        double minMicros = Double.MAX_VALUE;
        for (final Histogram h : histograms.values())
        {
            if (h.getTotalCount() > 0)
            {
                maxMicros = Math.max(maxMicros, h.getMaxValue() / 1000.0);
                minMicros = Math.min(minMicros, Math.max(0.1, h.getValueAtPercentile(1) / 1000.0));
            }
        }
        final double logMin = Math.floor(Math.log10(Math.min(minMicros, maxMicros)));
        final double logMax = Math.ceil(Math.log10(maxMicros));
        final int plotW = WIDTH - LEFT - RIGHT;
        final int plotH = HEIGHT - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(new Color(0xdddddd));
        for (double decade = logMin; decade <= logMax; decade++)
        {
            final int y = TOP + plotH - (int)((decade - logMin) / Math.max(1, logMax - logMin) * plotH);
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            axisLabel(g, duration(Math.pow(10, decade)), y);
            g.setColor(new Color(0xdddddd));
        }
        final String[] percentiles = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int nines = 0; nines <= MAX_NINES; nines++)
        {
            final int x = LEFT + (int)(nines / MAX_NINES * plotW);
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(percentiles[nines], x - 15, TOP + plotH + 20);
            g.setColor(new Color(0xdddddd));
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("percentile", LEFT + plotW / 2 - 30, HEIGHT - 25);

        int series = 0;
        g.setStroke(new BasicStroke(2f));
        for (final Map.Entry<String, Histogram> entry : histograms.entrySet())
        {
            final Histogram h = entry.getValue();
            final Color color = COLORS[series % COLORS.length];
            g.setColor(color);
            if (h.getTotalCount() > 0)
            {
                int lastX = -1;
                int lastY = -1;
                for (int step = 0; step <= 500; step++)
                {
                    final double nines = step / 500.0 * MAX_NINES;
                    final double percentile = 100.0 * (1 - Math.pow(10, -nines));
                    final double micros = Math.max(Math.pow(10, logMin), h.getValueAtPercentile(percentile) / 1000.0);
                    final int x = LEFT + (int)(nines / MAX_NINES * plotW);
                    final int y = TOP + plotH - (int)((Math.log10(micros) - logMin) / Math.max(1, logMax - logMin) * plotH);
                    if (lastX >= 0)
                    {
                        g.drawLine(lastX, lastY, x, y);
                    }
                    lastX = x;
                    lastY = y;
                }
            }
            final int legendY = TOP + 20 + series * 22;
            g.fillRect(LEFT + plotW + 20, legendY - 10, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(entry.getKey(), LEFT + plotW + 42, legendY + 2);
            series++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** The image's graphics, antialiased, on white. */
    static Graphics2D canvas(final BufferedImage image)
    {
        final Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        return g;
    }

    /** A y axis label right-aligned against the plot, so that however wide it is, none of it is cut off. */
    static void axisLabel(final Graphics2D g, final String text, final int y)
    {
        final java.awt.Color previous = g.getColor();
        g.setColor(Color.DARK_GRAY);
        g.drawString(text, LEFT - 8 - g.getFontMetrics().stringWidth(text), y + 4);
        g.setColor(previous);
    }

    /** A duration in microseconds, in the unit that keeps it short: 0.5 us, 20 us, 1 ms, 100 ms, 10 s. */
    static String duration(final double micros)
    {
        if (micros >= 1_000_000)
        {
            return String.format(java.util.Locale.ROOT, "%,.0f s", micros / 1_000_000);
        }
        if (micros >= 1_000)
        {
            return String.format(java.util.Locale.ROOT, "%,.0f ms", micros / 1_000);
        }
        return micros >= 1 ? String.format(java.util.Locale.ROOT, "%,.0f us", micros) :
            String.format(java.util.Locale.ROOT, "%.1f us", micros);
    }
}
