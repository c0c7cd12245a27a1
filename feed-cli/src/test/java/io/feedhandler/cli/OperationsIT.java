package io.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator watches while the feed runs: the product's counters in the media drivers' CnC
 * files, read by Aeron's own AeronStat, by {@code feed stat} and by a Prometheus scrape of
 * {@code feed metrics}, all from other processes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OperationsIT
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.77.41:40641|interface=127.0.0.1";
    static final String REPLAY = "aeron:udp?endpoint=127.0.0.1:40741";
    static final int METRICS_PORT = 40841;

    @TempDir
    Path dir;

    @Test
    void countersAreVisibleToAeronStatFeedStatAndPrometheus() throws Exception
    {
        try (FeedProcess subscriber = FeedScript.start("subscribe", "--name", "ops-watch", "--duration", "120s",
            "--channel", CHANNEL, "--stream", "3011", "--replay-channel", REPLAY);
            FeedProcess publisher = FeedScript.start("publish", "--rate", "2000", "--duration", "120s",
                "--journal", dir.resolve("journal").toString(), "--channel", CHANNEL, "--stream", "3011",
                "--replay-channel", REPLAY, "--linger", "0s");
            FeedProcess metrics = FeedScript.start("metrics", "--port", Integer.toString(METRICS_PORT)))
        {
            subscriber.awaitReady(60);

            // feed stat: every role, by name, with counters that move.
            final String[] stat = {""};
            Await.until(() ->
            {
                stat[0] = runQuietly("stat", "--once");
                return stat[0].contains("subscriber ops-watch") && deliveredIn(stat[0]) > 0 &&
                    stat[0].contains("publisher stream-3011") && stat[0].contains("replay-server stream-");
            }, 60, 200, () -> "feed stat never showed the feed: " + stat[0]);

            // AeronStat, from Aeron itself, on the subscriber's embedded driver.
            final Matcher directory = Pattern.compile("subscriber ops-watch {2}pid \\d+ {2}(\\S+)").matcher(stat[0]);
            assertTrue(directory.find(), stat[0]);
            final String aeronStat = aeronStat(directory.group(1));
            assertTrue(aeronStat.contains("feed subscriber ops-watch: delivered"), aeronStat);
            assertTrue(aeronStat.contains("feed subscriber ops-watch: lag"), aeronStat);

            // Prometheus text from feed metrics.
            final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            final String[] body = {""};
            Await.until(() ->
            {
                body[0] = scrape(http);
                return body[0].contains("feed_subscriber_delivered_total{name=\"ops-watch\"") &&
                    body[0].contains("feed_publisher_published_total{name=\"stream-3011\"") &&
                    Pattern.compile("feed_subscriber_latency_p99_ns\\{name=\"ops-watch\",pid=\"\\d+\"} [1-9]")
                        .matcher(body[0]).find();
            }, 60, 200, () -> "no feed counters (or no latency quantiles) scraped: " + body[0]);
            for (final String quantile : List.of("p50", "p99", "p999", "max"))
            {
                assertTrue(body[0].contains("# TYPE feed_subscriber_latency_" + quantile + "_ns gauge"), body[0]);
            }
            assertTrue(body[0].contains("# TYPE feed_subscriber_delivered_total counter"), body[0]);
            assertTrue(body[0].contains("# TYPE feed_subscriber_lag gauge"), body[0]);
            final Matcher heartbeatAge = Pattern.compile(
                "feed_subscriber_last_heard_age_seconds\\{name=\"ops-watch\",pid=\"\\d+\"} ([0-9.]+)").matcher(body[0]);
            assertTrue(heartbeatAge.find(), body[0]);
            assertTrue(Double.parseDouble(heartbeatAge.group(1)) < 30, "live is flowing: " + body[0]);
            for (final String line : body[0].split("\n"))
            {
                assertTrue(line.startsWith("#") || line.matches("[a-z_][a-z0-9_]*(\\{[^}]*})? (NaN|[0-9.]+)"),
                    "Prometheus text format: " + line);
            }

            metrics.signal("TERM");
            metrics.awaitExit(30);
            assertEquals("metrics", metrics.text("role"), metrics.summary());
            assertTrue(metrics.field("scrapes") >= 1, metrics.summary());
        }
    }

    @Test
    void latencyOverTimeIsAnIntervalLogThatHdrHistogramReads() throws Exception
    {
        final Path hlog = dir.resolve("latency.hlog");
        try (FeedProcess subscriber = FeedScript.start("subscribe", "--count", "30000", "--duration", "90s",
            "--no-recovery", "--latency-log", hlog.toString(), "--latency-log-interval", "250ms",
            "--channel", CHANNEL.replace("40641", "40643").replace(".41:", ".43:"), "--stream", "3012"))
        {
            subscriber.awaitReady(60);
            final FeedProcess publisher = FeedScript.run(90, "publish", "--count", "30000", "--rate", "15000",
                "--journal", dir.resolve("journal").toString(), "--no-replay-server", "--linger", "0s",
                "--channel", CHANNEL.replace("40641", "40643").replace(".41:", ".43:"), "--stream", "3012");
            assertEquals(0, publisher.exitCode(), publisher.stderr());
            assertEquals(0, subscriber.awaitExit(60), subscriber.stderr());
        }
        long total = 0;
        int intervals = 0;
        try (org.HdrHistogram.HistogramLogReader reader = new org.HdrHistogram.HistogramLogReader(hlog.toFile()))
        {
            org.HdrHistogram.EncodableHistogram interval;
            while ((interval = reader.nextIntervalHistogram()) != null)
            {
                total += ((org.HdrHistogram.Histogram)interval).getTotalCount();
                intervals++;
            }
        }
        assertEquals(30_000, total, "every delivery is in the log once");
        assertTrue(intervals >= 4, "2 s at 250 ms intervals: " + intervals);
    }

    private static long deliveredIn(final String stat)
    {
        final Matcher matcher = Pattern.compile("subscriber ops-watch[^\\n]*\\n(?:  [^\\n]*\\n)*?  delivered +([0-9,]+)")
            .matcher(stat);
        return matcher.find() ? Long.parseLong(matcher.group(1).replace(",", "")) : 0;
    }

    private static String scrape(final HttpClient http)
    {
        try
        {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + METRICS_PORT + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return response.statusCode() == 200 ? response.body() : "";
        }
        catch (final IOException ex)
        {
            return ""; // not listening yet
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String runQuietly(final String... args)
    {
        try
        {
            final FeedProcess process = FeedScript.run(60, args);
            return String.join("\n", process.stdoutLines()) + "\n";
        }
        catch (final Exception ex)
        {
            return "";
        }
    }

    private static String aeronStat(final String aeronDirectory) throws Exception
    {
        final String jar = System.getProperty("aeron.all.jar");
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Daeron.dir=" + aeronDirectory, "-cp", jar, "io.aeron.samples.AeronStat", "watch=false"));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "AeronStat finished");
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
