package io.feedhandler.subscriber;

import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.sbe.FeedState;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A/B arbitration: the subscriber fed the same batches on lines A and B directly (no network), with a
 * clock the test moves. Each test records what the subscriber told its listeners as typed events.
 */
class RedundantLinesTest
{
    private static final long EPOCH = 7;
    private static final long LINE_WAIT_NANOS = 2_000_000;

    /** What the status listener heard. */
    sealed interface Event
    {
    }

    record Gap(long from, long to) implements Event
    {
    }

    record RecoveryStarted(long from) implements Event
    {
    }

    record Recovered(long upTo) implements Event
    {
    }

    record StreamReset(long lastDelivered, long publisherLast) implements Event
    {
    }

    private final List<Long> delivered = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final Pull pull = new Pull();
    private final FeedStatusListener recorder = new FeedStatusListener()
    {
        public void onGap(final long fromSequence, final long toSequence)
        {
            events.add(new Gap(fromSequence, toSequence));
        }

        public void onRecoveryStarted(final long fromSequence)
        {
            events.add(new RecoveryStarted(fromSequence));
        }

        public void onRecovered(final long upToSequence)
        {
            events.add(new Recovered(upToSequence));
        }

        public void onStreamReset(final long lastDelivered, final long publisherLastSequence)
        {
            events.add(new StreamReset(lastDelivered, publisherLastSequence));
        }
    };
    private final FeedEncoder encoder = new FeedEncoder();
    private final UnsafeBuffer control = new UnsafeBuffer(new byte[128]);
    private long nowNanos = 1_000_000_000L;
    private final SubscriberAgent agent = new SubscriberAgent(
        new SubscriberContext().transport(t -> t.channel("aeron:udp?endpoint=127.0.0.1:40001")
            .bChannel("aeron:udp?endpoint=127.0.0.1:40002")).lineWaitNanos(LINE_WAIT_NANOS).conclude(),
        null, handler ->
        {
            pull.handler = handler;
            return pull;
        }, null, quote -> delivered.add(quote.sequence()), recorder, () -> nowNanos, () -> nowNanos);

    {
        agent.onStart();
    }

    @Test
    void theSameBatchesOnBothLinesAreDeliveredOnce()
    {
        for (long first = 1; first <= 100; first += 10)
        {
            final Line leader = first % 20 == 1 ? Line.A : Line.B;
            batch(leader, first, 10);
            batch(leader == Line.A ? Line.B : Line.A, first, 10);
        }
        assertEquals(sequences(1, 100), delivered);
        final SubscriberStats stats = agent.stats();
        assertEquals(0, stats.duplicatesDropped(), "what the other line brought first is not a duplicate");
        assertEquals(0, stats.gapsDetected());
        assertEquals(50, stats.lines().get(0).firstSeen());
        assertEquals(50, stats.lines().get(1).firstSeen());
        assertEquals(50, stats.lines().get(0).secondSeen());
        assertEquals(List.of(), events);
        final String summary = stats.toSummaryLine().toString();
        assertTrue(summary.contains("\"lines\":{\"a\":{\"channel\":\"aeron:udp?endpoint=127.0.0.1:40001\""), summary);
    }

    @Test
    void aHoleInOneLineThatTheOtherFillsIsNoGap()
    {
        batch(Line.A, 1, 5);
        batch(Line.B, 1, 5);
        batch(Line.A, 11, 5); // A lost 6..10: held, not a gap yet
        assertEquals(sequences(1, 5), delivered);
        batch(Line.B, 6, 5); // B brings them, then A's held ticks follow
        assertEquals(sequences(1, 15), delivered);
        batch(Line.B, 11, 5);
        later(LINE_WAIT_NANOS * 10);
        assertEquals(sequences(1, 15), delivered);
        final SubscriberStats stats = agent.stats();
        assertEquals(0, stats.gapsDetected());
        assertEquals(0, stats.replaySessions());
        assertEquals(1, stats.lines().get(0).gaps());
        assertEquals(5, stats.lines().get(0).gapTicks());
        assertEquals(1, stats.lineGapsCovered());
        assertEquals(List.of(), events);
        assertEquals(List.of(), pull.starts);
    }

