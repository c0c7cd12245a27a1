package io.feedhandler.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NotJournaledRangesTest
{
    @TempDir
    Path dir;

    @Test
    void consecutiveSequencesGrowOneRangeAndAJumpStartsAnother() throws Exception
    {
        try (NotJournaledRanges ranges = NotJournaledRanges.openForWriting(dir))
        {
            assertEquals(NotJournaledRanges.FILE_LENGTH, Files.size(dir.resolve(NotJournaledRanges.FILE)),
                "the whole file exists before any range: recording needs no new disk space");
            assertEquals(0, ranges.count());
            for (long sequence = 10; sequence <= 20; sequence++)
            {
                assertTrue(ranges.record(sequence));
            }
            assertTrue(ranges.record(40));
            assertTrue(ranges.record(41));

            assertEquals(2, ranges.count());
            assertEquals("10..20, 40..41", ranges.describe());
            assertEquals(41, ranges.lastSequence());
            assertEquals(-1, ranges.find(9));
            assertEquals(0, ranges.find(10));
            assertEquals(0, ranges.find(20));
            assertEquals(-1, ranges.find(21));
            assertEquals(1, ranges.find(41));
            assertEquals(-1, ranges.find(42));
            assertEquals(11, ranges.countBetween(5, 30));
            assertEquals(0, ranges.countBetween(10, 30), "only ranges strictly between");
            assertEquals(13, ranges.countBetween(0, 50));
            assertEquals(7, ranges.countWithin(15, 40));
        }
    }

    @Test
    void readersInAnyProcessSeeTheRangesAndTheyOutliveTheWriter()
    {
        try (NotJournaledRanges reader = NotJournaledRanges.openForReading(dir))
        {
            assertEquals(0, reader.count(), "no file yet: no ranges");
        }
        try (NotJournaledRanges writer = NotJournaledRanges.openForWriting(dir);
            NotJournaledRanges reader = NotJournaledRanges.openForReading(dir))
        {
            writer.record(7);
            assertTrue(reader.contains(7));
            writer.record(8);
            assertEquals(8, reader.last(0), "the growing range is seen as it grows");
        }
        try (NotJournaledRanges again = NotJournaledRanges.openForWriting(dir))
        {
            assertEquals("7..8", again.describe());
            assertTrue(again.record(9), "a restarted writer extends the range it left");
            assertEquals("7..9", again.describe());
        }
    }

    @Test
    void aFullFileRefusesANewRangeButStillExtendsTheLast()
    {
        try (NotJournaledRanges ranges = NotJournaledRanges.openForWriting(dir))
        {
            for (int i = 0; i < NotJournaledRanges.CAPACITY; i++)
            {
                assertTrue(ranges.record(10L * i + 1));
            }
            final long last = 10L * (NotJournaledRanges.CAPACITY - 1) + 1;
            assertTrue(ranges.canRecord(last + 1));
            assertTrue(ranges.record(last + 1));
            assertFalse(ranges.canRecord(last + 5));
            assertFalse(ranges.record(last + 5));
            assertEquals(NotJournaledRanges.CAPACITY, ranges.count());
        }
    }

    @Test
    void aFileThatIsNotOursIsRefusedWhenWriting() throws Exception
    {
        Files.write(dir.resolve(NotJournaledRanges.FILE), new byte[NotJournaledRanges.FILE_LENGTH]);
        final JournalException ex = assertThrows(JournalException.class, () -> NotJournaledRanges.openForWriting(dir));
        assertTrue(ex.getMessage().contains(NotJournaledRanges.FILE), ex.getMessage());
        try (NotJournaledRanges reader = NotJournaledRanges.openForReading(dir))
        {
            assertEquals(0, reader.count(), "a reader treats it as none");
        }
    }
}
