package io.feedhandler.cli;

import io.feedhandler.codecs.SummaryJson;
import io.feedhandler.gateway.client.SseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client of the gateway away for 2 s while the feed runs at 50,000 ticks/s (100,000 events: more
 * than the gateway's in-memory history) comes back with {@code Last-Event-ID} and gets exactly the
 * quotes of its instruments after it: the same rows, field by field, as the real {@code feed replay}
 * tool reads from the journal for those instruments and that range. Real processes: a publisher with
 * its journal, a gateway reading the same journal, the JDK's HTTP client, {@code scripts/feed replay}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class GatewayResumeIT
{
    private static final String CHANNEL = "aeron:udp?endpoint=239.255.91.41:44141|interface=127.0.0.1";
    private static final String REPLAY_CHANNEL = "aeron:udp?endpoint=127.0.0.1:44241";
    private static final Pattern PORT = Pattern.compile("gateway ready on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final int RATE = 50_000;
    private static final String INSTRUMENTS = "AAPL,MSFT";

    @TempDir
    Path dir;

    @Test
    void aClientAwayForTwoSecondsAtFiftyThousandASecondGetsExactlyWhatFeedReplayReads() throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (FeedProcess publisher = FeedScript.start("publish", "--duration", "120s", "--rate", String.valueOf(RATE),
            "--instruments", "20", "--journal", journal.toString(), "--connect-timeout", "0s",
            "--channel", CHANNEL, "--replay-channel", REPLAY_CHANNEL))
        {
            GatewayIT.awaitJournal(journal);
            try (FeedProcess gateway = FeedScript.start("gateway", "--port", "0", "--channel", CHANNEL,
                "--replay-channel", REPLAY_CHANNEL, "--journal", journal.toString(), "--heartbeat-interval", "1s"))
            {
                gateway.awaitLog("gateway ready on http://", 60);
                final Matcher matcher = PORT.matcher(gateway.stderr());
                assertTrue(matcher.find(), gateway.stderr());
                final URI stream = URI.create("http://127.0.0.1:" + matcher.group(1) + "/stream?instrument=" + INSTRUMENTS);

                final long lastSeen;
                try (SseClient before = SseClient.open(stream, Map.of()))
                {
                    assertEquals(200, before.status());
                    final List<String> quotes = quotes(before, 2_000, Long.MAX_VALUE);
                    lastSeen = sequence(quotes.get(quotes.size() - 1));
                }
                final long away = System.nanoTime();
                Thread.sleep(2_000);

                final List<String> after;
                final long awayNanos;
                try (SseClient resumed = SseClient.open(stream, Map.of("Last-Event-ID", Long.toString(lastSeen))))
                {
                    awayNanos = System.nanoTime() - away;
                    assertEquals(200, resumed.status());
                    // Everything the 2 s away held and as much again live: past lastSeen + 4 s of the feed.
                    after = quotes(resumed, Integer.MAX_VALUE, lastSeen + 4L * RATE);
                }
                final long lastReceived = sequence(after.get(after.size() - 1));

                final Path csv = dir.resolve("replay.csv");
                final FeedProcess replay = FeedScript.run(120, "replay", "--journal", journal.toString(),
                    "--from-seq", Long.toString(lastSeen + 1), "--to-seq", Long.toString(lastReceived),
                    "--instrument", INSTRUMENTS, "--format", "csv", "--output", csv.toString());
                assertEquals(0, replay.exitCode(), replay.stderr());
                final List<String> rows = Files.readAllLines(csv);
                assertEquals("sequence,exchangeTimestamp,sendTimestamp,instrumentId,symbol,bid,bidSize,ask,askSize",
                    rows.get(0));
                assertEquals(rows.size() - 1, after.size(), "as many quotes as feed replay reads for " + INSTRUMENTS +
                    " after " + lastSeen + " up to " + lastReceived);
                for (int i = 0; i < after.size(); i++)
                {
                    final String[] row = rows.get(i + 1).split(",");
                    final String expected = String.join(" ", row[0], row[4], row[5], row[6], row[7], row[8], row[1], row[2]);
                    assertEquals(expected, after.get(i), "quote " + i + " after the resume");
                }

                gateway.signal("TERM");
                assertEquals(143, gateway.awaitExit(60), gateway.stderr());
                final SummaryJson summary = GatewayIT.summary(gateway);
                // 2 s at 50,000/s is more than the 65,536 events the gateway keeps: the journal served it.
                assertTrue(lastReceived - lastSeen > 4L * RATE, "the feed ran at its rate: " + (lastReceived - lastSeen));
                assertEquals(1, summary.number("journalResumes", -1), summary.toString());
                assertEquals(0, summary.number("resets", -1), summary.toString());
                System.out.printf("away %.1f s at %,d ticks/s: %,d quotes of %s after %,d up to %,d, every one as " +
                    "feed replay reads it%n", awayNanos / 1e9, RATE, after.size(), INSTRUMENTS, lastSeen, lastReceived);
            }
            publisher.stop();
            publisher.awaitExit(60);
        }
    }

    private static long sequence(final String quote)
    {
        return Long.parseLong(quote.substring(0, quote.indexOf(' ')));
    }

    /** Quote events as "sequence symbol bid bidSize ask askSize exchangeTime publishTime". */
    private static List<String> quotes(final SseClient client, final int count, final long untilSequence)
        throws Exception
    {
        final List<String> quotes = new ArrayList<>();
        for (final SummaryJson quote : GatewayIT.quotes(client, count, untilSequence))
        {
            quotes.add(String.join(" ", Long.toString(quote.number("sequence", -1)), quote.text("symbol", "?"),
                quote.text("bid", "?"), Long.toString(quote.number("bidSize", -1)), quote.text("ask", "?"),
                Long.toString(quote.number("askSize", -1)), quote.text("exchangeTime", "?"),
                quote.text("publishTime", "?")));
        }
        return quotes;
    }
}