    @Test
    void aHoleTheOtherLineDoesNotFillInTimeIsAGapAndIsRecoveredExactly()
    {
        batch(Line.A, 1, 5);
        batch(Line.B, 1, 5);
        batch(Line.A, 8, 3); // A lost 6..7; B is slow to bring them
        later(LINE_WAIT_NANOS - 1);
        assertEquals(List.of(), events, "still within the line wait");
        later(1);
        assertEquals(List.of(new Gap(6, 7), new RecoveryStarted(6)), events);
        assertEquals(List.of(6L), pull.starts);
        pull.deliver(6, 7); // the pull meets the held 8..10
        assertEquals(sequences(1, 10), delivered);
        assertEquals(new Recovered(10), events.get(events.size() - 1));
        batch(Line.B, 6, 5); // too late: all delivered already
        assertEquals(sequences(1, 10), delivered);
        final SubscriberStats stats = agent.stats();
        assertEquals(1, stats.gapsDetected());
        assertEquals(2, stats.recovered());
        assertEquals(0, stats.duplicatesDropped());
        assertEquals(0, stats.lineGapsCovered());
    }

    @Test
    void aHoleInBothLinesIsAGapAtOnce()
    {
        batch(Line.A, 1, 5);
        batch(Line.B, 1, 5);
        batch(Line.A, 8, 3); // both lose 6..7: when B skips them too, nothing is left to wait for
        assertEquals(List.of(), events);
        batch(Line.B, 8, 3);
        assertEquals(List.of(new Gap(6, 7), new RecoveryStarted(6)), events);
        agent.doWork();
        pull.deliver(6, 7);
        assertEquals(sequences(1, 10), delivered);
        assertEquals(0, agent.stats().lineGapsCovered());
    }

    @Test
    void whenTheOtherLineSkipsFurtherItIsAGapAtOnce()
    {
        batch(Line.A, 1, 5);
        batch(Line.B, 1, 5);
        batch(Line.A, 8, 3); // A lost 6..7
        batch(Line.B, 12, 2); // B lost 6..11: nobody brings 6 now
        assertEquals(List.of(new Gap(6, 7), new RecoveryStarted(6)), events);
        agent.doWork();
        pull.deliver(6, 11);
        assertEquals(sequences(1, 13), delivered);
    }

    @Test
    void aSilentOtherLineIsNotWaitedFor()
    {
        batch(Line.A, 1, 5); // B has never spoken
        batch(Line.A, 8, 3);
        assertEquals(List.of(new Gap(6, 7), new RecoveryStarted(6)), events);
    }

    @Test
    void aTailMissingOnOneLineIsWaitedForOnTheOther()
    {
        batch(Line.A, 1, 5);
        batch(Line.B, 1, 3);
        heartbeat(Line.B, 5, FeedState.LIVE); // B lost 4..5, the heartbeat shows it; A had them
        assertEquals(List.of(), events, "B's own tail: A brought it");
        heartbeat(Line.A, 8, FeedState.LIVE); // both lost 6..8
        batch(Line.B, 6, 3); // but B brings them within the wait
        later(LINE_WAIT_NANOS * 2);
        assertEquals(List.of(), events);
        assertEquals(sequences(1, 8), delivered);

        heartbeat(Line.A, 10, FeedState.LIVE); // 9..10 on neither line
        later(LINE_WAIT_NANOS);
        assertEquals(List.of(new Gap(9, 10), new RecoveryStarted(9)), events);
    }

    @Test
    void aTrailingLinesOlderHeartbeatIsNoStreamResetButALineGoingBackIs()
    {
        batch(Line.A, 1, 10);
        batch(Line.B, 1, 5);
        heartbeat(Line.B, 5, FeedState.LIVE); // B trails A: late, not a reset
        batch(Line.B, 6, 5);
        assertEquals(List.of(), events);
        assertEquals(sequences(1, 10), delivered);

        heartbeat(Line.A, 3, FeedState.LIVE); // A itself goes back: the publisher's journal was reset
        assertEquals(List.of(new StreamReset(10, 3)), events);
        batch(Line.A, 4, 2);
        batch(Line.B, 4, 2);
        assertEquals(List.of(4L, 5L), delivered.subList(10, 12));
    }

    @Test
    void whileRecoveringTheTrailingLineFillsWhatIsMissingAndNothingIsDeliveredTwice()
    {
        batch(Line.A, 1, 5);
        batch(Line.B, 1, 3);
        batch(Line.A, 8, 3); // A lost 6..7; B trails
        later(LINE_WAIT_NANOS); // B did not bring them in time: recovering from 6, 8..10 buffered
        agent.doWork();
        assertEquals(List.of(6L), pull.starts);
        batch(Line.B, 4, 2); // already delivered from A: dropped, and no sign that the pull overtook live
        assertEquals(SubscriberAgent.State.RECOVERING, agent.state());
        batch(Line.B, 6, 5); // the trailing line brings 6 and 7 after all: delivered, then the buffered 8..10
        assertEquals(sequences(1, 10), delivered);
        assertEquals(SubscriberAgent.State.LIVE, agent.state());
        pull.deliver(6, 7); // the pull's answers, late: duplicates
        assertEquals(sequences(1, 10), delivered);
    }

