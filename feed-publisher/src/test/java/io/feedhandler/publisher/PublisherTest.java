package io.feedhandler.publisher;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalException;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.sbe.MessageHeaderDecoder;
import io.feedhandler.sbe.QuoteBatchDecoder;
import io.feedhandler.transport.AeronConnection;
import io.feedhandler.transport.TransportConfiguration;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The publisher through a real embedded media driver and a real journal on disk, with nobody listening. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PublisherTest
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.77.11:40611|interface=127.0.0.1";

    @TempDir
    Path dir;

    @Test
    void journalsEveryTickAndContinuesTheSequenceAfterARestart() throws Exception
    {
        final PublisherStats first = run(5_000, 7);
        assertEquals(5_000, first.published());
        assertEquals(1, first.firstSeq());
        assertEquals(5_000, first.lastSeq());
        assertEquals(5_000, first.notConnected(), "nobody listened: every tick is left to the journal");

        final PublisherStats second = run(3_000, 7);
        assertEquals(5_001, second.firstSeq(), "first of the second run = last of the first + 1");
        assertEquals(8_000, second.lastSeq());

        try (Journal journal = Journal.openReadOnly(dir))
        {
            assertEquals(1, journal.firstSequence());
            assertEquals(8_000, journal.lastSequence());
            assertEquals(first.digest(), journal.digest(1, 5_000));
            assertEquals(second.digest(), journal.digest(5_001, 8_000));
        }
        final List<InstrumentHistory.Definition> instruments = InstrumentHistory.read(dir).at(Long.MAX_VALUE);
        assertEquals(7, instruments.size());
        assertEquals(1, instruments.get(0).fromSequence(), "the second run changed nothing: recorded once");
    }

    @Test
    void twoPublishersCannotShareAJournal() throws Exception
    {
        try (Publisher running = Publisher.launch(context(0, 3).rate(1_000)))
        {
            final JournalException ex = assertThrows(JournalException.class, () -> Publisher.launch(context(10, 3)));
            assertTrue(ex.getMessage().contains("already being written"), ex.getMessage());
            running.stop();
            assertTrue(running.awaitCompletion(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void unwritableJournalIsRefusedBeforeAnythingStarts() throws Exception
    {
        final Path file = Files.createFile(dir.resolve("file"));
        final JournalException ex = assertThrows(JournalException.class,
            () -> Publisher.launch(context(10, 3).journalDirectory(file.resolve("journal"))));
        assertTrue(ex.getMessage().contains(file.resolve("journal").toString()), ex.getMessage());
    }

    /**
     * With a B line every batch also goes, byte for byte, on the second channel; what B could not take
     * (no receiver yet) is counted, never retried ahead of A.
     */
    @Test
    void theBLineCarriesTheSameBytesAsLineA() throws Exception
    {
        final String bChannel = "aeron:udp?endpoint=239.255.77.13:40612|interface=127.0.0.1";
        final int count = 20_000;
        try (AeronConnection receiver = AeronConnection.connect(null);
            Subscription lineA = receiver.aeron().addSubscription(CHANNEL, TransportConfiguration.STREAM_ID);
            Subscription lineB = receiver.aeron().addSubscription(bChannel, TransportConfiguration.STREAM_ID);
            Publisher publisher = Publisher.launch(context(count, 5).rate(20_000).connectTimeoutNanos(TimeUnit.SECONDS.toNanos(20))
                .transport(t -> t.channel(CHANNEL).bChannel(bChannel))))
        {
            final Map<Long, byte[]> onA = new HashMap<>();
            final Map<Long, byte[]> onB = new HashMap<>();
            final FragmentHandler toA = (buffer, offset, length, header) -> keepBatch(onA, buffer, offset, length);
            final FragmentHandler toB = (buffer, offset, length, header) -> keepBatch(onB, buffer, offset, length);
            while (!publisher.awaitCompletion(1, TimeUnit.MILLISECONDS))
            {
                lineA.poll(toA, 100);
                lineB.poll(toB, 100);
            }
            assertNull(publisher.failure());
            final PublisherStats stats = publisher.stats();
            final long sentOnB = count - stats.lineB().notConnected() - stats.lineB().backPressured();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((ticks(onA) < count || ticks(onB) < sentOnB) && System.nanoTime() < deadline)
            {
                if (lineA.poll(toA, 100) + lineB.poll(toB, 100) == 0)
                {
                    Thread.sleep(1); // the last datagrams are still on their way
                }
            }
            assertEquals(bChannel, stats.lineB().channel());
            for (final Map.Entry<Long, byte[]> batch : onB.entrySet())
            {
                assertArrayEquals(onA.get(batch.getKey()), batch.getValue(), "batch from " + batch.getKey());
            }
            final long ticksOnB = ticks(onB);
            assertEquals(count, ticks(onA), stats.toSummaryLine().toString());
            assertEquals(sentOnB, ticksOnB, stats.toSummaryLine().toString());
            assertTrue(ticksOnB > count / 2, stats.toSummaryLine().toString());
            assertTrue(stats.toSummaryLine().toString().contains("\"lineB\":{\"channel\":"), stats.toSummaryLine().toString());
        }
    }

    private static long ticks(final Map<Long, byte[]> batches)
    {
        long ticks = 0;
        for (final byte[] batch : batches.values())
        {
            ticks += QuoteBatchWriter.count(new UnsafeBuffer(batch), 0);
        }
        return ticks;
    }

    private static void keepBatch(final Map<Long, byte[]> batches, final DirectBuffer buffer, final int offset, final int length)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        if (header.templateId() == QuoteBatchDecoder.TEMPLATE_ID)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            batches.put(QuoteBatchWriter.firstSequence(buffer, offset), bytes);
        }
    }

    @Test
    void aBLineToTheSameDestinationIsRefused()
    {
        assertMessage("bad --b-channel", context(1, 1).transport(t -> t.channel(CHANNEL)
            .bChannel("aeron:udp?endpoint=239.255.77.11:40611|interface=127.0.0.1|ttl=4")));
    }

    @Test
    void contextNamesTheBadValue()
    {
        assertMessage("--rate -1", context(1, 1).rate(-1));
        assertMessage("--count -3", context(1, 1).count(-3));
        assertMessage("aeron:bogus", context(1, 1).transport(t -> t.channel("aeron:bogus")));
        assertMessage("--idle 'fast'", context(1, 1).transport(t -> t.idleStrategy("fast")));
        assertMessage("--stream 0", context(1, 1).transport(t -> t.streamId(0)));
    }

    private static void assertMessage(final String expected, final PublisherContext context)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, context::conclude);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    private PublisherStats run(final long count, final int instruments) throws InterruptedException
    {
        try (Publisher publisher = Publisher.launch(context(count, instruments)))
        {
            assertTrue(publisher.awaitCompletion(60, TimeUnit.SECONDS));
            assertNull(publisher.failure());
            return publisher.stats();
        }
    }

    private PublisherContext context(final long count, final int instruments)
    {
        return new PublisherContext()
            .transport(t -> t.channel(CHANNEL))
            .journalDirectory(dir)
            .source(new SyntheticMarket(instruments, 3))
            .rate(0)
            .count(count)
            .connectTimeoutNanos(0)
            .lingerNanos(0)
            .replayServer(null);
    }
}
