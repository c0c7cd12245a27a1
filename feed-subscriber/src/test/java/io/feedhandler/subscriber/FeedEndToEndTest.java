package io.feedhandler.subscriber;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.journal.Journal;
import io.feedhandler.publisher.Publisher;
import io.feedhandler.publisher.PublisherContext;
import io.feedhandler.publisher.PublisherStats;
import io.feedhandler.publisher.SyntheticMarket;
import io.feedhandler.replay.ReplayServerContext;
import io.feedhandler.transport.FeedProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publisher and two subscribers, each with its own embedded media driver (as separate processes
 * would have), over real UDP multicast on loopback, with the journal on disk.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FeedEndToEndTest
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.77.13:40612|interface=127.0.0.1";
    static final int STREAM = 2002;
    static final long COUNT = 50_000;
    static final String REPLAY = "aeron:udp?endpoint=127.0.0.1:40712";

    @TempDir
    Path journalDir;

    @TempDir
    Path offsetsDir;

    @Test
    void everySubscriberGetsEveryTickInOrderWithThePublishersDigest() throws Exception
    {
        runFeed(FeedProfile.DEFAULT);
    }

    @Test
    void compactProfileRunsDriverAndClientInsideTheAgents() throws Exception
    {
        // Compact spins by default; tests never spin, so back off instead.
        runFeed(FeedProfile.COMPACT);
    }

    private void runFeed(final FeedProfile profile) throws Exception
    {
        final AtomicLong lastSeenA = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        final Set<String> symbols = ConcurrentHashMap.newKeySet();
        final FeedStatusListener symbolCollector = new FeedStatusListener()
        {
            public void onInstrument(final Instrument instrument)
            {
                symbols.add(instrument.symbol());
            }
        };

        try (Subscriber a = Subscriber.launch(subscriber("a").profile(profile).idleStrategy("backoff"), quote ->
            {
                if (quote.sequence() != lastSeenA.get() + 1)
                {
                    outOfOrder.incrementAndGet();
                }
                lastSeenA.set(quote.sequence());
            }, symbolCollector);
            Subscriber b = Subscriber.launch(subscriber("b").profile(profile).idleStrategy("backoff"), quote -> { },
                FeedStatusListener.NONE))
        {
            final PublisherStats published;
            try (Publisher publisher = Publisher.launch(new PublisherContext()
                .channel(CHANNEL)
                .streamId(STREAM)
                .journalDirectory(journalDir)
                .source(new SyntheticMarket(25, 11))
                .profile(profile)
                .idleStrategy("backoff")
                .rate(50_000)
                .count(COUNT)
                .lingerNanos(TimeUnit.MILLISECONDS.toNanos(200))
                .replayServer(new ReplayServerContext().controlChannel(REPLAY).idleStrategy("sleep"))))
            {
                assertTrue(publisher.awaitCompletion(60, TimeUnit.SECONDS));
                assertNull(publisher.failure());
                published = publisher.stats();
            }
            assertTrue(a.awaitCompletion(30, TimeUnit.SECONDS), () -> a.stats().toSummaryLine().toString());
            assertTrue(b.awaitCompletion(30, TimeUnit.SECONDS), () -> b.stats().toSummaryLine().toString());

            assertEquals(COUNT, published.published());
            for (final Subscriber subscriber : new Subscriber[]{a, b})
            {
                final SubscriberStats stats = subscriber.stats();
                assertEquals(COUNT, stats.delivered(), stats.toSummaryLine().toString());
                assertEquals(1, stats.firstSeq());
                assertEquals(COUNT, stats.lastSeq());
                assertEquals(0, stats.gapsDetected());
                assertEquals(0, stats.malformed());
                assertEquals(published.digest(), stats.digest());
                assertTrue(stats.latency().getTotalCount() == COUNT);
            }
            assertEquals(0, outOfOrder.get());
            assertEquals(25, symbols.size(), "definitions reach subscribers");
            assertTrue(symbols.contains("AAPL"));

            try (Journal journal = Journal.openReadOnly(journalDir))
            {
                assertEquals(published.digest(), journal.digest(1, COUNT));
            }
        }
    }

    private SubscriberContext subscriber(final String name)
    {
        return new SubscriberContext()
            .offsetsDirectory(offsetsDir)
            .channel(CHANNEL)
            .streamId(STREAM)
            .name(name)
            .count(COUNT)
            .replayChannel(REPLAY)
            .durationNanos(TimeUnit.SECONDS.toNanos(90));
    }
}
