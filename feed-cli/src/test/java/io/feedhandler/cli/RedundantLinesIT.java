package io.feedhandler.cli;

import io.feedhandler.codecs.SummaryJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A/B lines through the real parts: {@code scripts/feed} processes, each with its own embedded media
 * driver, two multicast groups on loopback as the two lines, the journal on disk.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RedundantLinesIT
{
    private static final String LINE_A = "aeron:udp?endpoint=239.255.79.1:43001|interface=127.0.0.1";
    private static final String LINE_B = "aeron:udp?endpoint=239.255.79.3:43003|interface=127.0.0.1";
    private static final String REPLAY = "aeron:udp?endpoint=127.0.0.1:43005";
    /** Aeron's debug receive path drops this share of each line's datagrams, each endpoint by its own random draw. */
    private static final String LOSS = "-Daeron.ReceiveChannelEndpoint.supplier=" +
        "io.aeron.driver.ext.DebugReceiveChannelEndpointSupplier -Daeron.debug.receive.data.loss.rate=0.05";

    @TempDir
    Path dir;

    /**
     * Both subscribers lose 5% of what each line brings (reliable=false: Aeron does not repair it). The
     * one on A alone recovers every loss from the journal; the one on A and B only what both lines
     * lost (about 5% of 5%). Both deliver every tick once, in order.
     */
    @Test
    void aSecondLineTurnsMostLossIntoNothingAndTheRestIsRecovered() throws Exception
    {
        // Each joins at the first tick it hears (its first datagram may be one of those lost) and ends with
        // the publisher's run: its range is checked against the journal's digest over the same range.
        try (FeedProcess ab = FeedScript.startWithJavaOpts(LOSS, "subscribe", "--until-publisher-ends",
                "--duration", "150s", "--channel", LINE_A + "|reliable=false", "--b-channel", LINE_B + "|reliable=false",
                "--replay-channel", REPLAY);
            FeedProcess single = FeedScript.startWithJavaOpts(LOSS, "subscribe", "--until-publisher-ends",
                "--duration", "150s", "--channel", LINE_A + "|reliable=false", "--replay-channel", REPLAY))
        {
            ab.awaitReady(60);
            single.awaitReady(60);
            try (FeedProcess publisher = FeedScript.start("publish", "--count", "300000", "--rate", "100000",
                "--journal", dir.resolve("journal").toString(), "--linger", "2s",
                "--channel", LINE_A, "--b-channel", LINE_B, "--replay-channel", REPLAY))
            {
                assertEquals(0, ab.awaitExit(150), ab.stderr());
                assertEquals(0, single.awaitExit(150), single.stderr());
                assertEquals(0, publisher.awaitExit(60), publisher.stderr());
                assertEveryTickOnceInOrder(ab);
                assertEveryTickOnceInOrder(single);

                final SummaryJson lines = ab.summaryJson().object("lines");
                final long aGaps = lines.object("a").number("gaps", -1);
                final long bGaps = lines.object("b").number("gaps", -1);
                assertTrue(lines.object("a").number("firstSeen", -1) > 0 && lines.object("b").number("firstSeen", -1) > 0,
                    ab.summary());
                assertTrue(ab.field("lineGapsCovered") > 0, ab.summary());
                // Only what both lines lost is a gap: about one in twenty of either line's holes. A wide
                // margin for a loaded host, where a late line can outlast the line wait.
                assertTrue(ab.field("gapsDetected") * 5 < Math.min(aGaps, bGaps),
                    ab.field("gapsDetected") + " gaps against " + aGaps + " and " + bGaps + " holes: " + ab.summary());
                // One line alone sees every hole as a gap; its recovery is rarely done before the next one.
                assertTrue(single.field("gapsDetected") > 0 && single.field("recovered") > ab.field("recovered"),
                    ab.summary() + "\n" + single.summary());
                assertTrue(publisher.summary().contains("\"lineB\":{\"channel\":\"" + LINE_B + "\""), publisher.summary());
            }
        }
    }

    /** Delivered its whole range, to the publisher's last, with the journal's digest over that range. */
    private void assertEveryTickOnceInOrder(final FeedProcess subscriber) throws Exception
    {
        assertEquals(300_000, subscriber.field("lastSeq"), subscriber.summary());
        assertEquals(subscriber.field("lastSeq") - subscriber.field("firstSeq") + 1, subscriber.field("delivered"),
            subscriber.summary());
        final FeedProcess digest = FeedScript.run(60, "journal", "digest", "--journal", dir.resolve("journal").toString(),
            "--from-seq", Long.toString(subscriber.field("firstSeq")), "--to-seq", "300000");
        assertEquals(0, digest.exitCode(), digest.stderr());
        assertEquals(digest.text("digest"), subscriber.text("digest"), subscriber.summary());
    }

    /** A B line that nobody sends on: said once, and the feed goes on from A with no gap and no recovery. */
    @Test
    void aSilentBLineIsReportedOnceAndCostsNothing() throws Exception
    {
        try (FeedProcess subscriber = FeedScript.start("subscribe", "--count", "30000", "--duration", "60s",
            "--stale-timeout", "1s", "--channel", LINE_A, "--b-channel", LINE_B, "--replay-channel", REPLAY))
        {
            subscriber.awaitReady(60);
            try (FeedProcess publisher = FeedScript.start("publish", "--count", "30000", "--rate", "10000",
                "--journal", dir.resolve("journal").toString(), "--linger", "0s",
                "--channel", LINE_A, "--replay-channel", REPLAY))
            {
                assertEquals(0, subscriber.awaitExit(60), subscriber.stderr());
                assertEquals(0, publisher.awaitExit(60), publisher.stderr());

                assertEquals(publisher.text("digest"), subscriber.text("digest"), subscriber.summary());
                assertEquals(0, subscriber.field("gapsDetected"), subscriber.summary());
                assertEquals(0, subscriber.field("replaySessions"), subscriber.summary());
                assertEquals(0, subscriber.field("staleEvents"), "live as a whole never went silent: " + subscriber.summary());
                final SummaryJson b = subscriber.summaryJson().object("lines").object("b");
                assertEquals(1, b.number("silentEvents", -1), subscriber.summary());
                final String silentLines = subscriber.stderr().lines().filter(line -> line.contains("line B")).toList().toString();
                assertEquals(1, subscriber.stderr().lines().filter(line -> line.contains("line B (" + LINE_B + ") silent"))
                    .count(), silentLines);
                assertTrue(silentLines.contains("delivering from line A"), silentLines);
            }
        }
    }

    /** A B line that is the A line again is no second path: refused with one line, on both ends. */
    @Test
    void aBLineToTheSameDestinationIsRefused() throws Exception
    {
        final String sameGroup = "aeron:udp?endpoint=239.255.79.1:43001|interface=127.0.0.1|ttl=2";
        final FeedProcess subscriber = FeedScript.run(60, "subscribe", "--count", "1", "--channel", LINE_A,
            "--b-channel", sameGroup);
        assertEquals(2, subscriber.exitCode(), subscriber.stderr());
        assertEquals(1, subscriber.stderr().strip().lines().count(), subscriber.stderr());
        assertTrue(subscriber.stderr().contains("bad --b-channel '" + sameGroup + "'"), subscriber.stderr());

        final Path journal = dir.resolve("refused");
        final FeedProcess publisher = FeedScript.run(60, "publish", "--count", "1", "--channel", LINE_A,
            "--b-channel", sameGroup, "--journal", journal.toString());
        assertEquals(2, publisher.exitCode(), publisher.stderr());
        assertEquals(1, publisher.stderr().strip().lines().count(), publisher.stderr());
        assertFalse(journal.toFile().exists(), "nothing written before the arguments are accepted");
    }
}
