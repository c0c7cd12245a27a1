package io.feedhandler.journal;

import io.feedhandler.codecs.QuoteBatchWriter;

import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.journal.JournalVerifier.Depth;
import io.feedhandler.journal.JournalVerifier.Result;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.feedhandler.journal.DamagedJournals.entryHeaderOffset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of damage done for real to a journal of four cycle files (sequences 1-1000, 1001-2000,
 * 2001-3000, 3001-4000): what Chronicle makes of it, and that the verifier names the first bad
 * sequence without hanging or crashing, both reading everything and as the publisher's start-up
 * check.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalDamageTest
{
    @TempDir
    Path dir;

    @Test
    void soundJournalPassesBothChecks() throws Exception
    {
        DamagedJournals.write(dir, 4, 1000);
        for (final Depth depth : Depth.values())
        {
            final Result result = JournalVerifier.verify(dir, depth);
            assertTrue(result.ok(), depth + ": " + result);
            assertEquals(4000, result.entries());
            assertEquals(1, result.firstSequence());
            assertEquals(4000, result.lastGoodSequence());
            assertEquals(0, result.firstBadSequence());
            assertEquals(4, result.cycleFiles());
        }
    }

    @Test
    void aStoppedCheckIsNoVerdictAndNeverDamage() throws Exception
    {
        DamagedJournals.write(dir, 4, 1000);
        for (final JournalVerifier.Depth depth : JournalVerifier.Depth.values())
        {
            final JournalCheckInterruptedException ex = assertThrows(JournalCheckInterruptedException.class,
                () -> JournalVerifier.verify(dir, depth, () -> true));
            assertTrue(ex.getMessage().contains("was interrupted"), ex.getMessage());
            assertTrue(ex.getMessage().contains("no verdict"), ex.getMessage());
            assertFalse(ex.getMessage().contains("damaged"), ex.getMessage());
        }
        assertTrue(JournalVerifier.verify(dir, JournalVerifier.Depth.FULL, () -> false).ok(), "the journal is as it was");
    }

    @Test
    void emptyJournalIsSound() throws Exception
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            writer.warm(); // maps a cycle file but writes nothing
        }
        for (final Depth depth : Depth.values())
        {
            final Result result = JournalVerifier.verify(dir, depth);
            assertTrue(result.ok(), depth + ": " + result);
            assertEquals(0, result.lastGoodSequence());
        }
    }

    @Test
    void cycleFilesAreFoundForEveryRollCycleOffered() throws Exception
    {
        // The checks name a cycle's file the way Chronicle does, so they never have to open it to ask.
        final FeedEncoder encoder = new FeedEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        for (final RollCycles cycle : RollCycles.values())
        {
            if (cycle == RollCycles.WEEKLY)
            {
                final IllegalArgumentException ex =
                    assertThrows(IllegalArgumentException.class, () -> Journal.rollCycle("WEEKLY"));
                assertTrue(ex.getMessage().contains("cannot reopen WEEKLY"), ex.getMessage());
                continue;
            }
            final Path journalDir = dir.resolve(cycle.name());
            try (Journal journal = Journal.open(journalDir, Journal.rollCycle(cycle.name()));
                JournalWriter writer = journal.newWriter())
            {
                writer.append(buffer, 0, QuoteBatchWriter.single(buffer, 0, 0, JournalTest.quote(1)));
                final List<CycleFile> files = journal.cycleFiles();
                assertEquals(1, files.size(), cycle.name());
                assertTrue(files.get(0).inspect().whole(), cycle + ": " + files.get(0).inspect());
            }
            assertTrue(JournalVerifier.verify(journalDir, Depth.START_UP).ok(), cycle.name());
        }
    }

    @Test
    void lastCycleFileCutInsideAnEntry() throws Exception
    {
        final Path last = DamagedJournals.write(dir, 4, 1000).get(3);
        DamagedJournals.truncate(last, entryHeaderOffset(last, 3500) + 4 + 30);
        assertDamaged(3500, "is cut short at", last);
    }

    @Test
    void lastCycleFileCutBetweenEntriesLooksLikeAnEndToChronicle() throws Exception
    {
        final Path last = DamagedJournals.write(dir, 4, 1000).get(3);
        DamagedJournals.truncate(last, entryHeaderOffset(last, 3990));
        // The rest of the last page reads as zeros: a plain reader just runs out of entries.
        try (Journal journal = Journal.openReadOnly(dir); JournalReader reader = journal.newReader().toStart())
        {
            final long[] lastRead = {0};
            while (reader.read((sequence, buffer, offset, length) ->
            {
                lastRead[0] = sequence;
                return true;
            }))
            {
                // read to the end
            }
            assertEquals(3989, lastRead[0], "Chronicle stops silently at the cut");
        }
        assertDamaged(3990, "is cut short at", last);
    }

    @Test
    void lastCycleFileCutIntoItsIndexFaultsAndIsReported() throws Exception
    {
        final Path last = DamagedJournals.write(dir, 4, 1000).get(3);
        DamagedJournals.truncate(last, 1000); // header whole, index and entries gone: mapped reads fault
        assertDamaged(3001, "cut short", last);
    }

    @Test
    void cycleFilesCutToNothingDoNotHang() throws Exception
    {
        // Chronicle waits for ever for the header of an empty cycle file: the verifier must not.
        final List<Path> files = DamagedJournals.write(dir, 4, 1000);
        DamagedJournals.truncate(files.get(3), 0);
        assertDamaged(3001, "cut to 0 bytes", files.get(3));
        DamagedJournals.truncate(files.get(1), 0);
        assertDamaged(1001, "cut to 0 bytes", files.get(1));
    }

    @Test
    void middleCycleFileCutShort() throws Exception
    {
        final Path middle = DamagedJournals.write(dir, 4, 1000).get(1);
        DamagedJournals.truncate(middle, entryHeaderOffset(middle, 1700) + 10);
        assertDamaged(1700, "is cut short at", middle);
    }

    @Test
    void corruptedBytesInTheMiddleAreFoundByTheFullCheck() throws Exception
    {
        final Path middle = DamagedJournals.write(dir, 4, 1000).get(1);
        DamagedJournals.flip(middle, entryHeaderOffset(middle, 1500) + 4 + 4); // the entry's SBE schema id
        final Result full = JournalVerifier.verify(dir, Depth.FULL);
        assertEquals(1500, full.firstBadSequence(), full.toString());
        assertEquals(1499, full.lastGoodSequence());
        assertTrue(full.problem().contains("does not decode"), full.problem());
        assertEquals(middle.getFileName().toString(), full.file());
        // The start-up check reads boundaries of older files, not every entry: this is left to a full verify.
        assertTrue(JournalVerifier.verify(dir, Depth.START_UP).ok());
    }

    @Test
    void overwrittenEntryHeaderEndsTheEntriesSilentlyForChronicle() throws Exception
    {
        final Path middle = DamagedJournals.write(dir, 4, 1000).get(1);
        DamagedJournals.putInt(middle, entryHeaderOffset(middle, 1500), 0);
        try (Journal journal = Journal.openReadOnly(dir); JournalReader reader = journal.newReader().toStart())
        {
            assertEquals(1499, reader.read((s, b, o, l) -> true, 10_000), "Chronicle reads 1..1499 and no more");
        }
        final Result full = JournalVerifier.verify(dir, Depth.FULL);
        assertEquals(1500, full.firstBadSequence(), full.toString());
        assertTrue(full.problem().contains("ends early"), full.problem());
    }

    @Test
    void startUpCheckReadsTheTailEntryByEntry() throws Exception
    {
        final Path last = DamagedJournals.write(dir, 4, 1000).get(3);
        DamagedJournals.flip(last, entryHeaderOffset(last, 3950) + 4 + 4);
        DamagedJournals.flip(last, entryHeaderOffset(last, 3100) + 4 + 4);
        try (Journal journal = Journal.openReadOnly(dir))
        {
            final long stall = JournalVerifier.DEFAULT_STALL_TIMEOUT_NS;
            final Result tail = JournalVerifier.verify(journal, Depth.START_UP, stall, 100);
            assertEquals(3950, tail.firstBadSequence(), "inside the last 100 entries: " + tail);
            assertEquals(3949, tail.lastGoodSequence());
            final Result whole = JournalVerifier.verify(journal, Depth.START_UP, stall, 1000);
            assertEquals(3100, whole.firstBadSequence(), "the whole last cycle: " + whole);
            assertEquals(3100, JournalVerifier.verify(journal, Depth.FULL).firstBadSequence());
        }
    }

    @Test
    void missingMiddleCycleFileIsAMissingRange() throws Exception
    {
        final List<Path> files = DamagedJournals.write(dir, 4, 1000);
        Files.delete(files.get(1));
        for (final Depth depth : Depth.values())
        {
            final Result result = JournalVerifier.verify(dir, depth);
            assertFalse(result.ok(), depth.toString());
            assertEquals(1000, result.lastGoodSequence(), depth + ": " + result);
            assertEquals(1001, result.firstBadSequence(), depth + ": " + result);
            assertEquals(2000, result.lastMissingSequence(), depth + ": " + result);
            assertTrue(result.problem().contains("sequences 1001..2000 are missing"), result.problem());
            assertEquals(3, result.cycleFiles());
        }
    }

    @Test
    void emptiedMetadataFileIsReportedAndChronicleRebuildsItWhenMovedAside() throws Exception
    {
        final Path journal = dir.resolve("journal");
        DamagedJournals.write(journal, 4, 1000);
        final Path metadata = journal.resolve("metadata.cq4t");
        DamagedJournals.truncate(metadata, 0);
        final Result result = JournalVerifier.verify(journal, Depth.START_UP);
        assertEquals(1, result.firstBadSequence(), result.toString());
        assertTrue(result.problem().contains("cannot be opened"), result.problem());
        // It holds Chronicle's directory metadata, not entries: without it the journal reads whole.
        Files.move(metadata, dir.resolve("metadata.cq4t.damaged"));
        assertTrue(JournalVerifier.verify(journal, Depth.FULL).ok());
    }

    @Test
    void aReadThatStallsIsGivenUpAndReported() throws Exception
    {
        // A cycle file whose reads block for ever (a FIFO with no writer, standing in for a hung disk
        // or mount): the check gives up after the stall timeout instead of hanging its caller. A
        // directory of its own: the abandoned reader may still touch it after the test, so it is
        // removed here, best effort, rather than by JUnit (whose clean-up would then fail).
        final Path own = Files.createTempDirectory("journal-stall");
        final List<Path> files = DamagedJournals.write(own, 2, 100);
        Files.delete(files.get(1));
        final Process mkfifo = new ProcessBuilder("mkfifo", files.get(1).toString()).start();
        assertEquals(0, mkfifo.waitFor());
        try (Journal journal = Journal.openReadOnly(own))
        {
            final long start = System.nanoTime();
            final Result result = JournalVerifier.verify(journal, Depth.FULL, TimeUnit.MILLISECONDS.toNanos(500));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
            assertFalse(result.ok());
            assertEquals(101, result.firstBadSequence(), result.toString());
            assertTrue(result.problem().contains("stalled"), result.problem());
        }
        finally
        {
            // Opening the FIFO for writing lets the abandoned reader's open return, so its thread ends.
            final Thread unblock = new Thread(() ->
            {
                try (FileOutputStream writer = new FileOutputStream(files.get(1).toFile()))
                {
                    writer.flush();
                }
                catch (final java.io.IOException ignored)
                {
                    // nothing to unblock
                }
            });
            unblock.setDaemon(true);
            unblock.start();
            unblock.join(TimeUnit.SECONDS.toMillis(5));
            Thread.sleep(200); // let the released reader finish with the file
            try (var paths = Files.walk(own))
            {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (final java.io.IOException | java.io.UncheckedIOException ignored)
            {
                // best effort: a temp directory
            }
        }
    }

    private void assertDamaged(final long firstBad, final String problem, final Path file)
    {
        for (final Depth depth : Depth.values())
        {
            final Result result = JournalVerifier.verify(dir, depth);
            assertFalse(result.ok(), depth + " " + result);
            assertEquals(firstBad, result.firstBadSequence(), depth + ": " + result);
            assertEquals(firstBad - 1, result.lastGoodSequence(), depth + ": " + result);
            assertTrue(result.problem().contains(problem), depth + ": " + result.problem());
            assertEquals(file.getFileName().toString(), result.file(), depth + ": " + result);
        }
    }
}
