package io.feedhandler.replica;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalIdentity;
import io.feedhandler.journal.JournalSpace;
import io.feedhandler.journal.JournalTail;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.subscriber.FeedStatusListener;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplicaJournalTest
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.77.1:40456|interface=127.0.0.1";
    static final String UPSTREAM = "aeron:udp?endpoint=127.0.0.1:40457";
    private static final long EPOCH = 0x0123_4567_89ab_cdefL;
    private static final long LAST = 1000;
    private static final Instrument AAPL = new Instrument(1, "AAPL", -2);
    private static final Instrument MSFT = new Instrument(2, "MSFT", -4);
    private static final Instrument AAPL_O = new Instrument(1, "AAPL.O", -2);

    @TempDir
    Path dir;

    @Test
    void holdsTheUpstreamsEntriesDefinitionsAndHolesWhateverItsOwnBatches()
    {
        final Path primary = dir.resolve("primary");
        final Path replica = dir.resolve("replica");
        writePrimary(primary);
        try (Journal source = Journal.openReadOnly(primary); Journal copy = Journal.open(replica);
            JournalWriter writer = copy.newWriter())
        {
            final ReplicaJournal journal = new ReplicaJournal(replica, writer, copy.instruments(), null, CHANNEL, 1001,
                UPSTREAM, 0, 25, FeedStatusListener.NONE);
            assertEquals(ReplicaJournal.State.AWAITING_EPOCH, journal.state());
            journal.onStreamFollowed(EPOCH);
            final JournalIdentity identity = JournalIdentity.read(replica);
            assertNotNull(identity, "written before the first append");
            assertEquals(0, copy.lastSequence());
            assertTrue(identity.isReplica());
            assertEquals(UPSTREAM, identity.upstream());
            assertEquals(EPOCH, identity.epoch(), "the upstream's history, the upstream's epoch");

            deliver(source, journal);
            journal.flush();
            assertNull(journal.failure(), journal.failure());
            assertEquals(ReplicaJournal.State.JOURNALING, journal.state());
            assertEquals(source.digest(1, LAST), copy.digest(1, LAST));
            assertEquals(source.digest(295, 512), copy.digest(295, 512), "any range");
            assertEquals(entries(source), entries(copy), "each quote's entry, byte for byte, under the same epoch");
            assertTrue(entries(copy).size() == LAST - 10);
            assertEquals(source.instruments().all(), copy.instruments().all(), "each definition from its own sequence");
            assertEquals("301..310", copy.notJournaled().describe(), "got live or not, the upstream never journaled them");
            assertEquals(LAST, journal.lastSequence());
            assertEquals(LAST - 10, journal.appendedTicks);
            assertEquals(10, journal.notJournaledTicks);
            assertTrue(copy.entryCount() != source.entryCount(), "its own batch boundaries");
        }
    }

    @Test
    void anAppendTheJournalRefusesFailsIt()
    {
        try (Journal copy = Journal.open(dir); JournalWriter writer = copy.newWriter(new JournalSpace(() -> 0L, 1L << 20)))
        {
            final ReplicaJournal journal = new ReplicaJournal(dir, writer, copy.instruments(), null, CHANNEL, 1001,
                UPSTREAM, 0, 25, FeedStatusListener.NONE);
            journal.onStreamFollowed(EPOCH);
            journal.onQuote(quote(1, new SplittableRandom(1)));
            assertEquals(1, journal.flush());
            assertEquals(ReplicaJournal.State.FAILED, journal.state());
            assertTrue(journal.failure().contains("sequences 1..1") && journal.failure().contains("--min-free-disk"),
                journal.failure());
            journal.onQuote(quote(2, new SplittableRandom(2)));
            assertEquals(0, journal.flush(), "nothing more is written");
            assertEquals(0, copy.lastSequence());
        }
    }

    @Test
    void theUpstreamGoingBackwardsFailsIt()
    {
        try (Journal copy = Journal.open(dir); JournalWriter writer = copy.newWriter())
        {
            final ReplicaJournal journal = new ReplicaJournal(dir, writer, copy.instruments(), null, CHANNEL, 1001,
                UPSTREAM, 0, 25, FeedStatusListener.NONE);
            journal.onStreamFollowed(EPOCH);
            journal.onStreamReset(500, 20);
            assertEquals(ReplicaJournal.State.FAILED, journal.state());
            assertTrue(journal.failure().contains("500") && journal.failure().contains("20"), journal.failure());
        }
    }

    /** 1..1000 in batches of 10; definitions from 1 and from 501; 301..310 sent live-only. */
    private static void writePrimary(final Path directory)
    {
        final SplittableRandom random = new SplittableRandom(42);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[QuoteBatchWriter.length(10)]);
        final QuoteBatchWriter batch = new QuoteBatchWriter();
        try (Journal journal = Journal.open(directory); JournalWriter writer = journal.newWriter())
        {
            JournalIdentity.create(CHANNEL, 1001, "new").write(directory);
            journal.instruments().record(List.of(AAPL, MSFT), 1);
            for (long first = 1; first <= LAST; first += 10)
            {
                if (first == 501)
                {
                    journal.instruments().record(List.of(AAPL_O), 501);
                }
                if (first == 301)
                {
                    for (long sequence = 301; sequence <= 310; sequence++)
                    {
                        assertTrue(writer.recordNotJournaled(sequence));
                    }
                    continue;
                }
                batch.wrap(buffer, 0, EPOCH, first);
                for (long sequence = first; sequence < first + 10; sequence++)
                {
                    batch.add(quote(sequence, random));
                }
                assertTrue(writer.append(buffer, 0, batch.length()));
            }
        }
    }

    /**
     * What the subscriber hands the replica's journal, in its order: definitions as delivery reaches
     * them, each quote, the range never journaled (with ticks of it got live), and a flush every few
     * entries (a duty cycle).
     */
    private static void deliver(final Journal source, final ReplicaJournal journal)
    {
        final InstrumentHistory.Cursor definitions = source.instruments().cursor();
        definitions.start(1).forEach(d -> journal.onInstrument(d.instrument(), d.fromSequence()));
        final FeedDecoder decoder = new FeedDecoder(journal::onQuote);
        final int[] entries = {0};
        try (JournalTail tail = new JournalTail(source).from(1))
        {
            while (tail.nextSequence() <= LAST)
            {
                final int read = tail.poll((first, buffer, offset, length) ->
                {
                    definitions.reach(first).forEach(d -> journal.onInstrument(d.instrument(), d.fromSequence()));
                    decoder.decode(buffer, offset, length);
                    if (++entries[0] % 3 == 0)
                    {
                        journal.flush();
                    }
                    return true;
                }, 1);
                if (read == 0 && tail.atNotJournaled())
                {
                    journal.onNotJournaledRange(tail.notJournaledFirst(), tail.notJournaledLast());
                    journal.onNotJournaled(tail.notJournaledFirst(), tail.notJournaledFirst() + 3);
                    final SplittableRandom live = new SplittableRandom(7);
                    for (long sequence = tail.notJournaledFirst() + 4; sequence <= tail.notJournaledLast(); sequence++)
                    {
                        journal.onQuote(quote(sequence, live)); // got live: the upstream's journal steps over them
                    }
                    tail.from(tail.notJournaledLast() + 1);
                }
            }
        }
    }

    /** Each quote's entry bytes and its batch's epoch, by sequence. */
    private static List<String> entries(final Journal journal)
    {
        final List<String> entries = new ArrayList<>();
        final HexFormat hex = HexFormat.of();
        try (JournalTail tail = new JournalTail(journal).from(1))
        {
            while (tail.nextSequence() <= journal.lastSequence())
            {
                if (tail.poll((first, buffer, offset, length) ->
                {
                    final int count = QuoteBatchWriter.count(buffer, offset);
                    final int at = QuoteBatchWriter.entriesOffset(buffer, offset);
                    for (int i = 0; i < count; i++)
                    {
                        final byte[] entry = new byte[QuoteBatchWriter.ENTRY_LENGTH];
                        buffer.getBytes(at + i * QuoteBatchWriter.ENTRY_LENGTH, entry);
                        entries.add((first + i) + "@" + Long.toHexString(QuoteBatchWriter.epoch(buffer, offset)) + ":" +
                            hex.formatHex(entry));
                    }
                    return true;
                }, 16) == 0)
                {
                    tail.from(tail.notJournaledLast() + 1);
                }
            }
        }
        return entries;
    }

    private static MutableQuote quote(final long sequence, final SplittableRandom random)
    {
        final MutableQuote quote = new MutableQuote();
        quote.sequence = sequence;
        quote.instrumentId = 1 + random.nextInt(2);
        quote.bidPrice = random.nextLong(1, 1_000_000);
        quote.askPrice = quote.bidPrice + random.nextLong(1, 100);
        quote.bidSize = random.nextLong(1, 10_000);
        quote.askSize = random.nextLong(1, 10_000);
        quote.exchangeTimestamp = random.nextLong(1, Long.MAX_VALUE);
        quote.sendTimestamp = random.nextLong(1, Long.MAX_VALUE);
        return quote;
    }
}
