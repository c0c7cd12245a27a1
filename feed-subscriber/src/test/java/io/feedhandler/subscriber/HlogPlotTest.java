package io.feedhandler.subscriber;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HlogPlotTest
{
    @TempDir
    Path dir;

    @Test
    void plotsTheIntervalsOfASubscribersLatencyLog() throws Exception
    {
        final Path hlog = dir.resolve("sub-a.hlog");
        final long start = 1_700_000_000_000L;
        try (LatencyLog log = new LatencyLog(hlog, 1000, start))
        {
            for (int i = 0; i < 1000; i++)
            {
                log.record(5_000 + i);
            }
            log.writeIntervalIfDue(start + 1000);
            for (int i = 0; i < 500; i++)
            {
                log.record(9_000 + i);
            }
        }
        final Histogram total = HlogPlot.read(hlog);
        assertEquals(1500, total.getTotalCount());

        final Path png = HlogPlot.plot(List.of(hlog), dir.resolve("out"));
        assertTrue(Files.size(png) > 1000, "a PNG was drawn");
        assertEquals((byte)0x89, Files.readAllBytes(png)[0]);
        final Path overTime = png.resolveSibling("latency-over-time.png");
        assertTrue(Files.size(overTime) > 1000, "latency over time was drawn");
        final HlogPlot.Log log = HlogPlot.readLog(hlog);
        assertEquals(2, log.intervals().size(), "one point per interval");
        assertEquals(0.0, log.intervals().get(0).startSeconds());
        assertEquals(1.0, log.intervals().get(1).startSeconds());
        assertEquals(9_499, log.intervals().get(1).max(), 10);
    }

    @Test
    void aFileThatIsNotALogIsNamed() throws Exception
    {
        final Path bogus = Files.writeString(dir.resolve("bogus.hlog"), "hello\n");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> HlogPlot.read(bogus));
        assertTrue(ex.getMessage().contains("bogus.hlog"), ex.getMessage());
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> HlogPlot.read(dir.resolve("none.hlog")));
        assertTrue(missing.getMessage().contains("none.hlog"), missing.getMessage());
    }
}
