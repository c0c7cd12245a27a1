package io.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A slow consumer that conflates, through the real parts: its listener takes 50 us a tick on a
 * 200,000/s feed; it delivers the latest quote of each instrument while behind, never asks for what
 * it skipped, ends with the journal's book, and neither the publisher nor its peer notices.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConflationIT
{
    private static final String CHANNEL = "aeron:udp?endpoint=239.255.92.9:45104|interface=127.0.0.1";
    private static final String REPLAY_CHANNEL = "aeron:udp?endpoint=127.0.0.1:45204";

    @TempDir
    Path dir;

    @Test
    void aConflatingSlowConsumerKeepsAnExactBookAndSlowsNobody() throws Exception
    {
        final String journal = dir.resolve("journal").toString();
        try (FeedProcess slow = FeedScript.start("subscribe", "--name", "slow", "--offsets", offsets(), "--slow-consumer", "conflate",
            "--listener-delay", "50us", "--print", "--duration", "25s", "--channel", CHANNEL,
            "--replay-channel", REPLAY_CHANNEL);
            FeedProcess peer = FeedScript.start("subscribe", "--name", "peer", "--offsets", offsets(), "--count", "1000000",
                "--duration", "60s", "--channel", CHANNEL, "--replay-channel", REPLAY_CHANNEL))
        {
            slow.awaitReady(60);
            peer.awaitReady(60);
            final FeedProcess publisher = FeedScript.start("publish", "--count", "1000000", "--rate", "200000",
                "--instruments", "100", "--journal", journal, "--linger", "3s", "--channel", CHANNEL,
                "--replay-channel", REPLAY_CHANNEL);
            assertEquals(0, publisher.awaitExit(120), publisher.stderr());
            assertEquals(0, peer.awaitExit(120), peer.stderr());
            assertEquals(0, slow.awaitExit(120), slow.stderr());

            assertTrue(publisher.field("ratePerSec") >= 180_000, "publisher kept its rate: " + publisher.summary());
            assertEquals(1_000_000, peer.field("delivered"), peer.summary());
            assertEquals(0, peer.field("gapsDetected"), "the peer saw no gap: " + peer.summary());
            assertEquals(publisher.text("digest"), peer.text("digest"));

            assertTrue(slow.field("conflated") > 0, slow.summary());
            assertTrue(slow.field("conflations") > 0, slow.summary());
            assertEquals(1_000_000, slow.field("lastSeq"), slow.summary());
            assertEquals(1_000_000, slow.field("delivered") + slow.field("conflated"),
                "every tick either delivered or conflated, none pulled: " + slow.summary());
            assertEquals(0, slow.field("recovered"), slow.summary());
            final List<String> rows = slow.stdoutLines();
            long last = 0;
            long printed = 0;
            for (final String row : rows.subList(0, rows.size() - 1))
            {
                final long sequence = Long.parseLong(row.substring(0, row.indexOf(' ')));
                assertTrue(sequence > last, "in order, once: " + sequence + " after " + last);
                last = sequence;
                printed++;
            }
            assertEquals(slow.field("delivered"), printed);

            final FeedProcess book = FeedScript.run(60, "journal", "book", "--journal", journal);
            assertEquals(0, book.exitCode(), book.stderr());
            assertEquals(book.text("bookDigest"), slow.text("bookDigest"), "the book is exact: " + slow.summary());
            assertEquals(book.text("bookDigest"), peer.text("bookDigest"));
        }
    }

    @Test
    void conflationWithoutRecoveryIsRefused() throws Exception
    {
        final FeedProcess refused = FeedScript.run(60, "subscribe", "--slow-consumer", "conflate", "--no-recovery");
        assertEquals(2, refused.exitCode(), refused.stderr());
        assertTrue(refused.stderr().contains("--slow-consumer conflate") && refused.stderr().contains("--no-recovery"),
            refused.stderr());
        final FeedProcess bad = FeedScript.run(60, "subscribe", "--slow-consumer", "drop");
        assertEquals(2, bad.exitCode(), bad.stderr());
        assertTrue(bad.stderr().contains("'drop'"), bad.stderr());
    }

    /** Durable subscribers' offsets in the test's own folder, not the working directory's default. */
    private String offsets()
    {
        return dir.resolve("offsets").toString();
    }
}
