package io.feedhandler.subscriber;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.journal.SubscriberOffset;
import io.feedhandler.sbe.FeedState;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The subscriber's sequencing rules, fed messages directly with an injected clock (no network). */
class SubscriberAgentTest
{
    private final List<Long> delivered = new ArrayList<>();
    private final List<String> status = new ArrayList<>();
    private final CachedEpochClock clock = new CachedEpochClock();
    private final ScriptedRecovery recovery = new ScriptedRecovery();
    private final FeedStatusListener statusRecorder = new FeedStatusListener()
        {
            public void onGap(final long fromSequence, final long toSequence)
            {
                status.add("gap " + fromSequence + ".." + toSequence);
            }

            public void onInstrument(final Instrument instrument)
            {
                status.add("instrument " + instrument);
            }

            public void onOtherPublisher(final long followed, final long other)
            {
                status.add("other publisher " + other + " beside " + followed);
            }

            public void onPublisherEnded(final long lastSequence)
            {
                status.add("ended " + lastSequence);
            }

            public void onRecoveryStarted(final long fromSequence)
            {
                status.add("recovering from " + fromSequence);
            }

            public void onRecovered(final long upToSequence)
            {
                status.add("recovered to " + upToSequence);
            }

            public void onLost(final long fromSequence, final long toSequence)
            {
                status.add("lost " + fromSequence + ".." + toSequence);
            }

            public void onRecoveryProblem(final String reason)
            {
                status.add("problem " + reason);
            }

            public void onStreamReset(final long lastDelivered, final long publisherLastSequence)
            {
                status.add("reset after " + lastDelivered + " to " + publisherLastSequence);
            }
        };
    private SubscriberAgent agent = agent(new SubscriberContext().maxInstruments(2).recovery(false), 0);
    private final FeedEncoder encoder = new FeedEncoder();
    private FeedDecoder decoder = new FeedDecoder(agent);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);

    @Test
    void deliversInOrderDropsDuplicatesAndReportsGaps()
    {
        for (final long sequence : new long[]{5, 6, 6, 7, 4, 10, 11})
        {
            quote(sequence, 1);
        }
        assertEquals(List.of(5L, 6L, 7L, 10L, 11L), delivered);
        assertEquals(List.of("gap 8..9"), status);

        final SubscriberStats stats = agent.stats();
        assertEquals(5, stats.delivered());
        assertEquals(5, stats.firstSeq());
        assertEquals(11, stats.lastSeq());
        assertEquals(2, stats.duplicatesDropped());
        assertEquals(1, stats.gapsDetected());
        assertEquals(2, stats.gapTicks());
    }

    @Test
    void heartbeatShowsAMissingTailAndTheEnd()
    {
        quote(1, 1);
        quote(2, 1);
        heartbeat(2, FeedState.LIVE);
        assertEquals(List.of(), status);
        heartbeat(5, FeedState.ENDED);
        assertEquals(List.of("gap 3..5", "ended 5"), status);
        quote(6, 1);
        assertEquals(List.of(1L, 2L, 6L), delivered);
    }

    @Test
    void joiningAQuietFeedStartsAfterTheAnnouncedSequence()
    {
        heartbeat(100, FeedState.LIVE);
        quote(101, 1);
        assertEquals(List.of(101L), delivered);
        assertEquals(0, agent.stats().gapsDetected());
    }

    @Test
    void digestMatchesTheQuotesDelivered()
    {
        final QuoteDigest expected = new QuoteDigest();
        for (long sequence = 1; sequence <= 100; sequence++)
        {
            expected.update(quote(sequence, (int)(sequence % 3) + 1));
        }
        assertEquals(expected.value(), agent.stats().digest());
    }

    @Test
    void instrumentsAreReportedOnceAndTheBookIsBounded()
    {
        final int length = encoder.encodeInstrument(buffer, 0, new Instrument(1, "AAPL", -2), 0);
        decoder.decode(buffer, 0, length);
        decoder.decode(buffer, 0, length);
        assertEquals(List.of("instrument AAPL(1)"), status);
        assertEquals("AAPL", agent.instrument(1).symbol());

        quote(1, 1);
        quote(2, 2);
        quote(3, 3); // beyond the bound of two instruments: delivered, not tracked
        assertEquals(3, delivered.size());
        assertEquals(2, agent.book().size());
        assertEquals(1, agent.book().untracked());
        assertEquals(2, agent.book().level(2).sequence());

        // Definitions are bounded the same way: a flood of bogus ids cannot grow the heap.
        decoder.decode(buffer, 0, encoder.encodeInstrument(buffer, 0, new Instrument(2, "MSFT", -2), 0));
        decoder.decode(buffer, 0, encoder.encodeInstrument(buffer, 0, new Instrument(3, "GOOG", -2), 0));
        assertEquals(List.of("instrument AAPL(1)", "instrument MSFT(2)"), status);
        assertEquals(null, agent.instrument(3));
        assertEquals(2, agent.stats().instruments());
    }

    @Test
    void latencyIsMeasuredFromTheSendTimestamp()
    {
        clock.update(10);
        final MutableQuote quote = quote(1, 1, 7_000_000); // sent at 7 ms, delivered at 10 ms
        assertTrue(quote.sequence() > 0);
        assertEquals(3_000_000, agent.stats().latency().getMaxValue(), 3_000_000 / 500.0);
    }

    @Test
    void malformedMessagesAreCountedAndDropped()
    {
        decoder.decode(buffer, 0, 3);
        quote(1, 1);
        assertEquals(1, agent.stats().malformed());
        assertEquals(List.of(1L), delivered);
    }

    @Test
    void gapIsPulledFromTheJournalAndMergedWithBufferedLive()
    {
        useRecovery(new SubscriberContext(), 0);
        quote(1, 1);
        quote(2, 1);
        quote(6, 1); // 3..5 missing
        quote(7, 1);
        assertEquals(List.of(1L, 2L), delivered, "live waits while the gap is pulled");
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state());
        agent.doWork();
        assertEquals(List.of(3L), recovery.starts);

        recovered(3);
        recovered(4);
        quote(8, 1);
        recovered(5); // meets the buffered 6, 7, 8
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), delivered);
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
        assertEquals(1, recovery.stops);

        recovered(6); // late from the pull: ignored
        quote(8, 1); // late from live: dropped
        quote(9, 1);
        assertEquals(9, delivered.size());
        final SubscriberStats stats = agent.stats();
        assertEquals(3, stats.recovered());
        assertEquals(1, stats.gapsDetected());
        assertEquals(1, stats.recoveries());
        assertEquals(List.of("gap 3..5", "recovering from 3", "recovered to 8"), status);
    }

    @Test
    void timeSpentRecoveringIsReported()
    {
        useRecovery(new SubscriberContext(), 0);
        quote(1, 1);
        clock.advance(1_000);
        agent.doWork();
        quote(5, 1); // 2..4 missing: recovering from now
        clock.advance(300);
        agent.doWork();
        assertEquals(300, agent.stats().recoveryNanos() / 1_000_000, "counts while still recovering");
        recovered(2);
        recovered(3);
        clock.advance(200);
        agent.doWork();
        recovered(4); // meets the buffered 5: live again, 500 ms after the gap
        clock.advance(2_000);
        agent.doWork();
        final SubscriberStats stats = agent.stats();
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
        assertEquals(500, stats.recoveryNanos() / 1_000_000, "live time is not recovery time");
        assertTrue(stats.toSummaryLine().toString().contains("\"recoveryMs\":500"), stats.toSummaryLine().toString());
    }

    @Test
    void smallBufferOverflowsWithoutLosingAnything()
    {
        useRecovery(new SubscriberContext().recoveryBufferCapacity(4), 0);
        quote(1, 1);
        for (long sequence = 10; sequence <= 30; sequence++)
        {
            quote(sequence, 1); // only 27..30 stay buffered
        }
        agent.doWork();
        for (long sequence = 2; sequence <= 26; sequence++)
        {
            recovered(sequence);
        }
        assertEquals(30, delivered.size());
        for (int i = 0; i < delivered.size(); i++)
        {
            assertEquals(i + 1, delivered.get(i));
        }
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
        assertEquals(17, agent.stats().bufferOverwrites(), "14..30 each pushed the oldest out");
        assertEquals(0, agent.stats().bufferRestarts());
    }

    @Test
    void liveJumpingWhileRecoveringRestartsTheBufferAndIsCounted()
    {
        useRecovery(new SubscriberContext(), 0);
        quote(1, 1);
        quote(5, 1); // gap 2..4: 5 is buffered
        quote(6, 1);
        quote(9, 1); // live lost 7..8 too: the buffer starts again at 9
        agent.doWork();
        for (long sequence = 2; sequence <= 8; sequence++)
        {
            recovered(sequence);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), delivered);
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
        assertEquals(1, agent.stats().bufferRestarts());
        assertEquals(0, agent.stats().bufferOverwrites());
        assertTrue(agent.stats().toSummaryLine().toString().contains("\"bufferRestarts\":1"));
    }

    @Test
    void missingTailIsPulledAndAQuietFeedEndsTheRecovery()
    {
        useRecovery(new SubscriberContext(), 0);
        quote(1, 1);
        heartbeat(4, FeedState.LIVE);
        agent.doWork();
        assertEquals(List.of(2L), recovery.starts);
        recovered(2);
        recovered(3);
        recovered(4);
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state(), "nothing live to meet yet");
        heartbeat(4, FeedState.LIVE);
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
        quote(5, 1);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), delivered);
    }

    @Test
    void livesTrailingFarBehindTheJournalsHeadIsPassedByThePullAndTakenBackNearTheHead()
    {
        useRecovery(new SubscriberContext(), 0);
        quote(1, 1);
        quote(5, 1); // 2..4 missing; live is a thin link's, being repaired at a trickle
        agent.doWork();
        final long head = 5 + SubscriberConfiguration.MERGE_LAG_TICKS + 1_000;
        agent.recoveryHandler().onJournalHead(head); // the replay server: the journal is far ahead
        for (long sequence = 2; sequence <= 4; sequence++)
        {
            recovered(sequence);
        }
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state(), "live at 5 trails the head: keep pulling");
        quote(6, 1); // the trickle goes on
        final long farFromHead = head - SubscriberConfiguration.MERGE_LAG_TICKS - 100;
        for (long sequence = 5; sequence <= farFromHead; sequence++)
        {
            recovered(sequence);
        }
        quote(7, 1); // behind the pull: dropped, and the pull, still far from the head, goes on
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state());
        for (long sequence = farFromHead + 1; sequence <= head; sequence++)
        {
            recovered(sequence);
        }
        quote(head + 1, 1); // live near the head again: back to it
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
        assertEquals(head + 1, delivered.size());
        for (int i = 0; i < delivered.size(); i++)
        {
            assertEquals(i + 1, delivered.get(i));
        }
        assertTrue(agent.stats().livePassed() >= 1, agent.stats().toSummaryLine().toString());
    }

    @Test
    void liveWhoseTicksWereSentLongAgoIsPassedByThePull()
    {
        useRecovery(new SubscriberContext(), 0);
        clock.update(60_000); // the wall clock, ms
        final long now = TimeUnit.MILLISECONDS.toNanos(60_000);
        quote(1, 1, now);
        quote(5, 1, now - TimeUnit.SECONDS.toNanos(9)); // sent 9 s ago: this live stream trails
        agent.doWork();
        for (long sequence = 2; sequence <= 5; sequence++)
        {
            recovered(sequence);
        }
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state(), "not back to a live stream 9 s behind");
        quote(6, 1, now); // fresh: live is back near the head
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), delivered);
        assertEquals(1, agent.stats().livePassed(), "the buffered 5, delivered by the pull instead");
    }

    @Test
    void aRangeGoneFromTheJournalIsCountedLost()
    {
        useRecovery(new SubscriberContext(), 0);
        quote(1, 1);
        quote(10, 1);
        agent.doWork();
        agent.recoveryHandler().onRefused(true, 5, "BELOW_RETENTION");
        agent.doWork();
        recovered(5);
        assertEquals(List.of(1L, 5L), delivered);
        recovered(6);
        recovered(7);
        recovered(8);
        recovered(9);
        assertEquals(List.of(1L, 5L, 6L, 7L, 8L, 9L, 10L), delivered);
        assertEquals(3, agent.stats().lost());
        assertTrue(status.contains("lost 2..4"), status.toString());
    }

    @Test
    void aRangeNeverJournaledIsCountedLostUpToTheLiveTicksWeHoldAndTheBufferIsDelivered()
    {
        useRecovery(new SubscriberContext(), 0);
        quote(1, 1);
        quote(2, 1);
        quote(8, 1); // 3..7 missed live; live goes on and is buffered
        quote(9, 1);
        agent.doWork();
        assertEquals(List.of(3L), recovery.starts);
        recovered(3);
        // The journal never had 4..12 (the publisher went live-only); we hold 8 and 9 from live.
        agent.recoveryHandler().onNotJournaled(4, 12, "NOT_JOURNALED: sequences 4..12 were sent without being journaled");
        assertEquals(List.of(1L, 2L, 3L, 8L, 9L), delivered);
        assertEquals(4, agent.stats().lost(), "4..7: what we did not get live");
        assertTrue(status.contains("lost 4..7"), status.toString());
        assertTrue(status.stream().anyMatch(s -> s.startsWith("problem NOT_JOURNALED")), status.toString());
        assertEquals(SubscriberAgent.State.LIVE, agent.state(), "no wait in RECOVERING for what will never come");
        quote(10, 1);
        assertEquals(10L, delivered.get(delivered.size() - 1));
    }

    // ---- what a replica hooks into ----------------------------------------------------------------

    /** What a replica's journal hears: the stream followed, definitions with their sequences, ranges never journaled. */
    private final List<String> replicaHooks = new ArrayList<>();

    private void useReplicaHooks(final SubscriberContext context)
    {
        agent = new SubscriberAgent(context.conclude(), null, handler -> recovery, null,
            quote -> delivered.add(quote.sequence()), new FeedStatusListener()
            {
                public void onStreamFollowed(final long epoch)
                {
                    replicaHooks.add("follows " + epoch);
                }

                public void onInstrument(final Instrument instrument, final long fromSequence)
                {
                    replicaHooks.add(instrument + " from " + fromSequence);
                }

                public void onNotJournaledRange(final long firstSequence, final long lastSequence)
                {
                    replicaHooks.add("not journaled " + firstSequence + ".." + lastSequence);
                }

                public void onLost(final long fromSequence, final long toSequence)
                {
                    replicaHooks.add("lost " + fromSequence + ".." + toSequence);
                }
            }, () -> clock.time() * 1_000_000, () -> clock.time() * 1_000_000);
        decoder = new FeedDecoder(agent);
        agent.onStart();
    }

    @Test
    void theStreamFollowedIsSaidOnceBeforeItsFirstTickAndDefinitionsComeWithTheirSequence()
    {
        useReplicaHooks(new SubscriberContext().recovery(false));
        instrument(1, "AAPL", 1);
        batch(7, 1, 2);
        batch(7, 3, 1);
        instrument(1, "AAPL.O", 4);
        assertEquals(List.of("AAPL(1) from 1", "follows 7", "AAPL.O(1) from 4"), replicaHooks);
        assertEquals(7, agent.followedEpoch());
    }

    @Test
    void anExpectedEpochRefusesAnotherStreamBeforeAnythingIsDelivered()
    {
        useReplicaHooks(new SubscriberContext().recovery(false).expectedEpoch(7));
        batch(9, 1, 3);
        agent.doWork();
        assertTrue(agent.isDone());
        assertEquals(List.of(), delivered);
        assertEquals(9, agent.refusedEpoch());
        final String refusal = agent.refusal();
        assertTrue(refusal.contains("0000000000000007") && refusal.contains("0000000000000009"), refusal);
    }

    @Test
    void aStartBelowRetentionMovesToTheFirstRetainedAndALaterLostRangeEndsTheRun()
    {
        useReplicaHooks(new SubscriberContext().fromSequence(1).startAtFirstRetained(true).lostIsFatal(true));
        agent.doWork();
        agent.recoveryHandler().onRefused(true, 500, "BELOW_RETENTION");
        clock.advance(300);
        agent.doWork();
        assertEquals(List.of(1L, 500L), recovery.starts, "started again at the first retained");
        recovered(500);
        assertEquals(List.of(500L), delivered);
        assertEquals(0, agent.stats().lost(), "nothing was delivered before: no loss");

        agent.recoveryHandler().onRefused(true, 900, "BELOW_RETENTION");
        agent.doWork();
        assertTrue(agent.isDone(), "a hole the upstream does not have: the run ends");
        assertTrue(agent.failure().contains("501..899"), agent.failure());
        assertEquals(List.of(), replicaHooks, "never counted lost");
    }

    @Test
    void theWholeRangeNeverJournaledIsSaidBeforeWhatIsMissingOfIt()
    {
        useReplicaHooks(new SubscriberContext());
        quote(1, 1);
        quote(8, 1);
        agent.doWork();
        agent.recoveryHandler().onNotJournaled(2, 12, "NOT_JOURNALED");
        assertEquals(List.of("not journaled 2..12", "lost 2..7"), replicaHooks);
        assertEquals(List.of(1L, 8L), delivered);
        assertEquals(8, agent.upstreamHead(), "the head heard live");
    }

    @Test
    void aRangeNeverJournaledWithNothingBufferedIsSkippedAndThePullGoesOnAfterIt()
    {
        useRecovery(new SubscriberContext().fromSequence(1), 0); // a late joiner wanting the history
        agent.doWork();
        recovered(1);
        agent.recoveryHandler().onNotJournaled(2, 50, "NOT_JOURNALED");
        assertEquals(49, agent.stats().lost());
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state());
        clock.advance(300);
        agent.doWork();
        assertEquals(List.of(1L, 51L), recovery.starts, "asked again, after the range");
        recovered(51);
        assertEquals(List.of(1L, 51L), delivered);
    }

    @Test
    void aPublisherBehindUsIsAResetStreamAndIsFollowed()
    {
        useRecovery(new SubscriberContext().fromSequence(1_000), 0); // e.g. an offset from an older journal
        agent.doWork();
        heartbeat(10, FeedState.LIVE);
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
        quote(11, 1);
        assertEquals(List.of(11L), delivered);
    }

    /**
     * Found by the chaos soak: a subscriber pulling through a link just healed from a throttle got ticks from the
     * journal up to 2,636,304 while its live line still carried the publisher's heartbeats from a stall (a disk
     * full) at 2,632,247. That was taken for a reset journal, and 4,057 ticks were delivered twice.
     */
    @Test
    void aLiveHeartbeatBehindWhatThePullDeliveredIsLateNotAReset()
    {
        useRecovery(new SubscriberContext(), 0);
        quote(1, 1);
        quote(5, 1); // 2..4 missing; live is a thin link's
        agent.doWork();
        final long head = 5 + SubscriberConfiguration.MERGE_LAG_TICKS + 1_000;
        agent.recoveryHandler().onJournalHead(head); // the journal is far ahead of live
        for (long sequence = 2; sequence <= 100; sequence++)
        {
            recovered(sequence);
        }
        heartbeat(5, FeedState.LIVE); // sent when the publisher was at 5, read only now
        for (long sequence = 101; sequence <= head; sequence++)
        {
            recovered(sequence);
        }
        quote(head + 1, 1);
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
        assertTrue(status.stream().noneMatch(line -> line.startsWith("reset")), status.toString());
        assertEquals(head + 1, delivered.size(), "each once");
        for (int i = 0; i < delivered.size(); i++)
        {
            assertEquals(i + 1, delivered.get(i));
        }
    }

    @Test
    void aLiveLineThatGoesBackIsAResetWhateverThePullDelivered()
    {
        useRecovery(new SubscriberContext(), 0);
        for (long sequence = 1; sequence <= 10; sequence++)
        {
            quote(sequence, 1);
        }
        heartbeat(10, FeedState.LIVE);
        heartbeat(3, FeedState.LIVE); // the publisher's journal restored from a backup: the same epoch, behind us
        assertEquals(List.of("reset after 10 to 3"), status);
        quote(4, 1);
        assertEquals(11, delivered.size());
        assertEquals(4L, delivered.get(10));
        heartbeat(4, FeedState.LIVE); // the new stream goes on: no second reset
        assertEquals(List.of("reset after 10 to 3"), status);
    }

    @Test
    void aStartingPointIsPulledBeforeLive()
    {
        useRecovery(new SubscriberContext().fromSequence(1), 0);
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state());
        quote(50, 1);
        agent.doWork();
        assertEquals(List.of(1L), recovery.starts);
        for (long sequence = 1; sequence < 50; sequence++)
        {
            recovered(sequence);
        }
        assertEquals(50, delivered.size());
        assertEquals(1, agent.stats().firstSeq());
        assertEquals(49, agent.stats().recovered());
    }

    @Test
    void anUnreachableReplayServerIsReportedOnceAndStillRetried()
    {
        useRecovery(new SubscriberContext().recoveryTimeoutNanos(TimeUnit.SECONDS.toNanos(2)), 0);
        recovery.reachable = false;
        quote(1, 1);
        quote(5, 1);
        for (int i = 0; i < 40; i++)
        {
            clock.advance(100); // 4 s in 100 ms steps
            agent.doWork();
        }
        final List<String> problems = status.stream().filter(s -> s.startsWith("problem")).toList();
        assertEquals(List.of("problem cannot reach scripted; wanted to recover from sequence 2; still trying"), problems);
        assertTrue(recovery.starts.size() >= 10, "retried every 250 ms: " + recovery.starts.size());
        assertEquals(1, agent.stats().replayUnreachable(), "counted once, as it is said once");
        assertTrue(agent.stats().toSummaryLine().toString().contains("\"replayUnreachable\":1,"));

        recovery.reachable = true;
        clock.advance(300);
        agent.doWork();
        recovered(2);
        recovered(3);
        recovered(4);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), delivered);
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
    }

    @Test
    void aBatchStraddlingWhatWasDeliveredGivesOnlyItsNewQuotes()
    {
        quote(1, 1);
        quote(2, 1);
        quote(3, 1);
        batch(7, 2, 6); // 2..7: 2 and 3 came already
        batch(7, 8, 1);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), delivered);
        assertEquals(2, agent.stats().duplicatesDropped());
        assertEquals(List.of(), status);
    }

    @Test
    void aBatchBeyondAGapWaitsWholeWhileTheGapIsPulled()
    {
        useRecovery(new SubscriberContext(), 0);
        batch(7, 1, 3);
        batch(7, 8, 4); // 4..7 missing
        batch(7, 12, 25);
        agent.doWork();
        assertEquals(List.of(4L), recovery.starts);
        for (long sequence = 4; sequence <= 7; sequence++)
        {
            recovered(sequence);
        }
        assertEquals(36, delivered.size());
        for (int i = 0; i < delivered.size(); i++)
        {
            assertEquals(i + 1, delivered.get(i));
        }
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
    }

    @Test
    void aCountEndsTheRunInsideABatch()
    {
        agent = agent(new SubscriberContext().recovery(false).count(5), 0);
        decoder = new FeedDecoder(agent);
        batch(7, 1, 3);
        batch(7, 4, 10);
        batch(7, 14, 10);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), delivered);
        assertEquals(List.of(), status, "what comes after the count is not a gap");
    }

    @Test
    void aSecondPublishersBatchesAndHeartbeatsAreReportedOnceAndNeverDelivered()
    {
        batch(7, 1, 5);
        batch(9, 1, 5); // another journal's stream on the same channel and stream id
        decoder.decode(buffer, 0, encoder.encodeHeartbeat(buffer, 0, 40, 0, FeedState.LIVE, 9));
        batch(7, 6, 2);
        batch(9, 6, 5);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), delivered);
        assertEquals(List.of("other publisher 9 beside 7"), status);
        assertEquals(0, agent.stats().duplicatesDropped());
        assertEquals(0, agent.stats().gapsDetected(), "the other's heartbeat says nothing about ours");
        assertEquals(3, agent.stats().otherPublisher(), "two batches and a heartbeat dropped");
        assertTrue(agent.stats().toSummaryLine().toString().contains("\"epoch\":\"0000000000000007\",\"otherPublisher\":3"),
            agent.stats().toSummaryLine().toString());
    }

    @Test
    void aStoredOffsetOfAnotherStreamIsRefusedAndNothingOfItIsDelivered(@TempDir final Path offsets)
    {
        try (SubscriberOffset offset = SubscriberOffset.open(offsets, "ops"))
        {
            offset.storeEpoch(7);
            offset.store(5);
            agentWith(offset);
            batch(9, 6, 3); // a replaced journal: its own sequence, under another epoch
            decoder.decode(buffer, 0, encoder.encodeHeartbeat(buffer, 0, 8, 0, FeedState.LIVE, 9));
            agent.doWork();
            assertTrue(agent.isDone(), "the run ends");
            assertEquals(List.of(), delivered);
            assertEquals(List.of(), status, "a refusal, not a second publisher beside ours");
            final String refusal = agent.refusal();
            assertTrue(refusal.contains("epoch 0000000000000007") && refusal.contains("epoch 0000000000000009") &&
                refusal.contains("ops.offset") && refusal.contains("--name"), refusal);
            assertEquals(5, offset.lastDelivered(), "the offset is left as it was");
            assertEquals(7, offset.epoch());
        }
    }

    @Test
    void anOffsetWithoutAnEpochFollowsTheFirstHeardAndStoresIt(@TempDir final Path offsets)
    {
        try (SubscriberOffset offset = SubscriberOffset.open(offsets, "ops"))
        {
            offset.store(5); // as a version 1 file: a position, no epoch
            agentWith(offset);
            batch(9, 6, 2);
            assertEquals(List.of(6L, 7L), delivered);
            assertEquals(9, offset.epoch(), "upgraded: the epoch followed is stored");
            assertEquals(7, offset.lastDelivered());
        }
        try (SubscriberOffset offset = SubscriberOffset.open(offsets, "ops"))
        {
            delivered.clear();
            agentWith(offset);
            batch(9, 8, 1); // its own stream first: from now on another epoch is a second publisher, not a refusal
            batch(4, 1, 3);
            agent.doWork();
            assertEquals(List.of(8L), delivered);
            assertEquals(null, agent.refusal());
            assertEquals(List.of("other publisher 4 beside 9"), status);
        }
    }

    private void agentWith(final SubscriberOffset offset)
    {
        agent = new SubscriberAgent(new SubscriberContext().name("ops").offsetsDirectory(Path.of("offsets"))
            .recovery(false).conclude(), null, null, offset, quote -> delivered.add(quote.sequence()), statusRecorder,
            () -> clock.time() * 1_000_000, () -> clock.time() * 1_000_000);
        decoder = new FeedDecoder(agent);
    }

    @Test
    void aDefinitionHeardAheadOfItsTicksAppliesWhenDeliveryReachesThem()
    {
        instrument(1, "AAPL", 1);
        batch(7, 1, 4);
        instrument(1, "AAPL.O", 8); // live runs ahead: from 8 on, not yet
        assertEquals("AAPL", agent.instrument(1).symbol());
        batch(7, 5, 3);
        assertEquals("AAPL", agent.instrument(1).symbol(), "5..7 were published as AAPL");
        batch(7, 8, 1);
        assertEquals("AAPL.O", agent.instrument(1).symbol());
        assertEquals(List.of("instrument AAPL(1)", "instrument AAPL.O(1)"), status);
    }

    @Test
    void aFilteredSubscriberDeliversItsInstrumentsUnderTheDefinitionEachTickWasPublishedWith()
    {
        agent = agent(new SubscriberContext().recovery(false).instruments(List.of("AAPL")), 0);
        decoder = new FeedDecoder(agent);
        definition(1, "AAPL", 1);
        definition(2, "MSFT", 1);
        for (long sequence = 1; sequence <= 6; sequence++)
        {
            quote(sequence, (int)(sequence % 2 == 1 ? 1 : 2));
        }
        definition(1, "AAPL.OLD", 7); // from 7 on, AAPL is id 2
        definition(2, "AAPL", 7);
        quote(7, 1);
        quote(8, 2);
        quote(9, 3); // no definition, and no recovery to ask: not guessed
        assertEquals(List.of(1L, 3L, 5L, 8L), delivered);
        final SubscriberStats stats = agent.stats();
        assertEquals(4, stats.delivered());
        assertEquals(4, stats.filtered());
        assertEquals(1, stats.unresolved());
        assertEquals(8, stats.lastSeq());
        assertEquals(0, stats.gapsDetected());
        assertTrue(stats.toSummaryLine().toString().contains("\"filtered\":4"), stats.toSummaryLine().toString());
    }

    @Test
    void aFilteredLateJoinerPullsWhatItCannotPlaceAndTheMarkersMergeItIntoLive()
    {
        useRecovery(new SubscriberContext().instruments(List.of("AAPL", "ZZZ")), 0);
        quote(10, 1); // no definition yet: is it AAPL? only the journal can say
        assertEquals(List.of(), delivered);
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state());
        agent.doWork();
        assertEquals(List.of(10L), recovery.starts, "pulled from the tick it could not place");
        quote(11, 2);
        quote(12, 1);
        quote(13, 2); // live waits

        final RecoverySource.Handler pull = agent.recoveryHandler();
        pull.onInstrument(1, -2, "AAPL", 1); // every definition in force, first
        pull.onInstrument(2, -2, "MSFT", 1);
        pull.onFilteredBatch(0, 11, 1);
        final MutableQuote ours = new MutableQuote();
        ours.sequence = 10;
        ours.instrumentId = 1;
        pull.onFilteredQuote(ours);
        pull.onFilteredBatchEnd(11); // nothing else of ours up to 11: meets the buffered 12, 13
        agent.doWork();
        assertEquals(List.of(10L, 12L), delivered);
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
        quote(14, 1);
        quote(15, 3); // never defined, and every definition is known: not ours
        assertEquals(List.of(10L, 12L, 14L), delivered);
        final SubscriberStats stats = agent.stats();
        assertEquals(1, stats.recovered());
        assertEquals(3, stats.filtered(), "11 (the marker's), 13 and 15 passed over");
        assertEquals(1, stats.undefinedInstruments(), "ZZZ is nothing's symbol (yet)");
        assertEquals(0, stats.gapsDetected());
    }

    @Test
    void aPullLeftByItsServerResumesFromTheNextServerAtTheNextNeededSequence()
    {
        recovery.silenceTimeoutNanos = TimeUnit.SECONDS.toNanos(1);
        useRecovery(new SubscriberContext(), 0);
        quote(1, 1);
        quote(10, 1); // 2..9 missing: 10 waits
        agent.doWork();
        assertEquals(List.of("0:2"), recovery.asked);
        final RecoverySource.Handler pull = agent.recoveryHandler();
        pull.onJournalHead(10);
        recovered(2);
        recovered(3);
        recovered(4);
        clock.advance(900);
        agent.doWork();
        assertEquals(List.of(), recovery.failures, "heartbeats or not, 0.9 s is not silence");
        clock.advance(200); // server 0 stopped in the middle of the pull: nothing for 1.1 s
        agent.doWork();
        assertEquals(List.of(RecoverySource.PullFailure.SILENT), recovery.failures);
        agent.doWork();
        assertEquals(List.of("0:2", "1:5"), recovery.asked, "at once, from the next needed sequence");
        for (long sequence = 5; sequence <= 9; sequence++)
        {
            recovered(sequence);
        }
        assertEquals(SubscriberAgent.State.LIVE, agent.state(), "merged with the held 10");

        quote(15, 1); // 11..14 missing
        agent.doWork();
        recovery.server++; // server 1 is busy now
        pull.onRefused(false, 0, "TOO_MANY_SESSIONS: 16 sessions");
        agent.doWork();
        assertEquals(List.of("0:2", "1:5", "1:11", "2:11"), recovery.asked);
        for (long sequence = 11; sequence <= 14; sequence++)
        {
            recovered(sequence);
        }
        quote(16, 1);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L), delivered,
            "nothing missed, nothing twice");
        final SubscriberStats stats = agent.stats();
        assertEquals(0, stats.duplicatesDropped());
        assertEquals(2, stats.replayErrors(), "the silence and the refusal");
        assertEquals(2, stats.replayFailovers());
        assertEquals("server 2", stats.replayServer());
        assertTrue(stats.toSummaryLine().toString().contains("\"replayFailovers\":2,"), stats.toSummaryLine().toString());
        assertTrue(status.stream().anyMatch(line -> line.startsWith("problem scripted went silent for 1100 ms")),
            status.toString());
    }

    private void definition(final int id, final String symbol, final long fromSequence)
    {
        decoder.decode(buffer, 0, encoder.encodeInstrument(buffer, 0, new Instrument(id, symbol, -2), fromSequence));
    }

    private void useRecovery(final SubscriberContext context, final long ignored)
    {
        agent = agent(context, 1);
        decoder = new FeedDecoder(agent);
        agent.onStart();
    }

    private SubscriberAgent agent(final SubscriberContext context, final int withRecovery)
    {
        return new SubscriberAgent(context.conclude(), null, withRecovery == 0 ? null : handler -> recovery, null,
            quote -> delivered.add(quote.sequence()), statusRecorder,
            () -> clock.time() * 1_000_000, () -> clock.time() * 1_000_000);
    }

    private void recovered(final long sequence)
    {
        final MutableQuote quote = new MutableQuote();
        quote.sequence = sequence;
        quote.instrumentId = 1;
        agent.recoveryHandler().onQuote(quote); // as the source hands it over in a poll
        agent.doWork(); // the duty cycle that polled it
    }

    /** Records what the agent asks of its recovery source; the test supplies the recovered ticks. */
    static final class ScriptedRecovery implements RecoverySource
    {
        final List<Long> starts = new ArrayList<>();
        /** Which server took each start, and from where: "server:from". */
        final List<String> asked = new ArrayList<>();
        final List<PullFailure> failures = new ArrayList<>();
        boolean reachable = true;
        int stops;
        int snapshots;
        /** Several servers: the next takes over at once after a failure; 0 to be a source without heartbeats. */
        long silenceTimeoutNanos;
        int server;

        public boolean start(final long fromSequence)
        {
            starts.add(fromSequence);
            asked.add(server + ":" + fromSequence);
            return reachable;
        }

        public void failed(final PullFailure why)
        {
            failures.add(why);
            server++;
        }

        public long nextAttemptNanos(final long nowNanos)
        {
            return silenceTimeoutNanos > 0 ? nowNanos : RecoverySource.super.nextAttemptNanos(nowNanos);
        }

        public long silenceTimeoutNanos()
        {
            return silenceTimeoutNanos;
        }

        public long failovers()
        {
            return server;
        }

        public String server()
        {
            return silenceTimeoutNanos > 0 ? "server " + server : null;
        }

        public boolean startSnapshot()
        {
            snapshots++;
            return reachable;
        }

        public int poll(final int limit)
        {
            return 0;
        }

        public void stop()
        {
            stops++;
        }

        public String describe()
        {
            return "scripted";
        }

        public void close()
        {
        }
    }

    private MutableQuote quote(final long sequence, final int instrumentId)
    {
        return quote(sequence, instrumentId, 0);
    }

    private MutableQuote quote(final long sequence, final int instrumentId, final long sendTimestamp)
    {
        final MutableQuote quote = new MutableQuote();
        quote.sequence = sequence;
        quote.instrumentId = instrumentId;
        quote.bidPrice = 100 * sequence;
        quote.askPrice = 100 * sequence + 1;
        quote.bidSize = 10;
        quote.askSize = 20;
        quote.sendTimestamp = sendTimestamp;
        decoder.decode(buffer, 0, encoder.encodeQuote(buffer, 0, quote));
        return quote;
    }

    /** A batch of {@code count} quotes from {@code firstSequence}, all of instrument 1, as a publisher sends it. */
    private void batch(final long epoch, final long firstSequence, final int count)
    {
        final UnsafeBuffer batch = new UnsafeBuffer(new byte[QuoteBatchWriter.length(count)]);
        final QuoteBatchWriter writer = new QuoteBatchWriter().wrap(batch, 0, epoch, firstSequence);
        final MutableQuote quote = new MutableQuote();
        for (long sequence = firstSequence; sequence < firstSequence + count; sequence++)
        {
            quote.sequence = sequence;
            quote.instrumentId = 1;
            quote.bidPrice = 100 * sequence;
            quote.askPrice = 100 * sequence + 1;
            writer.add(quote);
        }
        decoder.decode(batch, 0, writer.length());
    }

    private void instrument(final int id, final String symbol, final long fromSequence)
    {
        decoder.decode(buffer, 0, encoder.encodeInstrument(buffer, 0, new Instrument(id, symbol, -2), fromSequence));
    }

    private void heartbeat(final long lastSequence, final FeedState state)
    {
        decoder.decode(buffer, 0, encoder.encodeHeartbeat(buffer, 0, lastSequence, 0, state, 0));
    }
}
