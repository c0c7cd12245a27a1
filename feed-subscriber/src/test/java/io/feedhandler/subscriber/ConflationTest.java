package io.feedhandler.subscriber;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBook;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A slow consumer's conflation, fed to the agent directly with an injected clock: behind the feed it
 * holds the latest quote of each instrument, then delivers those in sequence order and says what it
 * skipped; the book stays exact and nothing is delivered twice or out of order.
 */
class ConflationTest
{
    private final List<Long> delivered = new ArrayList<>();
    private final List<String> status = new ArrayList<>();
    private final CachedEpochClock clock = new CachedEpochClock();
    private final QuoteBook seen = new QuoteBook(10_000);
    private final QuoteBook book = new QuoteBook(10_000);
    private SubscriberAgent agent;

    private void start(final SubscriberContext context)
    {
        agent = new SubscriberAgent(context.conclude(), null, handler -> new SubscriberAgentTest.ScriptedRecovery(),
            null, quote ->
            {
                delivered.add(quote.sequence());
                book.apply(quote);
            },
            new FeedStatusListener()
            {
                public void onConflated(final long fromSequence, final long toSequence, final long skipped)
                {
                    status.add("conflated " + fromSequence + ".." + toSequence + " skipped " + skipped);
                }
            }, () -> clock.time() * 1_000_000, () -> clock.time() * 1_000_000);
        agent.onStart();
    }

    private void live(final long sequence, final int instrumentId, final long sentMillis)
    {
        final MutableQuote quote = new MutableQuote();
        quote.sequence = sequence;
        quote.instrumentId = instrumentId;
        quote.bidPrice = 100 * sequence;
        quote.askPrice = 100 * sequence + 1;
        quote.bidSize = sequence % 7;
        quote.askSize = 3;
        quote.sendTimestamp = sentMillis * 1_000_000;
        seen.apply(quote);
        agent.onBatchBegin(0, sequence, 1);
        agent.onQuote(quote);
        agent.onBatchEnd();
    }

    @Test
    void behindTheFeedItDeliversTheLatestOfEachInstrumentThenCarriesOn()
    {
        start(new SubscriberContext().slowConsumer(SlowConsumerPolicy.CONFLATE).conflateLagNanos(50_000_000));
        clock.update(1_000);
        live(1, 1, 1_000); // on time: delivered as it comes
        assertEquals(List.of(1L), delivered);
        for (long sequence = 2; sequence <= 10; sequence++)
        {
            live(sequence, (int)(sequence % 3) + 1, 900); // 100 ms late: held
        }
        assertEquals(List.of(1L), delivered, "held while behind");
        agent.doWork(); // the live poll found nothing more waiting: caught up
        assertEquals(List.of(1L, 8L, 9L, 10L), delivered, "the latest of each instrument, in sequence order");
        assertEquals(List.of("conflated 2..10 skipped 6"), status);
        live(11, 1, 1_000);
        assertEquals(11L, delivered.get(delivered.size() - 1));

        agent.requestStop();
        agent.doWork();
        final SubscriberStats stats = agent.stats();
        assertEquals(6, stats.conflated());
        assertEquals(1, stats.conflations());
        assertEquals(5, stats.delivered());
        assertEquals(11, stats.lastSeq());
        assertEquals(seen.digest(), stats.bookDigest(), "the book is exact");
        assertEquals(book.digest(), stats.bookDigest());
    }

    @Test
    void manyInstrumentsAreDeliveredInSequenceOrderOnceEachAndTheRunEndsExact()
    {
        start(new SubscriberContext().slowConsumer(SlowConsumerPolicy.CONFLATE).conflateLagNanos(50_000_000));
        clock.update(10_000);
        final SplittableRandom random = new SplittableRandom(7);
        long sequence = 0;
        for (int round = 0; round < 20; round++)
        {
            final TreeMap<Integer, Long> latest = new TreeMap<>();
            final int before = delivered.size();
            for (int i = 0; i < 5_000; i++)
            {
                final int instrument = 1 + random.nextInt(700);
                live(++sequence, instrument, 9_000);
                latest.put(instrument, sequence);
            }
            agent.doWork();
            final List<Long> flushed = delivered.subList(before, delivered.size());
            assertEquals(latest.size(), flushed.size());
            assertEquals(new ArrayList<>(new java.util.TreeSet<>(latest.values())), flushed);
        }
        for (int i = 1; i < delivered.size(); i++)
        {
            assertTrue(delivered.get(i - 1) < delivered.get(i), "in order, once");
        }
        live(++sequence, 3, 9_000); // held when the run ends: delivered before it does
        agent.requestStop();
        agent.doWork();
        assertEquals(sequence, delivered.get(delivered.size() - 1));
        assertEquals(seen.digest(), agent.stats().bookDigest());
    }

