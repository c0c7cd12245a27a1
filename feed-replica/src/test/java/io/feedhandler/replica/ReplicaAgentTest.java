package io.feedhandler.replica;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalIdentity;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.journal.ReplicaState;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.SubscriberAgent;
import io.feedhandler.subscriber.SubscriberContext;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The duty cycle: delivery reaches the journal at each cycle's flush; where the replica stands, every state interval. */
class ReplicaAgentTest
{
    private static final long EPOCH = 7;

    @TempDir
    Path dir;

    private final CachedNanoClock clock = new CachedNanoClock();

    @Test
    void eachCycleFlushesWhatItDeliveredAndTheStateIsWrittenEveryInterval()
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter();
            ReplicaState state = ReplicaState.open(dir))
        {
            final ReplicaJournal replicaJournal = new ReplicaJournal(dir, writer, journal.instruments(), null,
                ReplicaJournalTest.CHANNEL, 1001, ReplicaJournalTest.UPSTREAM, 0, 25, FeedStatusListener.NONE);
            final SubscriberAgent subscriber = new SubscriberAgent(new SubscriberContext().recovery(false).conclude(),
                null, null, null, replicaJournal, replicaJournal, clock, clock::nanoTime);
            final ReplicaAgent agent = new ReplicaAgent(subscriber, replicaJournal, state, null, clock, clock::nanoTime,
                TimeUnit.MILLISECONDS.toNanos(100));
            clock.update(TimeUnit.SECONDS.toNanos(1));
            agent.onStart();
            assertEquals(ReplicaState.State.AWAITING_UPSTREAM, state.snapshot().state());

            live(subscriber, 1, 3);
            assertEquals(EPOCH, JournalIdentity.read(dir).epoch(), "the stream is named before anything is appended");
            assertEquals(0, journal.lastSequence(), "delivered, not yet flushed");
            agent.doWork();
            assertEquals(3, journal.lastSequence(), "flushed at the end of the cycle");
            assertEquals(0, state.snapshot().lastSequence(), "the state waits for its interval");

            live(subscriber, 4, 2);
            clock.advance(TimeUnit.MILLISECONDS.toNanos(100));
            agent.doWork();
            assertEquals(2, journal.entryCount(), "one entry per cycle at this rate");
            final ReplicaState.Snapshot standing = state.snapshot();
            assertEquals(5, standing.lastSequence());
            assertEquals(5, standing.upstreamHead());
            assertEquals(ReplicaState.State.FOLLOWING, standing.state());
            assertEquals(1_100, standing.updatedEpochMs());

            agent.onClose();
            assertEquals(ReplicaState.State.STOPPED, state.snapshot().state());
        }
    }

    /** A live batch of {@code count} quotes from {@code first}, as the live stream hands it to the subscriber. */
    private static void live(final SubscriberAgent subscriber, final long first, final int count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[QuoteBatchWriter.length(count)]);
        final QuoteBatchWriter batch = new QuoteBatchWriter().wrap(buffer, 0, EPOCH, first);
        final MutableQuote quote = new MutableQuote();
        for (long sequence = first; sequence < first + count; sequence++)
        {
            quote.sequence = sequence;
            quote.instrumentId = 1;
            quote.bidPrice = 100 * sequence;
            quote.askPrice = 100 * sequence + 1;
            batch.add(quote);
        }
        new FeedDecoder(subscriber).decode(buffer, 0, batch.length());
    }
}
