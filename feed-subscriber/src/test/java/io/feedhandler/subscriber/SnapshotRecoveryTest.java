package io.feedhandler.subscriber;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.QuoteBook;
import io.feedhandler.sbe.FeedState;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start from a snapshot, fed to the agent directly with an injected clock: the snapshot's quotes go
 * to the listener as snapshot quotes, then the ticks after it, merged with buffered live, each once.
 */
class SnapshotRecoveryTest
{
    private final List<Long> delivered = new ArrayList<>();
    private final List<Long> snapshotQuotes = new ArrayList<>();
    private final List<String> status = new ArrayList<>();
    private final CachedEpochClock clock = new CachedEpochClock();
    private final SubscriberAgentTest.ScriptedRecovery source = new SubscriberAgentTest.ScriptedRecovery();
    private final QuoteBook book = new QuoteBook(100);
    private SubscriberAgent agent;

    private void start(final SubscriberContext context)
    {
        agent = new SubscriberAgent(context.conclude(), null, handler -> source, null, new QuoteListener()
        {
            public void onQuote(final Quote quote)
            {
                delivered.add(quote.sequence());
                book.apply(quote);
            }

            public void onSnapshotQuote(final Quote quote)
            {
                snapshotQuotes.add(quote.sequence());
                book.apply(quote);
            }
        }, new FeedStatusListener()
        {
            public void onSnapshot(final long snapshotSequence, final int instruments)
            {
                status.add("snapshot " + snapshotSequence + " of " + instruments);
            }

            public void onLost(final long fromSequence, final long toSequence)
            {
                status.add("lost " + fromSequence + ".." + toSequence);
            }
        }, () -> clock.time() * 1_000_000, () -> clock.time() * 1_000_000);
        agent.onStart();
    }

    private static MutableQuote quote(final long sequence, final int instrumentId)
    {
        final MutableQuote quote = new MutableQuote();
        quote.sequence = sequence;
        quote.instrumentId = instrumentId;
        quote.bidPrice = 100 * sequence;
        quote.askPrice = 100 * sequence + 1;
        quote.bidSize = 10 + instrumentId;
        quote.askSize = 20;
        return quote;
    }

    private void live(final long sequence)
    {
        agent.onBatchBegin(0, sequence, 1);
        agent.onQuote(quote(sequence, (int)(sequence % 3) + 1));
        agent.onBatchEnd();
    }

    private void recovered(final long sequence)
    {
        agent.recoveryHandler().onQuote(quote(sequence, (int)(sequence % 3) + 1));
        agent.doWork();
    }

    private void snapshot(final long sequence, final long... quoteSequences)
    {
        final RecoverySource.Handler handler = agent.recoveryHandler();
        handler.onSnapshotBatch(0, sequence, quoteSequences.length, quoteSequences.length);
        for (final long quoteSequence : quoteSequences)
        {
            handler.onSnapshotQuote(quote(quoteSequence, (int)(quoteSequence % 3) + 1));
        }
        agent.doWork();
    }

    @Test
    void theSnapshotThenLiveBufferedAfterItEachOnce()
    {
        start(new SubscriberContext().snapshot(true));
        live(105);
        live(106);
        heartbeat(106); // does not start the stream: the snapshot does
        agent.doWork();
        assertEquals(1, source.snapshots, "asked for a snapshot, not a range");
        assertEquals(List.of(), source.starts);
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state());
        snapshot(104, 102, 103, 104);
        assertEquals(List.of(102L, 103L, 104L), snapshotQuotes);
        assertEquals(List.of(105L, 106L), delivered, "the buffered live ticks right after the snapshot");
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
        live(107);
        live(106);
        assertEquals(List.of(105L, 106L, 107L), delivered);
        assertEquals(List.of("snapshot 104 of 3"), status);

