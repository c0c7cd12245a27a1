package io.feedhandler.cli;

import io.feedhandler.codecs.SummaryJson;
import io.feedhandler.subscriber.HlogPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The subscriber's latency figures through {@code scripts/feed}: live ticks' latency, the same after
 * the warm-up, and recovered ticks' age, each on its own, so a subscriber that starts from sequence 1
 * does not report its history's age as latency.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LatencyFiguresIT
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.77.61:40661|interface=127.0.0.1";
    static final String REPLAY = "aeron:udp?endpoint=127.0.0.1:40761";
    static final int COUNT = 15_000;

    @TempDir
    Path dir;

    @Test
    void liveLatencySteadyStateAndRecoveredAgeAreSeparateFigures() throws Exception
    {
        final Path hlog = dir.resolve("live.hlog");
        try (FeedProcess live = FeedScript.start("subscribe", "--name", "live", "--count", Integer.toString(COUNT),
            "--duration", "120s", "--warmup", "1s", "--latency-log", hlog.toString(), "--channel", CHANNEL,
            "--stream", "3061", "--replay-channel", REPLAY))
        {
            live.awaitReady(60);
            try (FeedProcess publisher = FeedScript.start("publish", "--count", Integer.toString(COUNT), "--rate", "5000",
                "--journal", dir.resolve("journal").toString(), "--channel", CHANNEL, "--stream", "3061",
                "--replay-channel", REPLAY, "--linger", "60s"))
            {
                assertEquals(0, live.awaitExit(60), live.stderr());
                final SummaryJson summary = live.summaryJson();
                assertEquals(COUNT, live.field("delivered"), live.summary());
                assertEquals(0, live.field("recovered"), live.summary());
                assertEquals(COUNT, summary.object("latencyNs").number("count", -1), live.summary());
                assertTrue(summary.object("latencyNs").number("p50", 0) > 0, live.summary());
                final long steady = summary.object("steadyLatencyNs").number("count", -1);
                assertTrue(steady > 0 && steady < COUNT, "the first second of live is warm-up: " + live.summary());
                assertEquals(1000, live.field("warmupMs"), live.summary());
                assertEquals(0, summary.object("recoveredAgeNs").number("count", -1), "nothing recovered: " + live.summary());
                assertEquals(0, summary.object("recoveredAgeNs").number("max", -1), live.summary());
                assertTrue(!live.text("profile").isEmpty(), live.summary());

                // A subscriber from sequence 1, after the run: all history, none of it latency.
                final FeedProcess history = FeedScript.run(90, "subscribe", "--name", "history", "--from-seq", "1",
                    "--count", Integer.toString(COUNT), "--duration", "60s", "--channel", CHANNEL, "--stream", "3061",
                    "--replay-channel", REPLAY);
                assertEquals(0, history.exitCode(), history.stderr());
                final SummaryJson past = history.summaryJson();
                assertEquals(COUNT, history.field("delivered"), history.summary());
                assertEquals(COUNT, history.field("recovered"), history.summary());
                assertEquals(0, past.object("latencyNs").number("count", -1), "history is not latency: " + history.summary());
                assertEquals(COUNT, past.object("recoveredAgeNs").number("count", -1), history.summary());
                assertTrue(past.object("recoveredAgeNs").number("p50", 0) > 100_000_000L,
                    "recovered ticks were sent well before they were delivered: " + history.summary());
                assertEquals(live.text("digest"), history.text("digest"));
                publisher.stop();
                publisher.awaitExit(30);
            }
        }
        // The latency log has live ticks only, one interval a second: what feed perf --plot draws over time.
        final HlogPlot.Log log = HlogPlot.readLog(hlog);
        assertEquals(COUNT, log.total().getTotalCount());
        assertTrue(log.intervals().size() >= 2, "an interval a second: " + log.intervals());
        assertTrue(Files.size(HlogPlot.plot(java.util.List.of(hlog), dir.resolve("plots"))) > 1000);
        assertTrue(Files.size(dir.resolve("plots/latency-over-time.png")) > 1000);
    }
}
