package io.feedhandler.subscriber;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.journal.Journal;
import io.feedhandler.publisher.Publisher;
import io.feedhandler.publisher.PublisherContext;
import io.feedhandler.publisher.PublisherStats;
import io.feedhandler.publisher.SyntheticMarket;
import io.feedhandler.replay.server.ReplayServerContext;
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
    /** Multi-destination-cast: the publisher's control port, where subscribers ask to be sent to. */
    static final String MDC_PUBLISHER = "aeron:udp?control=127.0.0.1:40651|control-mode=dynamic";

    @TempDir
    Path journalDir;

    @TempDir
    Path offsetsDir;

    @Test
    void everySubscriberGetsEveryTickInOrderWithThePublishersDigest() throws Exception
    {
        runFeed(FeedProfile.DEFAULT, CHANNEL, CHANNEL, CHANNEL);
    }

    @Test
    void compactProfileRunsDriverAndClientInsideTheAgents() throws Exception
    {
        // Compact spins by default; tests never spin, so back off instead.
        runFeed(FeedProfile.COMPACT, CHANNEL, CHANNEL, CHANNEL);
    }

    @Test
    void multiDestinationCastReachesEverySubscriberWithoutMulticast() throws Exception
    {
        // Each subscriber receives on its own unicast port and joins by sending status to the
        // publisher's control port; the publisher sends each of them a copy. The publisher starts when
        // the first one has joined, so the other may join a few ticks in: asking for sequence 1 makes
        // it pull what it missed (the multicast cases need not, every receiver sees the first tick).
        runFeed(FeedProfile.DEFAULT, MDC_PUBLISHER,
            "aeron:udp?endpoint=127.0.0.1:40652|control=127.0.0.1:40651",
            "aeron:udp?endpoint=127.0.0.1:40653|control=127.0.0.1:40651");
    }

    private void runFeed(final FeedProfile profile, final String publisherChannel, final String channelA,
        final String channelB) throws Exception
    {
        runFeed(profile, publisherChannel, channelA, channelB, publisherChannel.contains("control=") ? 1 : 0);
    }

    private void runFeed(final FeedProfile profile, final String publisherChannel, final String channelA,
        final String channelB, final long fromSequence) throws Exception
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

        try (Subscriber a = Subscriber.launch(subscriber("a", channelA).fromSequence(fromSequence).transport(t -> t.profile(profile).idleStrategy("backoff")), quote ->
            {
                if (quote.sequence() != lastSeenA.get() + 1)
                {
                    outOfOrder.incrementAndGet();
                }
                lastSeenA.set(quote.sequence());
            }, symbolCollector);
            Subscriber b = Subscriber.launch(subscriber("b", channelB).fromSequence(fromSequence).transport(t -> t.profile(profile).idleStrategy("backoff")), quote -> { },
                FeedStatusListener.NONE))
        {
            final PublisherStats published;
            try (Publisher publisher = Publisher.launch(new PublisherContext()
                .transport(t -> t.channel(publisherChannel).streamId(STREAM))
                .journalDirectory(journalDir)
                .source(new SyntheticMarket(25, 11))
                .transport(t -> t.profile(profile).idleStrategy("backoff"))
                .rate(50_000)
                .count(COUNT)
                .lingerNanos(TimeUnit.MILLISECONDS.toNanos(200))
                .replayServer(new ReplayServerContext().replayChannel(REPLAY).idleStrategy("sleep"))))
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
                // Live ticks are timed as latency, recovered ones (a late joiner over MDC) as their age.
                assertEquals(COUNT, stats.latency().getTotalCount() + stats.recoveredAge().getTotalCount());
                assertEquals(stats.recovered(), stats.recoveredAge().getTotalCount());
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

    private SubscriberContext subscriber(final String name, final String channel)
    {
        return new SubscriberContext()
            .offsetsDirectory(offsetsDir)
            .transport(t -> t.channel(channel).streamId(STREAM))
            .name(name)
            .count(COUNT)
            .replayChannel(REPLAY)
            .durationNanos(TimeUnit.SECONDS.toNanos(90));
    }
}
