package io.feedhandler.perf;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalEntryHandler;
import io.feedhandler.journal.JournalReader;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.publisher.TickSchedule;
import io.feedhandler.sbe.MessageHeaderDecoder;
import io.feedhandler.sbe.QuoteDecoder;
import io.feedhandler.transport.WallClock;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The baselines every feed figure is compared with, on the same schedule, payload and idle
 * strategy: raw Aeron as a user of Aeron alone would write it (one 68-byte encoded quote per
 * {@code offer}, on the same channel, nothing else), raw Aeron batched the way the feed batches
 * (every tick that is due, up to the batch limit, in one {@code QuoteBatch} per {@code offer}: what
 * is left for the feed to win), and the journal alone (the feed's batches appended on schedule, a
 * tailer on another thread reading them).
 */
final class Baselines
{
    static final int SEND_TIMESTAMP_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH + QuoteDecoder.sendTimestampEncodingOffset();

    private Baselines()
    {
    }

    /** The latency of every quote in a message: one version 1 quote, or each quote of a batch (one clock read). */
    static void recordEach(
        final LatencyRecorder recorder, final WallClock clock, final DirectBuffer buffer, final int offset, final int length)
    {
        final long now = clock.nanoTime();
        if (!QuoteBatchWriter.isBatch(buffer, offset, length))
        {
            recorder.record(buffer.getLong(offset + SEND_TIMESTAMP_OFFSET, QuoteDecoder.BYTE_ORDER), now);
            return;
        }
        final int count = QuoteBatchWriter.count(buffer, offset);
        int entry = QuoteBatchWriter.entriesOffset(buffer, offset) + QuoteBatchWriter.SEND_TIMESTAMP;
        for (int i = 0; i < count; i++, entry += QuoteBatchWriter.ENTRY_LENGTH)
        {
            recorder.record(buffer.getLong(entry, QuoteDecoder.BYTE_ORDER), now);
        }
    }

    /**
     * Sends quotes on a fixed schedule, stamped with their due time, to a sink: one version 1 quote
     * per message ({@code batch} 0), or every tick that is due, up to {@code batch}, in one
     * {@code QuoteBatch} (the feed's natural batching).
     */
    abstract static class ScheduledSender implements Agent
    {
        private final TickSchedule schedule;
        private final long count;
        private final int batch;
        private final WallClock clock = new WallClock();
        private final FeedEncoder encoder = new FeedEncoder();
        private final QuoteBatchWriter writer = new QuoteBatchWriter();
        private final MutableQuote quote = new MutableQuote();
        final UnsafeBuffer buffer;
        private long sent;
        private long startNanos;
        private boolean pending;
        private int pendingTicks;
        int length;

        ScheduledSender(final long rate, final long count, final int batch)
        {
            this.schedule = new TickSchedule(rate, 1);
            this.count = count;
            this.batch = batch;
            this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                org.agrona.BitUtil.align(QuoteBatchWriter.length(Math.max(1, batch)), 64), 64));
            quote.instrumentId = 7;
            quote.bidPrice = 10_125_000_000L;
            quote.askPrice = 10_127_000_000L;
            quote.bidSize = 300;
            quote.askSize = 500;
        }

        public void onStart()
        {
            startNanos = System.nanoTime();
            schedule.start(startNanos);
        }

        public int doWork()
        {
            if (sent >= count && !pending)
            {
                throw new AgentTerminationException();
            }
            final long now = System.nanoTime();
            final long epochNow = clock.nanoTime();
            int work = 0;
            while (work < 256 && (pending || sent < count))
            {
                if (!pending)
                {
                    if (schedule.dueNanos(sent) > now)
                    {
                        break;
                    }
                    pendingTicks = 0;
                    if (batch == 0)
                    {
                        next(now, epochNow);
                        length = encoder.encodeQuote(buffer, 0, quote);
                        pendingTicks = 1;
                    }
                    else
                    {
                        writer.wrap(buffer, 0, 1, sent + 1);
                        while (pendingTicks < batch && sent + pendingTicks < count &&
                            schedule.dueNanos(sent + pendingTicks) <= now)
                        {
                            next(now, epochNow);
                            writer.add(quote);
                            pendingTicks++;
                        }
                        length = writer.length();
                    }
                    pending = true;
                }
                if (!send())
                {
                    break;
                }
                pending = false;
                sent += pendingTicks;
                work++;
            }
            return work;
        }

        private void next(final long now, final long epochNow)
        {
            final long index = sent + pendingTicks;
            quote.sequence = index + 1;
            quote.sendTimestamp = epochNow - (now - schedule.dueNanos(index));
        }

        /** @return true when the message was taken. */
        abstract boolean send();

        public String roleName()
        {
            return "perf-sender";
        }
    }

    /** Raw Aeron: offer, retry on back-pressure. */
    static final class AeronSender extends ScheduledSender
    {
        private final ExclusivePublication publication;

        AeronSender(final ExclusivePublication publication, final long rate, final long count, final int batch)
        {
            super(rate, count, batch);
            this.publication = publication;
        }

        boolean send()
        {
            final long result = publication.offer(buffer, 0, length);
            return result > 0 || result == Publication.NOT_CONNECTED;
        }
    }

    /** Raw Aeron receiver: reads the send timestamp of each message and records latency. */
    static final class AeronReceiver implements Agent
    {
        private final Subscription subscription;
        private final LatencyRecorder recorder;
        private final long count;
        private final WallClock clock = new WallClock();
        private final FragmentHandler handler;

        AeronReceiver(final Subscription subscription, final LatencyRecorder recorder, final long count)
        {
            this.subscription = subscription;
            this.recorder = recorder;
            this.count = count;
            this.handler = (buffer, offset, length, header) -> recordEach(recorder, clock, buffer, offset, length);
        }

        public int doWork()
        {
            if (recorder.count() >= count)
            {
                throw new AgentTerminationException();
            }
            return subscription.poll(handler, 256);
        }

        public String roleName()
        {
            return "perf-receiver";
        }
    }

    /** Journal alone: append on schedule. */
    static final class JournalSender extends ScheduledSender
    {
        private final JournalWriter writer;

        JournalSender(final JournalWriter writer, final long rate, final long count, final int batch)
        {
            super(rate, count, batch);
            this.writer = writer;
        }

        boolean send()
        {
            writer.append(buffer, 0, length);
            return true;
        }
    }

    /** Journal alone: a tailer reading what is appended, recording latency. */
    static final class JournalTailer implements Agent, JournalEntryHandler
    {
        private final Journal journal;
        private final LatencyRecorder recorder;
        private final long count;
        private final WallClock clock = new WallClock();
        private JournalReader reader;

        JournalTailer(final Journal journal, final LatencyRecorder recorder, final long count)
        {
            this.journal = journal;
            this.recorder = recorder;
            this.count = count;
        }

        public void onStart()
        {
            reader = journal.newReader().toStart();
        }

        public int doWork()
        {
            if (recorder.count() >= count)
            {
                throw new AgentTerminationException();
            }
            return reader.read(this, 256);
        }

        public boolean onEntry(final long sequence, final DirectBuffer buffer, final int offset, final int length)
        {
            recordEach(recorder, clock, buffer, offset, length);
            return true;
        }

        public void onClose()
        {
            reader.close();
        }

        public String roleName()
        {
            return "perf-tailer";
        }
    }
}
