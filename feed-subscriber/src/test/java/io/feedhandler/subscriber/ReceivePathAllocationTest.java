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

    @Test
    void aMillionTicksAllocateNothing() throws Exception
    {
        receiveAMillionTicks(null);
    }

    /** A filtered subscriber's check (by the definitions of 64 instruments, 3 of them wanted) allocates nothing either. */
    @Test
    void aFilteredSubscribersMillionTicksAllocateNothing() throws Exception
    {
        receiveAMillionTicks(List.of("S1", "S2", "S3"));
    }

    private void receiveAMillionTicks(final List<String> instruments) throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long[] heard = {0};
        try (AeronConnection connection = AeronConnection.connect(null);
            ExclusivePublication publication = connection.aeron().addExclusivePublication(CHANNEL, STREAM);
            SubscriberOffset offset = SubscriberOffset.open(offsets, "alloc");
            FeedCounters liveCounters = FeedCounters.allocate(connection.aeron(), FeedCounter.Role.SUBSCRIBER, "alloc");
            LatencyLog latencyLog = new LatencyLog(offsets.resolve("alloc.hlog"), 1000, System.currentTimeMillis()))
        {
            final SubscriberContext context = new SubscriberContext().transport(t -> t.channel(CHANNEL).streamId(STREAM))
                .offsetsDirectory(offsets).recovery(false).instruments(instruments).conclude();
            final SubscriberAgent agent = new SubscriberAgent(context, connection.aeron(), null, offset,
                quote -> heard[0] += quote.bidSize(), FeedStatusListener.NONE, new SystemNanoClock(),
                new WallClock()).liveCounters(liveCounters).latencyLog(latencyLog); // both part of the duty cycle measured
            agent.onStart();
            final Sender sender = new Sender(publication);
            sender.defineInstruments(agent);

            sender.sendAndReceive(agent, 200_000); // warm-up: JIT, map growth, first instruments
            final long before = threads.getThreadAllocatedBytes(threadId);
            sender.sendAndReceive(agent, TICKS);
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            agent.onClose();

            final SubscriberStats stats = agent.stats();
            assertEquals(200_000 + TICKS, stats.delivered() + stats.filtered());
            assertEquals(instruments == null ? 0 : (200_000 + TICKS) * 61 / 64, stats.filtered());
            assertTrue(heard[0] > 0);
            // Per tick would be at least 16 MB (one object per tick); what a million ticks may cost is a
            // few hundred bytes, once (Chronicle mapping the next chunk of the cycle file).
            assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes over " + TICKS + " ticks");
        }
    }

    /** Offers quotes and runs the subscriber's duty cycle on this same thread. */
    static final class Sender
    {
        private final ExclusivePublication publication;
        private final FeedEncoder encoder = new FeedEncoder();
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        private final MutableQuote quote = new MutableQuote();
        private long sequence;

        Sender(final ExclusivePublication publication)
        {
            this.publication = publication;
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
                while (publication.offer(buffer, 0, length) < 0)
                {
                    agent.doWork();
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
                if (publication.offer(buffer, 0, length) > 0)
                {
                    sequence++;
                }
                else
                {
                    agent.doWork();
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
    }
}
