package io.feedhandler.cli;

import io.feedhandler.journal.SubscriberOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber's {@code --replay-channel} list through real processes: two {@code feed replay-server}s
 * on one journal (the publisher's run is over, so everything comes by replay), and a late subscriber
 * from sequence 1 that must end with the journal's digest however the first server fails it: absent,
 * refusing, or stopped (SIGSTOP) in the middle of the pull. With no server at all it says so once
 * and keeps trying until stopped.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReplayFailoverIT
{
    private static final int TICKS = 60_000;
    private static final String CHANNEL = "aeron:udp?endpoint=239.255.94.1:46911|interface=127.0.0.1";

    @TempDir
    static Path shared;
    private static String journal;
    private static String digest;

    @TempDir
    Path dir;

    @BeforeAll
    static void publishTheJournal() throws Exception
    {
        journal = shared.resolve("journal").toString();
        final FeedProcess publisher = FeedScript.run(90, "publish", "--count", Integer.toString(TICKS), "--rate", "0",
            "--instruments", "20", "--connect-timeout", "0s", "--linger", "0s", "--no-replay-server",
            "--journal", journal, "--channel", CHANNEL);
        assertEquals(0, publisher.exitCode(), publisher.stderr());
        digest = publisher.text("digest");
    }

    /** A replay server's request channel; nothing listens there unless a test starts a server on it. */
    private static String server(final int n)
    {
        return "aeron:udp?endpoint=127.0.0.1:" + (46920 + n);
    }

    private static FeedProcess replayServer(final int n, final String... options) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("replay-server", "--journal", journal,
            "--replay-channel", server(n)));
        args.addAll(List.of(options));
        final FeedProcess process = FeedScript.start(args.toArray(String[]::new));
        process.awaitLog("listening on", 60);
        return process;
    }

    /** A late subscriber from sequence 1 to the end of the journal, asking {@code servers} in order. */
    private FeedProcess lateSubscriber(final String name, final String servers) throws Exception
    {
        return FeedScript.start("subscribe", "--name", name, "--offsets", dir.resolve("offsets").toString(),
            "--from-seq", "1", "--count", Integer.toString(TICKS), "--duration", "90s", "--channel", CHANNEL,
            "--replay-channel", servers);
    }

    private static void assertWholeFrom(final FeedProcess subscriber, final String server) throws Exception
    {
        assertEquals(0, subscriber.awaitExit(90), subscriber.stderr());
        assertEquals(TICKS, subscriber.field("delivered"), subscriber.summary());
        assertEquals(digest, subscriber.text("digest"), "every tick once, in order: " + subscriber.summary());
        assertEquals(0, subscriber.field("duplicatesDropped"), subscriber.summary());
        assertTrue(subscriber.field("replayFailovers") >= 1, subscriber.summary());
        assertEquals(server, subscriber.text("replayServer"), subscriber.summary());
    }

    @Test
    void aFirstServerThatIsNotThereIsPassedOver() throws Exception
    {
        try (FeedProcess second = replayServer(2);
            FeedProcess subscriber = lateSubscriber("absent", server(1) + "," + server(2)))
        {
            assertWholeFrom(subscriber, server(2));
            assertFalse(subscriber.stderr().contains("cannot reach"), "the second answered at once: " +
                subscriber.stderr());
            second.stop();
        }
    }

    @Test
    void aFirstServerWithNoSessionLeftRefusesAndTheSecondServes() throws Exception
    {
        try (FeedProcess first = replayServer(3, "--max-sessions", "1");
            FeedProcess second = replayServer(4);
            FeedProcess holder = FeedScript.start("subscribe", "--name", "holder", "--offsets",
                dir.resolve("offsets").toString(), "--from-seq", "1", "--duration", "90s", "--channel", CHANNEL,
                "--replay-channel", server(3)))
        {
            // The holder's pull stays open at the journal's head, keeping the first server's only session.
            awaitDelivered("holder", TICKS);
            try (FeedProcess subscriber = lateSubscriber("refused", server(3) + "," + server(4)))
            {
                assertWholeFrom(subscriber, server(4));
                assertTrue(subscriber.stderr().contains("TOO_MANY_SESSIONS"), subscriber.stderr());
            }
            holder.stop();
            first.stop();
            second.stop();
        }
    }

    @Test
    void aFirstServerStoppedInTheMiddleOfThePullIsLeftAndTheSecondBringsTheRest() throws Exception
    {
        // 20,000 ticks/s: the first server would need three seconds for the whole journal.
        try (FeedProcess first = replayServer(5, "--max-replay-rate", "20000");
            FeedProcess second = replayServer(6);
            FeedProcess subscriber = lateSubscriber("stopped", server(5) + "," + server(6)))
        {
            awaitDelivered("stopped", TICKS / 6);
            first.signal("STOP");
            try
            {
                assertWholeFrom(subscriber, server(6));
                assertTrue(subscriber.stderr().contains("went silent"), subscriber.stderr());
            }
            finally
            {
                first.signal("CONT");
            }
            first.stop();
            second.stop();
        }
    }

    @Test
    void withNoServerReachableItSaysSoOnceKeepsTryingAndEndsOnSigterm() throws Exception
    {
        try (FeedProcess subscriber = FeedScript.start("subscribe", "--from-seq", "1", "--channel", CHANNEL,
            "--replay-channel", server(7) + "," + server(8)))
        {
            subscriber.awaitLog("cannot reach any of the replay servers", 60);
            Thread.sleep(2_000); // eight retries' worth: none of them may log again
            subscriber.stop();
            assertEquals(143, subscriber.awaitExit(60), subscriber.stderr());
            assertEquals(1, subscriber.stderr().split("cannot reach", -1).length - 1, subscriber.stderr());
            assertTrue(subscriber.stderr().contains(server(7)) && subscriber.stderr().contains(server(8)),
                subscriber.stderr());
            assertEquals(0, subscriber.field("delivered"), subscriber.summary());
            assertEquals("RECOVERING", subscriber.text("state"), subscriber.summary());
        }
    }

    private void awaitDelivered(final String name, final long sequence) throws InterruptedException
    {
        final Path offsets = dir.resolve("offsets");
        Await.until(() -> SubscriberOffset.readAll(offsets).stream()
            .anyMatch(entry -> entry.name().equals(name) && entry.lastDelivered() >= sequence), 60);
    }
}