    @Test
    void aGapFlushesWhatIsHeldBeforeTheRecoveryBrings()
    {
        start(new SubscriberContext().slowConsumer(SlowConsumerPolicy.CONFLATE).conflateLagNanos(50_000_000));
        clock.update(1_000);
        live(1, 1, 800);
        live(2, 1, 800);
        live(5, 2, 800); // 3..4 missing
        assertEquals(List.of(2L), delivered, "the held quote goes before the gap is pulled");
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state());
    }

    @Test
    void anInstrumentPastTheBoundGoesAfterWhatIsHeldNotBefore()
    {
        start(new SubscriberContext().slowConsumer(SlowConsumerPolicy.CONFLATE).conflateLagNanos(50_000_000)
            .maxInstruments(2));
        clock.update(1_000);
        live(1, 1, 800);
        live(2, 2, 800); // two instruments held: the bound
        live(3, 3, 800); // a third cannot be held: delivered, but after 1 and 2
        assertEquals(List.of(1L, 2L, 3L), delivered);
        live(4, 1, 800);
        agent.doWork();
        assertEquals(List.of(1L, 2L, 3L, 4L), delivered);
    }

    @Test
    void aStreamResetDeliversWhatIsHeldBeforeFollowingTheNewStream()
    {
        start(new SubscriberContext().slowConsumer(SlowConsumerPolicy.CONFLATE).conflateLagNanos(50_000_000));
        clock.update(1_000);
        live(10, 1, 800);
        live(11, 2, 800); // held
        agent.onHeartbeat(3, 0, io.feedhandler.sbe.FeedState.LIVE, 0); // the publisher's journal was reset
        assertEquals(List.of(10L, 11L), delivered, "the old stream's held quotes, before the reset");
        live(4, 1, 1_000);
        agent.doWork();
        live(5, 2, 1_000);
        assertEquals(List.of(10L, 11L, 4L, 5L), delivered, "the new stream is followed, not dropped as duplicates");
    }

    @Test
    void untilPublisherEndsTheRunEndsOnceTheLastSequenceIsInWithTheBookExact()
    {
        start(new SubscriberContext().slowConsumer(SlowConsumerPolicy.CONFLATE).conflateLagNanos(50_000_000)
            .untilPublisherEnds(true));
        clock.update(1_000);
        live(1, 1, 1_000);
        agent.onHeartbeat(1, 0, io.feedhandler.sbe.FeedState.LIVE, 0);
        agent.doWork();
        assertTrue(!agent.isDone(), "the publisher is still running");
        live(2, 2, 800); // held
        live(3, 2, 800); // held, supersedes 2
        agent.onHeartbeat(3, 0, io.feedhandler.sbe.FeedState.ENDED, 0);
        agent.doWork();
        assertTrue(agent.isDone(), "ended at 3, and 3 is in");
        assertEquals(List.of(1L, 3L), delivered, "what was held is delivered before the run ends");
        assertEquals(seen.digest(), agent.stats().bookDigest(), "the book is exact");
    }

    @Test
    void untilPublisherEndsATailStillMissingKeepsTheRunGoing()
    {
        start(new SubscriberContext().slowConsumer(SlowConsumerPolicy.CONFLATE).conflateLagNanos(50_000_000)
            .untilPublisherEnds(true));
        clock.update(1_000);
        live(1, 1, 1_000);
        live(2, 2, 800); // held
        agent.onHeartbeat(4, 0, io.feedhandler.sbe.FeedState.ENDED, 0); // ended at 4: 3 and 4 never came
        agent.doWork();
        assertTrue(!agent.isDone(), "3..4 are missing: the run goes on and pulls them");
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state());
    }

    @Test
    void conflationNeedsRecovery()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new SubscriberContext().slowConsumer(SlowConsumerPolicy.CONFLATE).recovery(false).conclude());
        assertTrue(ex.getMessage().contains("--slow-consumer conflate") && ex.getMessage().contains("--no-recovery"),
            ex.getMessage());
        assertEquals(SlowConsumerPolicy.CONFLATE, SlowConsumerPolicy.parse("Conflate"));
        assertThrows(IllegalArgumentException.class, () -> SlowConsumerPolicy.parse("drop"));
    }
}
