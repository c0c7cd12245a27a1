package io.feedhandler.publisher;

import io.feedhandler.journal.JournalConfiguration;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.transport.AeronConnection;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
import io.feedhandler.transport.WallClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publish path allocates nothing in steady state: tick source, sequence, encode, journal append
 * and live offer, through a real media driver and a real journal on disk, measured as the bytes this
 * thread allocates over a million ticks after warm-up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishPathAllocationTest
{
    private static final long WARM_UP = 600_000;
    static final String CHANNEL = "aeron:ipc?term-length=16m";
    static final int STREAM = 7002;
    static final int TICKS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    @Order(1)
    void aMillionTicksAllocateNothing() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        try (AeronConnection connection = AeronConnection.connect(null);
            Journal journal = Journal.open(dir);
            JournalWriter writer = journal.newWriter();
            ExclusivePublication publication = connection.aeron().addExclusivePublication(CHANNEL, STREAM);
            Subscription drain = connection.aeron().addSubscription(CHANNEL, STREAM);
            FeedCounters liveCounters = FeedCounters.allocate(connection.aeron(), FeedCounter.Role.PUBLISHER, "alloc"))
        {
            final PublisherContext context = new PublisherContext().transport(t -> t.channel(CHANNEL).streamId(STREAM))
                .journalDirectory(dir).source(new SyntheticMarket(50, 1)).rate(0).connectTimeoutNanos(0)
                .replayServer(null).conclude();
            final PublisherAgent agent = new PublisherAgent(context, publication, null, writer, 0, 1L, java.util.List.of(),
                connection.aeron().countersReader(), new SystemNanoClock(), new WallClock(), () -> 0)
                .liveCounters(liveCounters); // their refresh is part of the duty cycle measured
            agent.onStart();
            final long[] received = {0};
            final io.aeron.logbuffer.FragmentHandler counter = (buffer, offset, length, header) ->
                received[0] += io.feedhandler.codecs.QuoteBatchWriter.count(buffer, offset); // ticks, in batches

            run(agent, drain, counter, WARM_UP); // JIT settles (a late recompilation allocates once)
            final long allocated = steadyStateAllocation(threads, threadId,
                published -> run(agent, drain, counter, published + TICKS), WARM_UP);

            assertTrue(received[0] >= WARM_UP + TICKS, "live got them: " + received[0]);
            // Per tick would be at least 16 MB (one object per tick); what a million ticks may cost is a
            // few hundred bytes, once (Chronicle mapping the next chunk of the cycle file).
            assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes over " + TICKS + " ticks");
        }
    }

    /**
     * Runs second: the JIT compiled the journaling branch in the first test, so the first live-only
     * ticks deoptimise it, and until it is compiled again the interpreter allocates what C2 would not
     * (once, not per tick: about 24 KB measured with the two branches the other way round). A longer
     * warm-up lets that settle before measuring.
     */
    @Test
    @Order(2)
    void liveOnlyOnAFullDiskAllocatesNothingEither() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long reserve = io.feedhandler.journal.JournalConfiguration.MIN_MIN_FREE_DISK_BYTES;
        try (AeronConnection connection = AeronConnection.connect(null);
            Journal journal = Journal.open(dir);
            // The disk is at its reserve from the start: every tick is sent live-only and recorded.
            JournalWriter writer = journal.newWriter(new io.feedhandler.journal.JournalSpace(() -> reserve, reserve));
            ExclusivePublication publication = connection.aeron().addExclusivePublication(CHANNEL, STREAM + 1);
            Subscription drain = connection.aeron().addSubscription(CHANNEL, STREAM + 1))
        {
            final PublisherContext context = new PublisherContext().transport(t -> t.channel(CHANNEL).streamId(STREAM + 1))
                .journalDirectory(dir).source(new SyntheticMarket(50, 1)).rate(0).connectTimeoutNanos(0)
                .replayServer(null).journalFullPolicy(JournalFullPolicy.LIVE_ONLY).conclude();
            final PublisherAgent agent = new PublisherAgent(context, publication, null, writer, 0, 1L, java.util.List.of(),
                connection.aeron().countersReader(), new SystemNanoClock(), new WallClock(), () -> 0);
            agent.onStart();
            final long[] received = {0};
            final io.aeron.logbuffer.FragmentHandler counter = (buffer, offset, length, header) ->
                received[0] += io.feedhandler.codecs.QuoteBatchWriter.count(buffer, offset); // ticks, in batches

            run(agent, drain, counter, 1_000_000);
            final long allocated = steadyStateAllocation(threads, threadId,
                published -> run(agent, drain, counter, published + TICKS), agent.publishedCount());

            assertTrue(received[0] >= 1_000_000 + TICKS, "live got them: " + received[0]);
            assertTrue(agent.journalGate().state() == JournalState.LIVE_ONLY);
            assertTrue(journal.notJournaled().lastSequence() >= 1_000_000 + TICKS);
            assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes over " + TICKS + " ticks");
        }
    }

    /** Runs a window of {@link #TICKS} ticks from what was published so far. */
    interface Window
    {
        void run(long publishedSoFar) throws Exception;
    }

    /**
     * Bytes the thread allocated over a window of {@link #TICKS} ticks in steady state: the least of
     * up to three consecutive windows, stopping at the first under the bound. A late JIT
     * recompilation (or a deoptimisation) allocates once, in whichever window it falls, while
     * anything allocated per tick shows in every window (16 MB or more).
     */
    static long steadyStateAllocation(
        final com.sun.management.ThreadMXBean threads, final long threadId, final Window window, final long published)
        throws Exception
    {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3 && least >= 16 * 1024; i++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            window.run(published + (long)i * TICKS);
            least = Math.min(least, threads.getThreadAllocatedBytes(threadId) - before);
        }
        return least;
    }

    private static void run(
        final PublisherAgent agent, final Subscription drain, final io.aeron.logbuffer.FragmentHandler counter,
        final long untilPublished) throws Exception
    {
        while (agent.publishedCount() < untilPublished)
        {
            agent.doWork();
            drain.poll(counter, 1024);
        }
        while (drain.poll(counter, 1024) > 0)
        {
            Thread.onSpinWait();
        }
    }
}
