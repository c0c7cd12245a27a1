package io.feedhandler.subscriber;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The suite's plot is a real PNG with every run on it (the numbers come from the suite, not from here). */
class LatencyPlotTest
{
    @TempDir
    Path dir;

    @Test
    void writesAPngOfEveryHistogram() throws Exception
    {
        System.setProperty("java.awt.headless", "true");
        final Map<String, Histogram> runs = new LinkedHashMap<>();
        for (final String name : new String[]{"aeron-100000", "feed-100000", "empty"})
        {
            final Histogram histogram = new Histogram(60_000_000_000L, 3);
            if (!name.equals("empty"))
            {
                for (int i = 1; i <= 10_000; i++)
                {
                    histogram.recordValue(1_000L * i);
                }
            }
            runs.put(name, histogram);
        }
        final Path file = dir.resolve("latency.png");
        LatencyPlot.write("runs", runs, file);
        final BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, "a PNG");
        assertEquals(1100, image.getWidth());
        assertEquals(700, image.getHeight());
    }
}
