package io.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CSV larger than the publisher's heap is published whole through {@code scripts/feed} (it is read
 * in constant memory), after being checked whole; a bad line at its very end publishes nothing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CsvInputIT
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.77.63:40663|interface=127.0.0.1";
    /** Ticks in the big file: held in memory as before (44 bytes each, arrays doubling) they need 88 MB. */
    static final int TICKS = 1_100_000;
    /** Less than the file's ticks would take in memory. */
    static final String SMALL_HEAP = "-Xmx64m -XX:+UseSerialGC";

    @TempDir
    Path dir;

    @Test
    void aFileLargerThanTheHeapIsCheckedThenPublishedInConstantMemory() throws Exception
    {
        final Path csv = dir.resolve("big.csv");
        try (BufferedWriter out = Files.newBufferedWriter(csv))
        {
            out.write("timestamp,symbol,bid,bidSize,ask,askSize\n");
            for (int i = 1; i <= TICKS; i++)
            {
                out.write((1_795_185_000_000_000_000L + i) + ",SYM" + (i % 200) + ",100." + (i % 100) + "," + i +
                    ",101.25," + (i + 7) + "\n");
            }
        }
        final Path journal = dir.resolve("journal");
        final FeedProcess publisher = publishInASmallHeap(csv, journal);
        assertEquals(0, publisher.exitCode(), publisher.stderr());
        assertEquals(TICKS, publisher.field("published"), publisher.summary());
        assertTrue(publisher.stderr().contains("checking " + csv + ": 50%"), "progress of the check: " + publisher.stderr());
        assertTrue(publisher.stderr().contains("checked " + csv + ": 1,100,000 ticks of 200 instruments"),
            publisher.stderr());
        final FeedProcess digest = FeedScript.run(60, "journal", "digest", "--journal", journal.toString());
        assertEquals(publisher.text("digest"), digest.text("digest"), digest.summary());

        // The same file with a bad last line: a bad argument, and not a tick published.
        Files.writeString(csv, "1795185000000000000,SYM1,100.00,1,101.00,x\n", java.nio.file.StandardOpenOption.APPEND);
        final Path other = dir.resolve("other-journal");
        final FeedProcess refused = publishInASmallHeap(csv, other);
        assertEquals(2, refused.exitCode(), refused.stderr());
        assertTrue(refused.stderr().contains("bad CSV line " + (TICKS + 2)), refused.stderr());
        assertFalse(Files.exists(other) && Files.list(other).findAny().isPresent(), "nothing journaled");
    }

    private static FeedProcess publishInASmallHeap(final Path csv, final Path journal) throws Exception
    {
        final FeedProcess publisher = FeedScript.startWithJavaOpts(SMALL_HEAP, "publish", "--csv", csv.toString(),
            "--rate", "0", "--connect-timeout", "0s", "--linger", "0s", "--no-replay-server",
            "--journal", journal.toString(), "--channel", CHANNEL, "--stream", "3063");
        publisher.awaitExit(200);
        return publisher;
    }
}
