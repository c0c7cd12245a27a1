package io.feedhandler.journal;

import io.feedhandler.codecs.QuoteBatchWriter;

import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.journal.JournalVerifier.Depth;
import io.feedhandler.journal.JournalVerifier.Result;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Salvaging a damaged journal for real: the damaged one kept intact beside a fresh one holding its good prefix. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalSalvageTest
{
    @TempDir
    Path parent;

    @Test
    void movesTheDamagedJournalAsideIntactAndCopiesItsGoodPrefix() throws Exception
    {
        final Path dir = parent.resolve("journal");
        final List<Path> files = DamagedJournals.write(dir, 4, 1000);
        DamagedJournals.truncate(files.get(3), DamagedJournals.entryHeaderOffset(files.get(3), 3500) + 20);
        final JournalIdentity identity = JournalIdentity.create(JournalIdentityTest.CHANNEL, 1001, "new");
        identity.write(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        final Map<String, Long> before = fingerprint(dir);
        final Result damage = JournalVerifier.verify(dir, Depth.START_UP);
        assertEquals(3499, damage.lastGoodSequence());

        final JournalSalvage.Outcome outcome;
        try (JournalLock lock = JournalLock.acquire(dir))
        {
            outcome = JournalSalvage.salvage(dir, damage.lastGoodSequence(), identity);
        }
        try
        {
            assertEquals(parent.toAbsolutePath(), outcome.archive().getParent(), "beside the journal");
            assertTrue(outcome.archive().getFileName().toString().startsWith("journal.damaged-"));
            assertEquals(before, fingerprint(outcome.archive()), "the damaged journal, byte for byte");
            assertEquals(1, outcome.firstSequence());
            assertEquals(3499, outcome.lastSequence());
            assertNull(outcome.shortfall());

            final Result fresh = JournalVerifier.verify(dir, Depth.FULL);
            assertTrue(fresh.ok(), fresh.toString());
            assertEquals(3499, fresh.lastGoodSequence());
            assertEquals(fileNames(files), fileNames(DamagedJournals.cycleFiles(dir)), "the same cycle files");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)),
                "as closed to others as the damaged one");
            try (Journal journal = Journal.openReadOnly(dir))
            {
                assertEquals(expectedDigest(1, 3499), journal.digest(1, 3499));
            }

            final JournalIdentity successor = JournalIdentity.read(dir);
            assertTrue(successor.sameStream(identity.channel(), identity.streamId()));
            assertNotEquals(identity.epoch(), successor.epoch(), "a history of its own");
            assertTrue(successor.origin().contains(outcome.archive().toString()), successor.origin());
            assertTrue(successor.origin().contains("3499"), successor.origin());

            final JournalException held = assertThrows(JournalException.class, () -> JournalLock.acquire(dir));
            assertTrue(held.getMessage().contains("already being written"), "the caller holds the fresh journal");
        }
        finally
        {
            outcome.lock().close();
        }
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            final FeedEncoder encoder = new FeedEncoder();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
            writer.append(buffer, 0, QuoteBatchWriter.single(buffer, 0, 0, JournalTest.quote(3500)));
            assertEquals(3500, journal.lastSequence(), "the fresh journal takes the next sequence");
        }
    }

    @Test
    void aMissingCycleKeepsTheSequencesBeforeIt() throws Exception
    {
        final Path dir = parent.resolve("journal");
        Files.delete(DamagedJournals.write(dir, 4, 1000).get(2));
        final Result damage = JournalVerifier.verify(dir, Depth.START_UP);
        assertEquals(2001, damage.firstBadSequence());
        final JournalSalvage.Outcome outcome = salvage(dir, damage.lastGoodSequence());
        outcome.lock().close();
        assertEquals(2000, outcome.lastSequence());
        assertTrue(JournalVerifier.verify(dir, Depth.FULL).ok());
        assertEquals(3, DamagedJournals.cycleFiles(outcome.archive()).size(), "the archive keeps 3001-4000 too");
    }

    @Test
    void theCopyStopsAtDamageTheQuickCheckDidNotRead() throws Exception
    {
        final Path dir = parent.resolve("journal");
        final List<Path> files = DamagedJournals.write(dir, 4, 1000);
        DamagedJournals.flip(files.get(1), DamagedJournals.entryHeaderOffset(files.get(1), 1500) + 8);
        DamagedJournals.truncate(files.get(3), DamagedJournals.entryHeaderOffset(files.get(3), 3500));
        final Result damage = JournalVerifier.verify(dir, Depth.START_UP);
        assertEquals(3499, damage.lastGoodSequence(), "the quick check sees the tail only");
        final JournalSalvage.Outcome outcome = salvage(dir, damage.lastGoodSequence());
        outcome.lock().close();
        assertEquals(1499, outcome.lastSequence(), "every copied entry is checked again");
        assertTrue(outcome.shortfall().contains("1499"), outcome.shortfall());
        assertEquals(1499, JournalVerifier.verify(dir, Depth.FULL).lastGoodSequence());
        assertFalse(JournalVerifier.verify(outcome.archive(), Depth.FULL).ok());
    }

    @Test
    void recordedNotJournaledHolesGoWithTheGoodPrefix() throws Exception
    {
        final Path dir = parent.resolve("journal");
        final FeedEncoder encoder = new FeedEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        try (Journal journal = Journal.open(dir, RollCycles.FIVE_MINUTELY, clock); JournalWriter writer = journal.newWriter())
        {
            for (long sequence = 1; sequence <= 420; sequence++)
            {
                if (sequence == 301)
                {
                    clock.advanceMillis(TimeUnit.MINUTES.toMillis(5));
                }
                final boolean hole = (sequence >= 101 && sequence <= 150) || (sequence >= 301 && sequence <= 310) ||
                    sequence > 400;
                assertTrue(hole ? writer.recordNotJournaled(sequence) :
                    writer.append(buffer, 0, QuoteBatchWriter.single(buffer, 0, 0, JournalTest.quote(sequence))));
            }
        }
        final Path last = DamagedJournals.cycleFiles(dir).get(1);
        DamagedJournals.truncate(last, DamagedJournals.entryHeaderOffset(last, 380) + 20);
        final Result damage = JournalVerifier.verify(dir, Depth.START_UP);
        assertEquals(380, damage.firstBadSequence(), damage.toString());

        final JournalSalvage.Outcome outcome = salvage(dir, damage.lastGoodSequence());
        outcome.lock().close();
        assertEquals(379, outcome.lastSequence());
        assertNull(outcome.shortfall());
        final Result fresh = JournalVerifier.verify(dir, Depth.FULL);
        assertTrue(fresh.ok(), fresh.toString());
        assertEquals(60, fresh.notJournaled(), "the holes before the damage are still recorded holes");
        assertEquals(379 - 60, fresh.entries());
        try (Journal journal = Journal.openReadOnly(dir))
        {
            assertEquals("101..150, 301..310", journal.notJournaled().describe(), "the range after the damage is dropped");
            assertEquals(379, journal.lastIssuedSequence(), "the publisher goes on at 380");
        }
    }

    @Test
    void aReplicasSalvagedPrefixKeepsItsIdentityAndEpoch() throws Exception
    {
        final Path dir = parent.resolve("journal");
        Files.delete(DamagedJournals.write(dir, 4, 1000).get(2));
        final Result damage = JournalVerifier.verify(dir, Depth.START_UP);
        final JournalIdentity replica = JournalIdentity.replica(JournalIdentityTest.CHANNEL, 1001, 0x1234_5678_9abcL,
            "aeron:udp?endpoint=127.0.0.1:40461");
        final JournalSalvage.Outcome outcome;
        try (JournalLock lock = JournalLock.acquire(dir))
        {
            outcome = JournalSalvage.salvage(dir, damage.lastGoodSequence(), replica, true);
        }
        outcome.lock().close();
        assertEquals(2000, outcome.lastSequence());
        assertEquals(replica, JournalIdentity.read(dir), "its tail is pulled again: the history does not part");
    }

    private static JournalSalvage.Outcome salvage(final Path dir, final long lastGood)
    {
        try (JournalLock lock = JournalLock.acquire(dir))
        {
            return JournalSalvage.salvage(dir, lastGood, JournalIdentity.create(JournalIdentityTest.CHANNEL, 1001, "new"));
        }
    }

    /** Every file's name and a checksum of its contents. */
    private static Map<String, Long> fingerprint(final Path dir) throws IOException
    {
        final Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(dir))
        {
            for (final Path path : paths.toList())
            {
                final CRC32 crc = new CRC32();
                try (var in = Files.newInputStream(path))
                {
                    final byte[] chunk = new byte[1 << 20];
                    for (int n = in.read(chunk); n > 0; n = in.read(chunk))
                    {
                        crc.update(chunk, 0, n);
                    }
                }
                files.put(path.getFileName().toString(), crc.getValue() ^ (Files.size(path) << 32));
            }
        }
        return files;
    }

    private static List<String> fileNames(final List<Path> files)
    {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }

    private static long expectedDigest(final long from, final long to)
    {
        final io.feedhandler.codecs.QuoteDigest digest = new io.feedhandler.codecs.QuoteDigest();
        for (long sequence = from; sequence <= to; sequence++)
        {
            digest.update(JournalTest.quote(sequence));
        }
        return digest.value();
    }
}