        agent.requestStop();
        agent.doWork();
        final SubscriberStats stats = agent.stats();
        assertEquals(104, stats.snapshotSeq());
        assertEquals(3, stats.snapshotInstruments());
        assertEquals(3, stats.delivered(), "snapshot quotes are not ticks of the stream");
        assertEquals(105, stats.firstSeq());
        assertEquals(book.digest(), stats.bookDigest(), "the book holds the snapshot and what followed");
        assertTrue(stats.toSummaryLine().toString().contains("\"snapshotSeq\":104"));
    }

    @Test
    void theTicksBetweenTheSnapshotAndLiveArePulled()
    {
        start(new SubscriberContext().snapshot(true));
        live(110);
        agent.doWork();
        snapshot(100, 98, 99, 100);
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state());
        for (long sequence = 101; sequence <= 109; sequence++)
        {
            recovered(sequence);
        }
        assertEquals(10, delivered.size());
        assertEquals(110L, delivered.get(9));
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
    }

    @Test
    void anEmptyJournalsSnapshotStartsTheStreamAtOne()
    {
        start(new SubscriberContext().snapshot(true));
        agent.doWork();
        snapshot(0);
        recovered(1);
        live(2);
        assertEquals(List.of(1L, 2L), delivered);
        assertEquals(List.of("snapshot 0 of 0"), status);
    }

    @Test
    void aSnapshotInterruptedPartWayIsAskedForAgainWhole()
    {
        start(new SubscriberContext().snapshot(true));
        agent.doWork();
        final RecoverySource.Handler handler = agent.recoveryHandler();
        handler.onSnapshotBatch(0, 50, 3, 1);
        handler.onSnapshotQuote(quote(48, 1));
        handler.onInterrupted("server went away");
        agent.doWork();
        clock.advance(300);
        agent.doWork();
        assertEquals(2, source.snapshots);
        snapshot(60, 58, 59, 60);
        assertEquals(List.of(48L, 58L, 59L, 60L), snapshotQuotes);
        recovered(61);
        assertEquals(List.of(61L), delivered);
    }

    @Test
    void aStartGoneFromTheJournalStartsFromASnapshotWithOnLostSnapshot()
    {
        start(new SubscriberContext().fromSequence(5).onLost(LostPolicy.SNAPSHOT));
        agent.doWork();
        assertEquals(List.of(5L), source.starts);
        agent.recoveryHandler().onRefused(true, 500, "BELOW_RETENTION: sequence 5 is no longer retained");
        agent.doWork();
        assertEquals(1, source.snapshots);
        snapshot(900, 898, 899, 900);
        recovered(901);
        assertEquals(List.of(901L), delivered);
        assertEquals(0, agent.stats().lost(), "nothing counted lost");
        assertEquals(List.of("snapshot 900 of 3"), status);
    }

    @Test
    void withoutOnLostSnapshotTheRangeIsCountedLost()
    {
        start(new SubscriberContext().fromSequence(5));
        agent.doWork();
        agent.recoveryHandler().onRefused(true, 500, "BELOW_RETENTION");
        assertEquals(495, agent.stats().lost());
        assertEquals(0, source.snapshots);
    }

    @Test
    void aServerWithoutSnapshotsIsNotAskedForeverAndTheStartGoesOnFromLive()
    {
        start(new SubscriberContext().snapshot(true));
        live(105);
        agent.doWork();
        assertEquals(1, source.snapshots);
        agent.recoveryHandler().onSnapshotsUnavailable("NO_SNAPSHOTS: this replay server keeps no book");
        agent.doWork();
        live(106);
        for (int i = 0; i < 5; i++)
        {
            clock.advance(300);
            agent.doWork();
        }
        assertEquals(1, source.snapshots, "a permanent refusal is not asked again");
        assertEquals(List.of(105L, 106L), delivered, "live from where it was joined, as without --snapshot");
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
    }

    @Test
    void withOnLostSnapshotAndNoSnapshotsTheRangeIsCountedLostOnce()
    {
        start(new SubscriberContext().fromSequence(5).onLost(LostPolicy.SNAPSHOT));
        agent.doWork();
        agent.recoveryHandler().onRefused(true, 500, "BELOW_RETENTION");
        agent.doWork();
        assertEquals(1, source.snapshots);
        agent.recoveryHandler().onSnapshotsUnavailable("NO_SNAPSHOTS: this replay server keeps no book");
        clock.advance(300);
        agent.doWork();
        assertEquals(List.of(5L, 5L), source.starts, "asked for the range again");
        agent.recoveryHandler().onRefused(true, 500, "BELOW_RETENTION");
        clock.advance(300);
        agent.doWork();
        assertEquals(1, source.snapshots, "no second snapshot");
        assertEquals(495, agent.stats().lost());
    }

    @Test
    void aSnapshotBookStillBeingReadIsNotAStalledPull()
    {
        start(new SubscriberContext().snapshot(true).recoveryTimeoutNanos(5_000_000_000L));
        live(105);
        agent.doWork();
        assertEquals(1, source.snapshots);
        for (int i = 0; i < 20; i++)
        {
            clock.advance(1_000);
            agent.recoveryHandler().onPullProgress(); // the local journal's book, read a slice a poll
            live(106 + i);
            agent.doWork();
        }
        assertEquals(1, source.snapshots, "20 s of reading a long journal is progress, not a stall");
        snapshot(104, 102, 103, 104);
        assertEquals(List.of(102L, 103L, 104L), snapshotQuotes, "the first snapshot, taken whole");
    }

    @Test
    void aStreamResetForgetsAWantedSnapshot()
    {
        start(new SubscriberContext().fromSequence(5).onLost(LostPolicy.SNAPSHOT));
        agent.doWork();
        agent.recoveryHandler().onRefused(true, 500, "BELOW_RETENTION");
        agent.doWork();
        assertEquals(1, source.snapshots);
        heartbeat(2); // the publisher is behind what we expect: its journal was reset
        agent.doWork();
        live(3);
        live(5); // a gap in the new stream: an ordinary replay, not a snapshot
        clock.advance(300);
        agent.doWork();
        assertEquals(1, source.snapshots);
        assertEquals(4L, (long)source.starts.get(source.starts.size() - 1));
    }

    @Test
    void aSnapshotNeedsRecoveryAndNoStartingSequence()
    {
        final IllegalArgumentException fromSeq = assertThrows(IllegalArgumentException.class,
            () -> new SubscriberContext().snapshot(true).fromSequence(7).conclude());
        assertTrue(fromSeq.getMessage().contains("--snapshot") && fromSeq.getMessage().contains("--from-seq 7"),
            fromSeq.getMessage());
        final IllegalArgumentException noRecovery = assertThrows(IllegalArgumentException.class,
            () -> new SubscriberContext().snapshot(true).recovery(false).conclude());
        assertTrue(noRecovery.getMessage().contains("--no-recovery"), noRecovery.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LostPolicy.parse("forget"));
        assertEquals(LostPolicy.SNAPSHOT, LostPolicy.parse("SNAPSHOT"));
    }

    private void heartbeat(final long lastSequence)
    {
        agent.onHeartbeat(lastSequence, 0, FeedState.LIVE, 0);
    }
}
