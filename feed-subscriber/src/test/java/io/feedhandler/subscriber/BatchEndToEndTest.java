package io.feedhandler.subscriber;

import io.feedhandler.journal.Journal;
import io.feedhandler.publisher.Publisher;
import io.feedhandler.publisher.PublisherContext;
import io.feedhandler.publisher.PublisherStats;
import io.feedhandler.publisher.SyntheticMarket;
import io.feedhandler.replay.server.ReplayServer;
import io.feedhandler.replay.server.ReplayServerContext;
import io.feedhandler.transport.AeronConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Natural batching through the real parts: a publisher as fast as it can go (batches of the limit,
 * of every size below it when the receiver stalls and the publication is back-pressured), and a
 * durable subscriber whose offset falls inside a journal entry, restarted through local journal
 * recovery and through a replay server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchEndToEndTest
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.77.15:40614|interface=127.0.0.1";
    static final int STREAM = 2004;
    static final String REPLAY = "aeron:udp?endpoint=127.0.0.1:40714";

    @TempDir
    Path journalDir;

    @TempDir
    Path offsetsDir;

    @Test
    void asFastAsItCanGoWithAStalledReceiverEveryTickArrivesOnceWithThePublishersDigest() throws Exception
    {
        final long count = 200_000;
        final AtomicLong outOfOrder = new AtomicLong();
        final AtomicLong last = new AtomicLong();
        try (Subscriber subscriber = Subscriber.launch(subscriber("stalling", count), quote ->
            {
                if (quote.sequence() != last.get() + 1)
                {
                    outOfOrder.incrementAndGet();
                }
                last.set(quote.sequence());
                if (quote.sequence() == 20_000)
                {
                    stall(); // the receive window fills: the publisher is back-pressured in mid-run
                }
            }, FeedStatusListener.NONE))
        {
            final PublisherStats published;
            try (Publisher publisher = Publisher.launch(publisher().rate(0).count(count)))
            {
                assertTrue(publisher.awaitCompletion(60, TimeUnit.SECONDS));
                assertNull(publisher.failure());
                published = publisher.stats();
            }
            assertTrue(subscriber.awaitCompletion(60, TimeUnit.SECONDS), () -> subscriber.stats().toSummaryLine().toString());

            final SubscriberStats stats = subscriber.stats();
            assertEquals(count, stats.delivered(), stats.toSummaryLine().toString());
            assertEquals(1, stats.firstSeq());
            assertEquals(count, stats.lastSeq());
            assertEquals(0, outOfOrder.get());
            assertEquals(published.digest(), stats.digest());
            assertTrue(published.batches() < count / 4, "batched: " + published.toSummaryLine());
            assertTrue(published.backPressured() > 0, "the stall back-pressured the publisher: " + published.toSummaryLine());
            try (Journal journal = Journal.openReadOnly(journalDir))
            {
                assertEquals(published.digest(), journal.digest(1, count));
            }
        }
    }

    @Test
    void aDurableSubscriberWhoseOffsetIsInsideABatchResumesAtTheNextTickFromTheJournal() throws Exception
    {
        publishBatchesOf25(2_000);
        final SubscriberContext first = subscriber("durable", 1_012).fromSequence(1).journalDirectory(journalDir);
        runToCompletion(first, 1, 1_012);
        runToCompletion(subscriber("durable", 2_000 - 1_012).journalDirectory(journalDir), 1_013, 2_000);
    }

    @Test
    void aDurableSubscriberWhoseOffsetIsInsideABatchResumesAtTheNextTickFromAReplayServer() throws Exception
    {
        publishBatchesOf25(2_000);
        try (AeronConnection connection = AeronConnection.connect(null);
            Journal journal = Journal.openReadOnly(journalDir);
            ReplayServer server = ReplayServer.launch(
                new ReplayServerContext().replayChannel(REPLAY).idleStrategy("sleep"), connection.aeron(), journal))
        {
            runToCompletion(subscriber("durable", 1_012).fromSequence(1), 1, 1_012);
            runToCompletion(subscriber("durable", 2_000 - 1_012), 1_013, 2_000);
            runToCompletion(subscriber("late", 2_000 - 487).fromSequence(488), 488, 2_000); // mid-batch: 476..500
            assertNull(server.failure());
        }
    }

    /** A journal of entries of 25 ticks: as fast as it can go, nobody listening, a batch limit of 25. */
    private void publishBatchesOf25(final long count) throws Exception
    {
        try (Publisher publisher = Publisher.launch(publisher().rate(0).count(count).maxBatchTicks(25)
            .connectTimeoutNanos(0).lingerNanos(0)))
        {
            assertTrue(publisher.awaitCompletion(60, TimeUnit.SECONDS));
            assertNull(publisher.failure());
            assertEquals(count / 25, publisher.stats().batches(), publisher.stats().toSummaryLine().toString());
        }
    }

    private void runToCompletion(final SubscriberContext context, final long firstSeq, final long lastSeq)
        throws Exception
    {
        try (Subscriber subscriber = Subscriber.launch(context, quote -> { }, FeedStatusListener.NONE))
        {
            assertTrue(subscriber.awaitCompletion(60, TimeUnit.SECONDS), () -> subscriber.stats().toSummaryLine().toString());
            final SubscriberStats stats = subscriber.stats();
            assertEquals(firstSeq, stats.firstSeq(), stats.toSummaryLine().toString());
            assertEquals(lastSeq, stats.lastSeq(), stats.toSummaryLine().toString());
            assertEquals(lastSeq - firstSeq + 1, stats.delivered());
            try (Journal journal = Journal.openReadOnly(journalDir))
            {
                assertEquals(journal.digest(firstSeq, lastSeq), stats.digest());
            }
        }
    }

    private PublisherContext publisher()
    {
        return new PublisherContext()
            .transport(t -> t.channel(CHANNEL).streamId(STREAM).idleStrategy("backoff"))
            .journalDirectory(journalDir)
            .source(new SyntheticMarket(25, 17))
            .lingerNanos(TimeUnit.MILLISECONDS.toNanos(200))
            .replayServer(new ReplayServerContext().replayChannel(REPLAY).idleStrategy("sleep"));
    }

    private SubscriberContext subscriber(final String name, final long count)
    {
        return new SubscriberContext()
            .offsetsDirectory(offsetsDir)
            .transport(t -> t.channel(CHANNEL).streamId(STREAM).idleStrategy("backoff"))
            .name(name)
            .count(count)
            .replayChannel(REPLAY)
            .durationNanos(TimeUnit.SECONDS.toNanos(90));
    }

    private static void stall()
    {
        try
        {
            Thread.sleep(500);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
