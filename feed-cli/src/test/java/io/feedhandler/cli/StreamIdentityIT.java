package io.feedhandler.cli;

import io.feedhandler.journal.SubscriberOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which stream a tick belongs to, through the real parts ({@code scripts/feed} processes, each with its
 * own embedded media driver, multicast on loopback, journals on disk): a second publisher on the same
 * channel and stream is reported by both publishers and the subscriber and never mixed into delivery;
 * a durable subscriber whose offset is of another stream (a replaced journal) is refused; a replay
 * server of another stream is refused.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StreamIdentityIT
{
    /** The start line's epoch: "(new journal, starting at sequence 1, epoch E)" or "..., continuing at sequence N, epoch E)". */
    private static final Pattern EPOCH = Pattern.compile("at sequence \\d+, epoch ([0-9a-f]{16})\\)");
    private static final Pattern DELIVERING = Pattern.compile("status: delivered=[1-9]");

    @TempDir
    Path dir;

    private static String channel(final int n)
    {
        return "aeron:udp?endpoint=239.255.93." + (2 * n + 1) + ":" + (45300 + n) + "|interface=127.0.0.1";
    }

    private static String replayChannel(final int n)
    {
        return "aeron:udp?endpoint=127.0.0.1:" + (45400 + n);
    }

    @Test
    void aSecondPublisherOnTheSameChannelAndStreamIsReportedByBothSidesAndNeverDelivered() throws Exception
    {
        // The first runs until stopped, so the two overlap however long the second takes to start.
        try (FeedProcess subscriber = FeedScript.start("subscribe", "--duration", "180s",
            "--status-interval", "100ms", "--channel", channel(1), "--replay-channel", replayChannel(1));
            FeedProcess first = FeedScript.start("publish", "--duration", "180s", "--rate", "20000",
                "--journal", dir.resolve("first").toString(), "--other-publisher-check", "1s",
                "--channel", channel(1), "--replay-channel", replayChannel(1)))
        {
            subscriber.awaitReady(60);
            // The subscriber follows the first stream it hears: the first publisher's, heard before the second starts.
            Await.until(() -> DELIVERING.matcher(subscriber.stderr()).find() || !subscriber.isAlive(), 60);
            final String firstEpoch = epoch(first);
            final String secondEpoch;
            try (FeedProcess second = FeedScript.start("publish", "--count", "100000", "--rate", "20000",
                "--journal", dir.resolve("second").toString(), "--linger", "3s", "--other-publisher-check", "1s",
                "--channel", channel(1), "--replay-channel", replayChannel(2)))
            {
                // Both publishers say it, once, naming the other's epoch, and count it.
                second.awaitLog("another publisher (Aeron session ", 60);
                first.awaitLog("another publisher (Aeron session ", 60);
                subscriber.awaitLog("another publisher (epoch ", 60);
                assertEquals(0, second.awaitExit(120), second.stderr());
                secondEpoch = epoch(second);
                assertFalse(firstEpoch.equals(secondEpoch), "two journals, two epochs");
                assertTrue(second.stderr().contains("epoch " + firstEpoch + ") sends on " + channel(1)), second.stderr());
                assertEquals(1, second.field("otherPublishers"), second.summary());
            }
            subscriber.stop();
            assertEquals(143, subscriber.awaitExit(60), subscriber.stderr());
            first.stop();
            assertEquals(143, first.awaitExit(60), first.stderr());
            assertTrue(first.stderr().contains("epoch " + secondEpoch + ") sends on " + channel(1)), first.stderr());
            assertEquals(1, first.field("otherPublishers"), first.summary());

            // The subscriber says it and delivers one stream only: the first's, every tick once, in order.
            assertTrue(subscriber.stderr().contains("another publisher (epoch " + secondEpoch + ")"), subscriber.stderr());
            assertTrue(subscriber.field("otherPublisher") > 0, subscriber.summary());
            assertEquals(firstEpoch, subscriber.text("epoch"), subscriber.summary());
            final long lastSeq = subscriber.field("lastSeq");
            assertEquals(1, subscriber.field("firstSeq"), subscriber.summary());
            assertEquals(lastSeq, subscriber.field("delivered"), subscriber.summary());
            assertEquals(0, subscriber.field("duplicatesDropped"), subscriber.summary());
            assertEquals(journalDigest("first", lastSeq), subscriber.text("digest"), "only the first publisher's ticks");
        }
    }

    @Test
    void aDurableOffsetOfAnotherStreamIsRefusedWithBothEpochsAndTheRemedy() throws Exception
    {
        final Path offsets = dir.resolve("offsets");
        final String firstEpoch;
        try (FeedProcess publisher = FeedScript.start("publish", "--count", "20000", "--rate", "20000",
            "--journal", dir.resolve("first").toString(), "--linger", "2s",
            "--channel", channel(3), "--replay-channel", replayChannel(3));
            FeedProcess ops = FeedScript.start("subscribe", "--name", "ops", "--offsets", offsets.toString(),
                "--count", "20000", "--duration", "60s", "--channel", channel(3), "--replay-channel", replayChannel(3)))
        {
            assertEquals(0, ops.awaitExit(90), ops.stderr());
            assertEquals(0, publisher.awaitExit(90), publisher.stderr());
            assertEquals(20_000, ops.field("delivered"), ops.summary());
            firstEpoch = epoch(publisher);
        }
        assertEquals(List.of(new SubscriberOffset.Entry("ops", 20_000, Long.parseUnsignedLong(firstEpoch, 16))),
            SubscriberOffset.readAll(offsets), "the offset holds the epoch of the stream it was taken from");

        // The journal is replaced: a new history on the same channel and stream, its own sequence from 1.
        try (FeedProcess ops = FeedScript.start("subscribe", "--name", "ops", "--offsets", offsets.toString(),
            "--duration", "60s", "--channel", channel(3), "--replay-channel", replayChannel(3));
            FeedProcess replaced = FeedScript.start("publish", "--count", "60000", "--rate", "10000",
                "--journal", dir.resolve("replaced").toString(), "--linger", "2s",
                "--channel", channel(3), "--replay-channel", replayChannel(3)))
        {
            assertEquals(2, ops.awaitExit(90), ops.stderr());
            final String replacedEpoch = epoch(replaced);
            final String refusal = ops.stderr().lines().filter(line -> line.contains("refused: the offset of"))
                .findFirst().orElse("");
            assertTrue(refusal.contains("subscriber 'ops' (sequence 20000, ") &&
                refusal.contains("of the stream of epoch " + firstEpoch) && refusal.contains("epoch " + replacedEpoch) &&
                refusal.contains("run with another --name, or remove that offset file"), ops.stderr());
            assertEquals(0, ops.field("delivered"), "nothing of the other stream: " + ops.summary());
            assertEquals("offset of another stream", ops.text("refused"), ops.summary());
            assertEquals(20_000, SubscriberOffset.readAll(offsets).get(0).lastDelivered(), "the offset is untouched");
            replaced.stop();
            replaced.awaitExit(60);

            final FeedProcess stats = FeedScript.run(60, "journal", "stats", "--journal",
                dir.resolve("replaced").toString(), "--offsets", offsets.toString());
            assertEquals(0, stats.exitCode(), stats.stderr());
            assertTrue(stats.summary().contains("\"ops\":{\"offset\":20000,") &&
                stats.summary().contains("\"otherStream\":true"), stats.summary());
        }
    }

    @Test
    void aReplayServerOfAnotherStreamIsRefusedAndNothingOfItIsDelivered() throws Exception
    {
        // Another stream's journal, served by its own replay server.
        try (FeedProcess other = FeedScript.start("publish", "--count", "50000", "--rate", "50000",
            "--journal", dir.resolve("other").toString(), "--linger", "0s", "--connect-timeout", "0s",
            "--channel", channel(5), "--replay-channel", replayChannel(5)))
        {
            assertEquals(0, other.awaitExit(90), other.stderr());
        }
        final String loss = "-Daeron.ReceiveChannelEndpoint.supplier=io.aeron.driver.ext.DebugReceiveChannelEndpointSupplier" +
            " -Daeron.debug.receive.data.loss.rate=0.02 -Daeron.debug.receive.data.loss.seed=5";
        try (FeedProcess server = FeedScript.start("replay-server", "--journal", dir.resolve("other").toString(),
            "--replay-channel", replayChannel(5));
            FeedProcess lossy = FeedScript.startWithJavaOpts(loss, "subscribe", "--count", "200000", "--duration", "60s",
                "--channel", channel(6) + "|reliable=false", "--replay-channel", replayChannel(5)))
        {
            lossy.awaitReady(60);
            // Live is this publisher's stream; its gaps are asked of the other stream's replay server.
            final FeedProcess publisher = FeedScript.start("publish", "--count", "200000", "--rate", "40000",
                "--journal", dir.resolve("live").toString(), "--linger", "2s",
                "--channel", channel(6), "--no-replay-server");
            try (publisher)
            {
                Await.until(() -> lossy.stderr().contains("serves the journal of epoch") || !lossy.isAlive(), 60);
                lossy.stop();
                lossy.awaitExit(60);
                publisher.stop();
                publisher.awaitExit(60);
            }
            assertTrue(lossy.stderr().contains("the replay server serves the journal of epoch " +
                epochOfJournal("other") + ", another stream than this subscriber follows"), lossy.stderr());
            assertEquals(epoch(publisher), lossy.text("epoch"), "it follows live: " + lossy.summary());
            assertEquals(0, lossy.field("recovered"), "nothing of the other stream: " + lossy.summary());
            assertTrue(lossy.field("gapsDetected") > 0, lossy.summary());
            server.stop();
            server.awaitExit(60);
        }
    }

    /** The epoch a publisher logged at start. */
    private static String epoch(final FeedProcess publisher) throws Exception
    {
        publisher.awaitLog(", epoch ", 60); // its start line: on a loaded machine it comes seconds after launch
        final Matcher matcher = EPOCH.matcher(publisher.stderr());
        assertTrue(matcher.find(), publisher.stderr());
        return matcher.group(1);
    }

    private String epochOfJournal(final String name) throws Exception
    {
        final FeedProcess stats = FeedScript.run(60, "journal", "stats", "--journal", dir.resolve(name).toString());
        assertEquals(0, stats.exitCode(), stats.stderr());
        return stats.text("epoch");
    }

    private String journalDigest(final String name, final long to) throws Exception
    {
        final FeedProcess digest = FeedScript.run(60, "journal", "digest", "--journal", dir.resolve(name).toString(),
            "--from-seq", "1", "--to-seq", Long.toString(to));
        assertEquals(0, digest.exitCode(), digest.stderr());
        return digest.text("digest");
    }
}
