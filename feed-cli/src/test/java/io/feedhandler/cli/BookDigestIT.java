package io.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The book digest through the real parts: a live subscriber and one that pulled everything from the
 * replay server hold the same book and print the same {@code bookDigest}, which is what
 * {@code feed journal book} computes from the journal; the book itself as CSV and JSON, filtered, and
 * at an earlier sequence; bad arguments.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BookDigestIT
{
    private static final String CHANNEL = "aeron:udp?endpoint=239.255.92.1:45101|interface=127.0.0.1";
    private static final String REPLAY_CHANNEL = "aeron:udp?endpoint=127.0.0.1:45201";

    @TempDir
    Path dir;

    @Test
    void subscribersWithTheSameBookPrintTheJournalsBookDigest() throws Exception
    {
        final String journal = dir.resolve("journal").toString();
        try (FeedProcess live = FeedScript.start("subscribe", "--name", "live", "--offsets", offsets(), "--count", "30000",
            "--duration", "120s", "--channel", CHANNEL, "--replay-channel", REPLAY_CHANNEL))
        {
            live.awaitReady(60);
            final FeedProcess publisher = FeedScript.start("publish", "--count", "30000", "--rate", "20000",
                "--instruments", "50", "--journal", journal, "--linger", "2s", "--channel", CHANNEL,
                "--replay-channel", REPLAY_CHANNEL);
            assertEquals(0, live.awaitExit(120), live.stderr());
            assertEquals(0, publisher.awaitExit(120), publisher.stderr());
            assertEquals(30_000, live.field("lastSeq"), live.summary());

            // Two late joiners: everything from a replay server, everything from the journal on this host.
            try (FeedProcess server = FeedScript.start("replay-server", "--journal", journal,
                "--replay-channel", REPLAY_CHANNEL))
            {
                server.awaitLog("listening on", 60);
                final FeedProcess replayed = FeedScript.run(120, "subscribe", "--name", "replayed", "--offsets", offsets(), "--from-seq", "1",
                    "--count", "30000", "--duration", "60s", "--channel", CHANNEL, "--replay-channel", REPLAY_CHANNEL);
                assertEquals(0, replayed.exitCode(), replayed.stderr());
                server.signal("TERM");
                server.awaitExit(60);
                assertEquals(30_000, replayed.field("lastSeq"), replayed.summary());
                assertEquals(30_000, replayed.field("recovered"), replayed.summary());
                assertEquals(live.text("bookDigest"), replayed.text("bookDigest"), replayed.summary());
            }
            final FeedProcess local = FeedScript.run(120, "subscribe", "--name", "local", "--from-seq", "1",
                "--count", "30000", "--duration", "60s", "--channel", CHANNEL, "--journal", journal);
            assertEquals(0, local.exitCode(), local.stderr());
            assertEquals(30_000, local.field("recovered"), local.summary());
            assertEquals(live.text("bookDigest"), local.text("bookDigest"), local.summary());

            final FeedProcess book = FeedScript.run(60, "journal", "book", "--journal", journal);
            assertEquals(0, book.exitCode(), book.stderr());
            assertEquals(30_000, book.field("atSeq"), book.summary());
            assertEquals(50, book.field("instruments"), book.summary());
            assertEquals(book.text("bookDigest"), live.text("bookDigest"), live.summary());
        }

        // Earlier books differ, and the book itself is printed in id order.
        final FeedProcess earlier = FeedScript.run(60, "journal", "book", "--journal", journal, "--at", "12345",
            "--format", "csv");
        assertEquals(0, earlier.exitCode(), earlier.stderr());
        final List<String> rows = earlier.stdoutLines();
        assertEquals("instrumentId,symbol,sequence,bid,bidSize,ask,askSize", rows.get(0));
        assertEquals(52, rows.size(), "header, 50 instruments, summary: " + rows);
        assertTrue(rows.get(1).startsWith("1,"), rows.get(1));
        assertTrue(rows.stream().skip(1).limit(50).allMatch(row -> Long.parseLong(row.split(",")[2]) <= 12_345),
            "no quote after --at");
        assertEquals(12_345, earlier.field("atSeq"));
        final FeedProcess last = FeedScript.run(60, "journal", "book", "--journal", journal);
        assertNotEquals(last.text("bookDigest"), earlier.text("bookDigest"));

        final String symbol = rows.get(3).split(",")[1];
        final FeedProcess one = FeedScript.run(60, "journal", "book", "--journal", journal, "--instrument", symbol,
            "--format", "json");
        assertEquals(0, one.exitCode(), one.stderr());
        assertEquals(2, one.stdoutLines().size(), one.stdoutLines().toString());
        assertTrue(one.stdoutLines().get(0).contains("\"symbol\":\"" + symbol + "\""), one.stdoutLines().get(0));
        assertEquals(1, one.field("instruments"), one.summary());
    }

    @Test
    void badArgumentsNameTheValue() throws Exception
    {
        final String journal = dir.resolve("journal").toString();
        final FeedProcess publisher = FeedScript.run(90, "publish", "--count", "1000", "--rate", "0",
            "--instruments", "5", "--connect-timeout", "0s", "--linger", "0s", "--no-replay-server",
            "--journal", journal, "--channel", CHANNEL);
        assertEquals(0, publisher.exitCode(), publisher.stderr());

        final FeedProcess beyond = FeedScript.run(60, "journal", "book", "--journal", journal, "--at", "1001");
        assertEquals(2, beyond.exitCode());
        assertTrue(beyond.stderr().contains("--at 1001"), beyond.stderr());
        final FeedProcess unknown = FeedScript.run(60, "journal", "book", "--journal", journal, "--instrument", "NOPE");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.stderr().contains("'NOPE'"), unknown.stderr());
        final FeedProcess format = FeedScript.run(60, "journal", "book", "--journal", journal, "--format", "xml");
        assertEquals(2, format.exitCode());
        assertTrue(format.stderr().contains("xml"), format.stderr());
    }

    /** Durable subscribers' offsets in the test's own folder, not the working directory's default. */
    private String offsets()
    {
        return dir.resolve("offsets").toString();
    }
}
