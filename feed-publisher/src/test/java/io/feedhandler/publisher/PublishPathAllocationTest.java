package io.feedhandler.publisher;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.transport.AeronConnection;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
import io.feedhandler.transport.WallClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
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
class PublishPathAllocationTest
{
    static final String CHANNEL = "aeron:ipc?term-length=16m";
    static final int STREAM = 7002;
    static final int TICKS = 1_000_000;

    @TempDir
    Path dir;

    @Test
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
            final PublisherContext context = new PublisherContext().channel(CHANNEL).streamId(STREAM)
                .journalDirectory(dir).source(new SyntheticMarket(50, 1)).rate(0).connectTimeoutNanos(0)
                .replayServer(null).conclude();
            final PublisherAgent agent = new PublisherAgent(context, publication, writer, 0,
                connection.aeron().countersReader(), new SystemNanoClock(), new WallClock(), () -> 0)
                .liveCounters(liveCounters); // their refresh is part of the duty cycle measured
            agent.onStart();
            final long[] received = {0};
            final io.aeron.logbuffer.FragmentHandler counter = (buffer, offset, length, header) -> received[0]++;

            run(agent, drain, counter, 200_000);
            final long before = threads.getThreadAllocatedBytes(threadId);
            run(agent, drain, counter, 200_000 + TICKS);
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

            assertTrue(received[0] >= 200_000 + TICKS, "live got them: " + received[0]);
            // Per tick would be at least 16 MB (one object per tick); what a million ticks may cost is a
            // few hundred bytes, once (Chronicle mapping the next chunk of the cycle file).
            assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes over " + TICKS + " ticks");
        }
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
