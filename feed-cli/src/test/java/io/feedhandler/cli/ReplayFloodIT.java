package io.feedhandler.cli;

import io.aeron.ExclusivePublication;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.replay.ReplayMessages;
import io.feedhandler.codecs.Quote;
import io.feedhandler.replay.client.ReplayClient;
import io.feedhandler.replay.client.ReplayListener;
import io.feedhandler.sbe.ReplayEndReason;
import io.feedhandler.sbe.ReplayErrorCode;
import io.feedhandler.transport.AeronConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code feed replay-server --max-requests-per-second} as a process: a requester that floods it is
 * told TOO_MANY_REQUESTS, naming the limit, while another is served, and the summary counts it; requests
 * whose response channel names nowhere to answer are refused as BAD_RESPONSE_CHANNEL and counted.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReplayFloodIT
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.77.63:40663|interface=127.0.0.1";
    static final String REPLAY = "aeron:udp?endpoint=127.0.0.1:40763";

    @TempDir
    Path dir;

    @Test
    void aFloodingRequesterIsRefusedAndCountedWhileAnotherIsServed() throws Exception
    {
        final String journal = dir.resolve("journal").toString();
        final FeedProcess publisher = FeedScript.run(90, "publish", "--count", "1000", "--rate", "0",
            "--connect-timeout", "0s", "--linger", "0s", "--no-replay-server", "--journal", journal,
            "--channel", CHANNEL, "--stream", "6301");
        assertEquals(0, publisher.exitCode(), publisher.stderr());

        try (FeedProcess server = FeedScript.start("replay-server", "--journal", journal, "--replay-channel", REPLAY,
            "--max-requests-per-second", "5");
            AeronConnection connection = AeronConnection.connect(null);
            Requester flooder = new Requester(connection, 6302);
            Requester other = new Requester(connection, 6303))
        {
            awaitUntil(() -> flooder.client.isReady() && other.client.isReady(), () -> 0);
            for (int i = 0; i < 6; i++)
            {
                flooder.request(); // a burst of five is allowed; the sixth is one too many
            }
            awaitUntil(() -> flooder.error != null, () -> flooder.client.poll(100));
            assertEquals(ReplayErrorCode.TOO_MANY_REQUESTS, flooder.error);
            assertTrue(flooder.errorMessage.contains("more than 5 requests a second"), flooder.errorMessage);
            for (int i = 0; i < 100; i++)
            {
                flooder.request(); // told once a second at most: these are dropped unanswered
            }

            assertTrue(other.client.request(1, 1000) != ReplayClient.NOT_SENT);
            awaitUntil(() -> other.ended, () -> other.client.poll(100));
            assertEquals(1000, other.quotes, "another requester is served as usual");

            // Requests whose response channel names nowhere to answer (the first once crashed the server's
            // channel check): refused as BAD_RESPONSE_CHANNEL, counted, and the server serves on.
            final String[] garbage = {"aeron:udp?endpoint=:", "aeron:udp?endpoint=127.0.0.1:4O457",
                "aeron:udp?endpoint=[", "aeron:udp?endpoint=127.0.0.1"};
            try (ExclusivePublication raw = connection.aeron().addExclusivePublication(REPLAY, 1002))
            {
                awaitUntil(raw::isConnected, () -> 0);
                final ReplayMessages messages = new ReplayMessages();
                for (int i = 0; i < garbage.length; i++)
                {
                    final int length = messages.request(900 + i, 1, 10, 6304, garbage[i]);
                    awaitUntil(() -> raw.offer(messages.buffer(), 0, length) > 0, () -> 0);
                }
            }
            final Requester after = new Requester(connection, 6305);
            awaitUntil(after.client::isReady, () -> 0);
            assertTrue(after.client.request(1, 1000) != ReplayClient.NOT_SENT);
            awaitUntil(() -> after.ended, () -> after.client.poll(100));
            assertEquals(1000, after.quotes, "served after the garbage");
            after.close();

            server.signal("TERM");
            server.awaitExit(60);
            assertEquals("replay-server", server.text("role"), server.stderr());
            assertEquals(4, server.field("BAD_RESPONSE_CHANNEL"), server.summary());
            assertEquals(0, server.field("malformed"), server.summary());
            assertEquals(112, server.field("requests"), server.summary());
            assertTrue(server.field("TOO_MANY_REQUESTS") >= 95, server.summary());
            assertTrue(server.field("unanswered") >= 94, server.summary());
        }
    }

    private static void awaitUntil(final BooleanSupplier condition, final Work work) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "condition not met in time");
            if (work.doWork() == 0)
            {
                Thread.sleep(1);
            }
        }
    }

    interface Work
    {
        int doWork();
    }

    static final class Requester implements ReplayListener, FeedHandler, AutoCloseable
    {
        final ReplayClient client;
        long quotes;
        boolean ended;
        ReplayErrorCode error;
        String errorMessage;

        Requester(final AeronConnection connection, final int responseStream)
        {
            client = new ReplayClient(connection.aeron(), REPLAY, 1002, ReplayConfiguration.RESPONSE_CHANNEL,
                responseStream, this, this);
        }

        void request()
        {
            assertTrue(client.request(1, 10) != ReplayClient.NOT_SENT);
        }

        public void onQuote(final Quote quote)
        {
            quotes++;
        }

        public void onReplayBegin(
            final long correlationId, final long from, final long to, final long head, final long epoch)
        {
        }

        public void onReplayEnd(final long correlationId, final long lastSequence, final ReplayEndReason reason)
        {
            ended = true;
        }

        public void onReplayError(
            final long correlationId, final ReplayErrorCode code, final long first, final long last,
            final String message)
        {
            error = code;
            errorMessage = message;
        }

        public void close()
        {
            client.close();
        }
    }
}
