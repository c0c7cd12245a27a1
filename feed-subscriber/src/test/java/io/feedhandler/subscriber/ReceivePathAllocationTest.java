package io.feedhandler.subscriber;

import io.aeron.ExclusivePublication;
import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.journal.SubscriberOffset;
import io.feedhandler.transport.AeronConnection;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
import io.feedhandler.transport.WallClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receive path allocates nothing in steady state: poll, decode, sequence check, top of book,
 * digest, latency, durable offset and listener, through a real media driver, measured as the bytes
 * this thread allocates over a million ticks after warm-up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReceivePathAllocationTest
{
    static final String CHANNEL = "aeron:ipc?term-length=16m";
    static final int STREAM = 7001;
    static final int TICKS = 1_000_000;

    @TempDir
    Path offsets;

    /** The B line's channel in the two-line case: another path than line A's IPC. */
    static final String B_CHANNEL = "aeron:udp?endpoint=127.0.0.1:40631|term-length=16m";

    @Test
    void aMillionTicksAllocateNothing() throws Exception
    {
        receiveAMillionTicks(null, false);
    }

    /**
     * Every tick on two lines, one in a thousand lost on A: B's copies are dropped, and A's ticks past
     * each hole are held until B fills it. Arbitration allocates nothing either.
     */
    @Test
    void aMillionTicksOnTwoLinesAllocateNothing() throws Exception
    {
        receiveAMillionTicks(null, true);
    }

    /** A filtered subscriber's check (by the definitions of 64 instruments, 3 of them wanted) allocates nothing either. */
    @Test
    void aFilteredSubscribersMillionTicksAllocateNothing() throws Exception
    {
        receiveAMillionTicks(List.of("S1", "S2", "S3"), false);
    }

    private void receiveAMillionTicks(final List<String> instruments, final boolean twoLines) throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long[] heard = {0};
        try (AeronConnection connection = AeronConnection.connect(null);
            ExclusivePublication publication = connection.aeron().addExclusivePublication(CHANNEL, STREAM);
            ExclusivePublication lineB = twoLines ? connection.aeron().addExclusivePublication(B_CHANNEL, STREAM) : null;
            SubscriberOffset offset = SubscriberOffset.open(offsets, "alloc");
            FeedCounters liveCounters = FeedCounters.allocate(connection.aeron(), FeedCounter.Role.SUBSCRIBER, "alloc");
            LatencyLog latencyLog = new LatencyLog(offsets.resolve("alloc.hlog"), 1000, System.currentTimeMillis()))
        {
            // A line wait far beyond B's lag on this host: a hole is always filled, never a gap (no recovery here).
            final SubscriberContext context = new SubscriberContext()
                .transport(t -> t.channel(CHANNEL).bChannel(twoLines ? B_CHANNEL : null).streamId(STREAM))
                .lineWaitNanos(TimeUnit.SECONDS.toNanos(30))
                .offsetsDirectory(offsets).recovery(false).instruments(instruments).conclude();
            final SubscriberAgent agent = new SubscriberAgent(context, connection.aeron(), null, offset,
                quote -> heard[0] += quote.bidSize(), FeedStatusListener.NONE, new SystemNanoClock(),
                new WallClock()).liveCounters(liveCounters).latencyLog(latencyLog); // both part of the duty cycle measured
            agent.onStart();
            final Sender sender = new Sender(publication, lineB);
            sender.defineInstruments(agent);
            if (twoLines)
            {
                // Both lines heard before the first hole: a hole while the other line has not spoken yet is
                // a gap at once (nothing to wait for), and with no recovery here it would be skipped.
                sender.sendAndReceive(agent, 64);
                while (agent.stats().lines().get(1).firstSeen() + agent.stats().lines().get(1).secondSeen() < 64)
                {
                    agent.doWork();
                }
            }

            sender.sendAndReceive(agent, 200_000); // warm-up: JIT, map growth, first instruments
            final long before = threads.getThreadAllocatedBytes(threadId);
            sender.sendAndReceive(agent, TICKS);
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            agent.onClose();

            final SubscriberStats stats = agent.stats();
            final int sent = 200_000 + TICKS + (twoLines ? 64 : 0);
            assertEquals(sent, stats.delivered() + stats.filtered(), stats.toSummaryLine().toString());
            assertEquals(0, stats.gapsDetected());
            if (twoLines)
            {
                assertEquals(sent / Sender.LOST_ON_A, stats.lines().get(0).gaps(), stats.toSummaryLine().toString());
            }
            assertEquals(instruments == null ? 0 : sent * 61 / 64, stats.filtered());
            assertTrue(heard[0] > 0);
            // Per tick would be at least 16 MB (one object per tick); what a million ticks may cost is a
            // few hundred bytes, once (Chronicle mapping the next chunk of the cycle file).
            assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes over " + TICKS + " ticks");
        }
    }

    /** Offers quotes and runs the subscriber's duty cycle on this same thread. */
    static final class Sender
    {
        /** With a B line: one tick in this many is not sent on line A. */
        static final int LOST_ON_A = 1000;

        private final ExclusivePublication publication;
        private final ExclusivePublication lineB;
        private final FeedEncoder encoder = new FeedEncoder();
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        private final MutableQuote quote = new MutableQuote();
        private long sequence;

        Sender(final ExclusivePublication publication, final ExclusivePublication lineB)
        {
            this.publication = publication;
            this.lineB = lineB;
            quote.bidPrice = 10_000_000_000L;
            quote.askPrice = 10_001_000_000L;
            quote.bidSize = 100;
            quote.askSize = 200;
        }

        /** Definitions of the 64 instruments, S1..S64, from the first sequence. */
        void defineInstruments(final SubscriberAgent agent)
        {
            for (int id = 1; id <= 64; id++)
            {
                final int length = encoder.encodeInstrument(buffer, 0, new Instrument(id, "S" + id, -2), 1);
                offer(publication, agent, length);
                if (lineB != null)
                {
                    offer(lineB, agent, length);
                }
            }
        }

        /**
         * Sends {@code count} (a multiple of 64) ticks of instruments 1..64 in turn and runs the duty cycle
         * until the last, of instrument 1, is delivered.
         */
        void sendAndReceive(final SubscriberAgent agent, final int count) throws Exception
        {
            final long target = sequence + count;
            while (sequence < target)
            {
                quote.sequence = sequence + 1;
                quote.instrumentId = (int)(quote.sequence % 64) + 1;
                quote.sendTimestamp = quote.exchangeTimestamp;
                final int length = encoder.encodeQuote(buffer, 0, quote);
                if (lineB == null)
                {
                    if (publication.offer(buffer, 0, length) > 0)
                    {
                        sequence++;
                    }
                    else
                    {
                        agent.doWork();
                    }
                }
                else
                {
                    if (quote.sequence % LOST_ON_A != 0)
                    {
                        offer(publication, agent, length);
                    }
                    offer(lineB, agent, length);
                    sequence++;
                }
                if ((sequence & 63) == 0)
                {
                    agent.doWork();
                }
            }
            while (agent.lastDeliveredSequence() < target)
            {
                agent.doWork();
            }
        }

        private void offer(final ExclusivePublication line, final SubscriberAgent agent, final int length)
        {
            while (line.offer(buffer, 0, length) < 0)
            {
                agent.doWork();
            }
        }
    }
}