    /**
     * Random loss and skew on both lines, pulls answered from the "journal": every sequence exactly
     * once, in order, whatever the interleaving.
     */
    @Test
    void anyInterleavingOfTwoLossyLinesDeliversEverySequenceOnceInOrder()
    {
        for (int seed = 1; seed <= 40; seed++)
        {
            final RedundantLinesTest run = new RedundantLinesTest();
            run.randomRun(new SplittableRandom(seed), 2_000);
            assertEquals(sequences(1, 2_000), run.delivered, "seed " + seed);
        }
    }

    private void randomRun(final SplittableRandom random, final long last)
    {
        final List<long[]> batches = new ArrayList<>();
        for (long first = 1; first <= last; )
        {
            final int count = (int)Math.min(1 + random.nextInt(8), last - first + 1);
            batches.add(new long[]{first, count});
            first += count;
        }
        int a = 0;
        int b = 0;
        while (a < batches.size() || b < batches.size())
        {
            final boolean takeA = b >= batches.size() || a < batches.size() && random.nextBoolean();
            final long[] next = batches.get(takeA ? a++ : b++);
            if (random.nextInt(10) != 0) // each line loses a tenth of its batches
            {
                batch(takeA ? Line.A : Line.B, next[0], (int)next[1]);
            }
            if (random.nextInt(4) == 0)
            {
                later(random.nextInt((int)LINE_WAIT_NANOS * 2));
                if (pull.active)
                {
                    pull.deliver(pull.next, Math.min(last, pull.next + random.nextInt(20)));
                }
            }
        }
        heartbeat(Line.A, last, FeedState.ENDED);
        heartbeat(Line.B, last, FeedState.ENDED);
        for (int i = 0; i < 100 && agent.lastDeliveredSequence() < last; i++)
        {
            later(SubscriberConfiguration.RECOVERY_RETRY_NANOS); // a pull asked again is asked after the retry interval
            if (pull.active)
            {
                pull.deliver(pull.next, last);
            }
        }
    }

    private void later(final long nanos)
    {
        nowNanos += nanos;
        agent.doWork();
    }

    private static List<Long> sequences(final long from, final long to)
    {
        final List<Long> sequences = new ArrayList<>();
        for (long sequence = from; sequence <= to; sequence++)
        {
            sequences.add(sequence);
        }
        return sequences;
    }

    /** A batch as the publisher sends it, arriving on {@code line}. */
    private void batch(final Line line, final long firstSequence, final int count)
    {
        final UnsafeBuffer batch = new UnsafeBuffer(new byte[QuoteBatchWriter.length(count)]);
        final QuoteBatchWriter writer = new QuoteBatchWriter().wrap(batch, 0, EPOCH, firstSequence);
        final MutableQuote quote = new MutableQuote();
        for (long sequence = firstSequence; sequence < firstSequence + count; sequence++)
        {
            writer.add(tick(quote, sequence));
        }
        agent.onLineMessage(line, batch, 0, writer.length());
    }

    private void heartbeat(final Line line, final long lastSequence, final FeedState state)
    {
        agent.onLineMessage(line, control, 0, encoder.encodeHeartbeat(control, 0, lastSequence, nowNanos, state, EPOCH));
    }

    private MutableQuote tick(final MutableQuote quote, final long sequence)
    {
        quote.sequence = sequence;
        quote.instrumentId = 1;
        quote.bidPrice = 100 * sequence;
        quote.askPrice = 100 * sequence + 1;
        quote.bidSize = 10;
        quote.askSize = 20;
        quote.sendTimestamp = nowNanos; // sent just now: live does not trail
        return quote;
    }

    /** A recovery source whose pull the test answers, from the sequence asked for, as a journal would. */
    final class Pull implements RecoverySource
    {
        final List<Long> starts = new ArrayList<>();
        final MutableQuote quote = new MutableQuote();
        RecoverySource.Handler handler;
        boolean active;
        long next;

        public boolean start(final long fromSequence)
        {
            starts.add(fromSequence);
            active = true;
            next = fromSequence;
            return true;
        }

        public boolean startSnapshot()
        {
            return false;
        }

        public int poll(final int limit)
        {
            return 0;
        }

        /** The pull brings {@code from..to} (what the journal holds, in order). */
        void deliver(final long from, final long to)
        {
            for (long sequence = from; sequence <= to && active; sequence++)
            {
                handler.onQuote(tick(quote, sequence));
                next = sequence + 1;
            }
        }

        public void stop()
        {
            active = false;
        }

        public String describe()
        {
            return "test pull";
        }

        public void close()
        {
        }
    }
}
