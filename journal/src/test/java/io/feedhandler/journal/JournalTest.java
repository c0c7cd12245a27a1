package io.feedhandler.journal;

import io.feedhandler.codecs.QuoteBatchWriter;

import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteDigest;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalTest
{
    @TempDir
    Path dir;

    private final FeedEncoder encoder = new FeedEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);

    @Test
    void emptyJournalHasNoSequences()
    {
        try (Journal journal = Journal.open(dir))
        {
            assertEquals(0, journal.lastSequence());
            assertEquals(0, journal.firstSequence());
            assertEquals(0, journal.entryCount());
            try (JournalReader reader = journal.newReader())
            {
                assertFalse(reader.seek(1));
            }
        }
    }

    @Test
    void theLastSequenceSeenFromOutsideIsZeroUntilTheJournalExists()
    {
        assertEquals(0, Journal.lastSequenceOf(dir.resolve("not-yet")));
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            append(writer, 1, 300);
            assertEquals(300, Journal.lastSequenceOf(dir));
        }
    }

    @Test
    void appendsAndReadsBackInOrder()
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            append(writer, 1, 1000);
            assertEquals(1, journal.firstSequence());
            assertEquals(1000, journal.lastSequence());
            assertEquals(1000, journal.entryCount());

            final List<Long> seen = new ArrayList<>();
            try (JournalReader reader = journal.newReader().toStart())
            {
                while (reader.read((sequence, b, offset, length) ->
                {
                    assertEquals(QuoteBatchWriter.length(1), length); // a batch of one
                    return seen.add(sequence);
                }))
                {
                    // read them all
                }
            }
            assertEquals(1000, seen.size());
            for (int i = 0; i < seen.size(); i++)
            {
                assertEquals(i + 1, seen.get(i));
            }
        }
    }

    @Test
    void restartContinuesFromTheLastSequence()
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            append(writer, 1, 500);
        }
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            assertEquals(500, journal.lastSequence());
            append(writer, journal.lastSequence() + 1, 250);
            assertEquals(750, journal.lastSequence());
            assertEquals(expectedDigest(1, 750), journal.digest(1, 750));
        }
    }

    @Test
    void seeksToAnySequenceAcrossRollCycles()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        try (Journal journal = Journal.open(dir, RollCycles.FIVE_MINUTELY, clock);
            JournalWriter writer = journal.newWriter())
        {
            long next = 1;
            for (int cycle = 0; cycle < 5; cycle++)
            {
                final int entries = 100 + cycle * 37;
                append(writer, next, entries);
                next += entries;
                clock.advanceMillis(TimeUnit.MINUTES.toMillis(5));
            }
            final long last = next - 1;
            assertEquals(last, journal.lastSequence());
            assertEquals(5, journal.cycleCount());

            try (JournalReader reader = journal.newReader())
            {
                for (long sequence = 1; sequence <= last; sequence += 13)
                {
                    assertTrue(reader.seek(sequence), "seek " + sequence);
                    final long[] read = {0};
                    assertTrue(reader.read((s, b, o, l) ->
                    {
                        read[0] = s;
                        return true;
                    }));
                    assertEquals(sequence, read[0]);
                }
                assertTrue(reader.seek(last));
                assertFalse(reader.seek(last + 1));
                assertFalse(reader.seek(0));
            }
            assertEquals(expectedDigest(150, last), journal.digest(150, last));
        }
    }

    @Test
    void touchingAheadBetweenAppendsChangesNothingWritten()
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            writer.touchAhead(); // before the first append: nothing to touch yet
            for (long sequence = 1; sequence <= 3000; sequence += 100)
            {
                append(writer, sequence, 100);
                writer.touchAhead();
                writer.touchAhead();
            }
            assertEquals(3000, journal.lastSequence());
            assertEquals(expectedDigest(1, 3000), journal.digest(1, 3000));
            assertTrue(JournalVerifier.verify(journal).ok());
        }
    }

    @Test
    void digestOfARangeMatchesTheQuotesInIt()
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            append(writer, 1, 100);
            assertEquals(expectedDigest(10, 20), journal.digest(10, 20));
            assertEquals(QuoteDigest.INITIAL, journal.digest(5, 4));
            assertThrows(JournalException.class, () -> journal.digest(50, 101));
        }
    }

    @Test
    void onlyOneWriterAtATime()
    {
        try (Journal journal = Journal.open(dir); JournalWriter ignored = journal.newWriter())
        {
            final JournalException ex = assertThrows(JournalException.class, journal::newWriter);
            assertTrue(ex.getMessage().contains("already being written"), ex.getMessage());
        }
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            append(writer, 1, 1); // the lock was released on close
        }
    }

    @Test
    void unusableDirectoryIsNamed() throws Exception
    {
        final Path file = Files.createFile(dir.resolve("plain-file"));
        final JournalException ex = assertThrows(JournalException.class, () -> Journal.open(file.resolve("journal")));
        assertTrue(ex.getMessage().contains(file.resolve("journal").toString()), ex.getMessage());
    }

    @Test
    void verifyFindsTheFirstMissingSequence()
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            append(writer, 1, 10);
            assertTrue(JournalVerifier.verify(journal).ok());
            appendBehindTheWritersBack(journal, 12, 5); // 11 is missing: the writer itself refuses to leave a hole
            final JournalVerifier.Result result = JournalVerifier.verify(journal);
            assertFalse(result.ok());
            assertEquals(11, result.firstBadSequence());
            assertEquals(10, result.lastGoodSequence());
        }
    }

    @Test
    void sequencesRecordedAsNotJournaledAreSteppedOverBySeekDigestAndVerify()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        try (Journal journal = Journal.open(dir, RollCycles.FIVE_MINUTELY, clock);
            JournalWriter writer = journal.newWriter())
        {
            append(writer, 1, 100);
            skip(writer, 101, 50);          // a hole inside the first cycle
            append(writer, 151, 100);
            skip(writer, 251, 20);          // a hole across the roll to the next cycle
            clock.advanceMillis(TimeUnit.MINUTES.toMillis(5));
            append(writer, 271, 30);
            skip(writer, 301, 5);           // and one inside the second cycle
            append(writer, 306, 45);
            skip(writer, 351, 10);          // still growing at the tail

            assertEquals(350, journal.lastSequence());
            assertEquals(360, journal.lastIssuedSequence(), "a restart continues after the tail's range");
            assertEquals(4, journal.notJournaled().count());
            try (JournalReader reader = journal.newReader())
            {
                for (long sequence = 1; sequence <= 365; sequence++)
                {
                    final boolean held = !journal.notJournaled().contains(sequence) && sequence <= 350;
                    assertEquals(held, reader.seek(sequence), "seek " + sequence);
                    if (held)
                    {
                        final long[] read = {0};
                        assertTrue(reader.read((s, b, o, l) ->
                        {
                            read[0] = s;
                            return true;
                        }));
                        assertEquals(sequence, read[0]);
                    }
                }
            }
            assertEquals(expectedDigestWithout(1, 350, journal.notJournaled()), journal.digest(1, 350));
            assertEquals(expectedDigestWithout(120, 360, journal.notJournaled()), journal.digest(120, 360),
                "a range ending inside a hole holds what is journaled of it");
            final JournalVerifier.Result result = JournalVerifier.verify(journal);
            assertTrue(result.ok(), result.problem());
            assertEquals(275, result.entries());
            assertEquals(75, result.notJournaled());
            assertEquals(350, result.lastGoodSequence());
        }
        try (Journal journal = Journal.openReadOnly(dir))
        {
            assertEquals(360, journal.lastIssuedSequence(), "the ranges are durable");
            assertEquals("101..150, 251..270, 301..305, 351..360", journal.notJournaled().describe());
        }
        // The publisher's start-up check too: by boundaries (the tail read from before, inside and after
        // the second cycle's hole), and read whole.
        for (final long tail : new long[] {1, 10, 60, 75, JournalVerifier.START_UP_TAIL_ENTRIES})
        {
            try (Journal journal = Journal.openReadOnly(dir))
            {
                final JournalVerifier.Result result = JournalVerifier.verify(
                    journal, JournalVerifier.Depth.START_UP, JournalVerifier.DEFAULT_STALL_TIMEOUT_NS, tail);
                assertTrue(result.ok(), "tail " + tail + ": " + result);
                assertEquals(275, result.entries(), "tail " + tail);
                assertEquals(75, result.notJournaled(), "tail " + tail);
                assertEquals(350, result.lastGoodSequence(), "tail " + tail);
            }
        }
        assertTrue(JournalVerifier.verify(dir, JournalVerifier.Depth.START_UP).ok());
    }

    @Test
    void aHoleNotRecordedAsNotJournaledIsDamageAtBothDepths()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        try (Journal journal = Journal.open(dir, RollCycles.FIVE_MINUTELY, clock);
            JournalWriter writer = journal.newWriter())
        {
            append(writer, 1, 100);
            clock.advanceMillis(TimeUnit.MINUTES.toMillis(5));
            append(writer, 101, 100);
            skip(writer, 201, 20);          // recorded: 201..220
            appendBehindTheWritersBack(journal, 251, 100); // but 221..250 are simply missing (the writer refuses that)
        }
        // At start-up depth the hole is found in the tail the check reads entry by entry. Cycles before the
        // tail are checked by their boundaries only: since entries hold batches, their count no longer
        // proves there is no hole between them, and the writer refuses to leave one (see
        // theWriterRefusesABatchThatDoesNotCarryTheNextSequence); the full check finds one anywhere.
        for (final long tail : new long[] {JournalVerifier.START_UP_TAIL_ENTRIES})
        {
            try (Journal journal = Journal.openReadOnly(dir))
            {
                final JournalVerifier.Result result = JournalVerifier.verify(
                    journal, JournalVerifier.Depth.START_UP, JournalVerifier.DEFAULT_STALL_TIMEOUT_NS, tail);
                assertFalse(result.ok(), "tail " + tail + ": " + result);
                assertEquals(221, result.firstBadSequence(), "named from its first unrecorded sequence: " + result);
                assertEquals(200, result.lastGoodSequence());
            }
        }
        final JournalVerifier.Result full = JournalVerifier.verify(dir, JournalVerifier.Depth.FULL);
        assertFalse(full.ok(), full.toString());
        assertEquals(221, full.firstBadSequence(), full.toString());
        assertTrue(full.problem().contains("expected sequence 221, found 251"), full.problem());
    }

    @Test
    void aWriterStopsAtTheDiskReserveAndResumesWhenThereIsRoomAgain()
    {
        final long reserve = JournalConfiguration.MIN_MIN_FREE_DISK_BYTES;
        final long entry = QuoteBatchWriter.length(1) + JournalSpace.ENTRY_OVERHEAD;
        final java.util.concurrent.atomic.AtomicLong free = new java.util.concurrent.atomic.AtomicLong(reserve + 10 * entry);
        final JournalSpace space = new JournalSpace(free::get, reserve);
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter(space))
        {
            int appended = 0;
            for (long sequence = 1; sequence <= 20; sequence++)
            {
                if (writer.append(buffer, 0, QuoteBatchWriter.single(buffer, 0, 0, quote(sequence))))
                {
                    appended++;
                }
            }
            assertEquals(10, appended, "exactly the budget the last sample gave");
            assertEquals(10, journal.lastSequence());
            assertFalse(writer.canResume());

            free.set(2 * reserve - 1);
            space.sample();
            assertFalse(writer.canResume(), "not before twice the reserve is free");
            free.set(2 * reserve);
            space.sample();
            assertTrue(writer.canResume());
            assertTrue(writer.append(buffer, 0, QuoteBatchWriter.single(buffer, 0, 0, quote(11))));
            assertEquals(expectedDigest(1, 11), journal.digest(1, 11));
            assertTrue(JournalVerifier.verify(journal).ok());
        }
    }

    @Test
    void anAppendThatFailsIsRememberedAndNeverRetriedAndWhatCameBeforeIsIntact()
    {
        final Journal journal = Journal.open(dir);
        final JournalWriter writer = journal.newWriter();
        append(writer, 1, 10);
        journal.close(); // the queue goes away under the writer, as a failed mapping would leave it
        assertFalse(writer.append(buffer, 0, QuoteBatchWriter.single(buffer, 0, 0, quote(11))));
        assertTrue(writer.failure() != null, "the failure is kept for the alarm");
        assertFalse(writer.canResume(), "no resuming after a failed append");
        assertFalse(writer.append(buffer, 0, QuoteBatchWriter.single(buffer, 0, 0, quote(11))));
        writer.close(); // and the lock still goes
        try (Journal reopened = Journal.open(dir); JournalWriter next = reopened.newWriter())
        {
            assertEquals(10, reopened.lastSequence());
            assertTrue(JournalVerifier.verify(reopened).ok());
            append(next, 11, 5);
            assertEquals(expectedDigest(1, 15), reopened.digest(1, 15));
        }
    }

    @Test
    void retentionDeletesWholeOldCyclesWhileReadersAreOpen()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        try (Journal journal = Journal.open(dir, RollCycles.FIVE_MINUTELY, clock);
            JournalWriter writer = journal.newWriter();
            JournalReader early = journal.newReader())
        {
            for (int cycle = 0; cycle < 5; cycle++)
            {
                append(writer, cycle * 100 + 1, 100);
                clock.advanceMillis(TimeUnit.MINUTES.toMillis(5));
            }
            assertTrue(early.seek(150)); // a reader inside a cycle about to be deleted

            assertEquals(3, journal.retainCycles(2));
            assertEquals(2, journal.cycleCount());
            assertEquals(301, journal.firstSequence());
            assertEquals(500, journal.lastSequence());
            try (JournalReader reader = journal.newReader())
            {
                assertFalse(reader.seek(150), "gone");
                assertTrue(reader.seek(301));
            }
            assertEquals(expectedDigest(301, 500), journal.digest(301, 500));

            final long[] read = {0};
            assertTrue(early.read((s, b, o, l) ->
            {
                read[0] = s;
                return true;
            }), "an open reader keeps reading what it had mapped");
            assertEquals(150, read[0]);
            assertEquals(0, journal.retainCycles(2));
        }
    }

    @Test
    void anEntryNotTakenIsReadAgain()
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            append(writer, 1, 3);
            try (JournalReader reader = journal.newReader().toStart())
            {
                assertFalse(reader.read((s, b, o, l) -> false));
                final long[] read = {0};
                assertTrue(reader.read((s, b, o, l) ->
                {
                    read[0] = s;
                    return true;
                }));
                assertEquals(1, read[0], "the refused entry comes again");
            }
        }
    }

    @Test
    void verifyNamesTheFirstCorruptedSequence() throws Exception
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            append(writer, 1, 10_000);
        }
        // Overwrite the schema id of sequence 4321's entry inside the cycle file.
        final Path file;
        try (var files = Files.list(dir))
        {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(file);
        final int at = find(bytes, entryPattern(4321));
        assertTrue(at > 0, "entry found in the file");
        bytes[at + 4] = 0x13;
        Files.write(file, bytes);

        try (Journal journal = Journal.openReadOnly(dir))
        {
            final JournalVerifier.Result result = JournalVerifier.verify(journal);
            assertFalse(result.ok());
            assertEquals(4321, result.firstBadSequence(), result.problem());
            assertEquals(4320, result.lastGoodSequence());
        }
    }

    /** The first 24 bytes of a one-quote batch's entry: the SBE header, the epoch, then the sequence, little-endian. */
    private byte[] entryPattern(final long sequence)
    {
        final UnsafeBuffer encoded = new UnsafeBuffer(new byte[128]);
        QuoteBatchWriter.single(encoded, 0, 0, quote(sequence));
        final byte[] pattern = new byte[24];
        encoded.getBytes(0, pattern);
        return pattern;
    }

    private static int find(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void instrumentsAreStoredBesideTheJournal()
    {
        final var instruments = List.of(
            new io.feedhandler.codecs.Instrument(1, "AAPL", -2), new io.feedhandler.codecs.Instrument(2, "EURUSD", -5));
        InstrumentStore.write(dir, instruments);
        assertEquals(instruments, InstrumentStore.read(dir));
    }

    /** Entries written with Chronicle directly, as a buggy or foreign writer might: what the checks must catch. */
    private void appendBehindTheWritersBack(final Journal journal, final long firstSequence, final int count)
    {
        try (net.openhft.chronicle.queue.ExcerptAppender appender = journal.queue().createAppender())
        {
            for (long sequence = firstSequence; sequence < firstSequence + count; sequence++)
            {
                final int length = QuoteBatchWriter.single(buffer, 0, 0, quote(sequence));
                try (net.openhft.chronicle.wire.DocumentContext dc = appender.writingDocument())
                {
                    dc.wire().bytes().write(buffer.byteArray(), 0, length);
                }
            }
        }
    }

    @Test
    void theWriterRefusesABatchThatDoesNotCarryTheNextSequence()
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            append(writer, 1, 10);
            final JournalException ex = assertThrows(JournalException.class,
                () -> writer.append(buffer, 0, QuoteBatchWriter.single(buffer, 0, 0, quote(12))));
            assertTrue(ex.getMessage().contains("does not follow sequence 10"), ex.getMessage());
            assertEquals(10, journal.lastSequence());
            append(writer, 11, 1);
            assertEquals(11, journal.lastSequence());
        }
    }

    private void append(final JournalWriter writer, final long firstSequence, final int count)
    {
        for (long sequence = firstSequence; sequence < firstSequence + count; sequence++)
        {
            writer.append(buffer, 0, QuoteBatchWriter.single(buffer, 0, 0, quote(sequence)));
        }
    }

    private static void skip(final JournalWriter writer, final long firstSequence, final int count)
    {
        for (long sequence = firstSequence; sequence < firstSequence + count; sequence++)
        {
            assertTrue(writer.recordNotJournaled(sequence));
        }
    }

    private static long expectedDigestWithout(final long from, final long to, final NotJournaledRanges skipped)
    {
        final QuoteDigest digest = new QuoteDigest();
        for (long sequence = from; sequence <= Math.min(to, 350); sequence++)
        {
            if (!skipped.contains(sequence))
            {
                digest.update(quote(sequence));
            }
        }
        return digest.value();
    }

    static MutableQuote quote(final long sequence)
    {
        final MutableQuote quote = new MutableQuote();
        quote.sequence = sequence;
        quote.instrumentId = (int)(sequence % 7) + 1;
        quote.bidPrice = 1_000_000L * (100 + sequence % 13);
        quote.askPrice = quote.bidPrice + 1_000_000L;
        quote.bidSize = 100 * (sequence % 5 + 1);
        quote.askSize = 100 * (sequence % 3 + 1);
        return quote;
    }

    private static long expectedDigest(final long from, final long to)
    {
        final QuoteDigest digest = new QuoteDigest();
        for (long sequence = from; sequence <= to; sequence++)
        {
            digest.update(quote(sequence));
        }
        return digest.value();
    }
}
