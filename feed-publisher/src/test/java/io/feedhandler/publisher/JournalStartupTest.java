package io.feedhandler.publisher;

import io.feedhandler.codecs.QuoteBatchWriter;

import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalDamagedException;
import io.feedhandler.journal.JournalException;
import io.feedhandler.journal.JournalIdentity;
import io.feedhandler.journal.JournalVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publisher's start-up check through a real embedded media driver and a real journal on disk:
 * it refuses a damaged journal or one of another stream, and with {@link DamagedJournalPolicy#ARCHIVE}
 * goes on after the last good sequence with the damaged journal kept aside.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JournalStartupTest
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.78.63:41063|interface=127.0.0.1";
    static final int STREAM = 3063;

    @TempDir
    Path parent;

    private Path dir;

    @Test
    void refusesADamagedJournalAndLeavesItAsItWas() throws Exception
    {
        dir = parent.resolve("journal");
        run(context(5_000));
        final Path damaged = cutInside(4_000);
        final long size = Files.size(damaged);

        final JournalDamagedException ex = assertThrows(JournalDamagedException.class,
            () -> Publisher.launch(context(100)));
        assertEquals(4_000, ex.result().firstBadSequence(), ex.getMessage());
        assertEquals(3_999, ex.result().lastGoodSequence());
        assertTrue(ex.getMessage().contains("journal " + dir.toAbsolutePath() + " is damaged at sequence 4000"),
            ex.getMessage());
        assertTrue(ex.getMessage().contains("--on-damaged-journal archive"), ex.getMessage());
        assertTrue(ex.getMessage().contains("from sequence 4000"), ex.getMessage());
        assertEquals(size, Files.size(damaged), "nothing opened it for writing (that would grow it back)");
        assertTrue(Journal.hasCycleFiles(dir));
        try (Stream<Path> siblings = Files.list(parent))
        {
            assertEquals(List.of(dir), siblings.toList(), "nothing moved");
        }
    }

    @Test
    void archivesADamagedJournalAndGoesOnAfterItsLastGoodSequence() throws Exception
    {
        dir = parent.resolve("journal");
        run(context(5_000));
        final long goodPrefix;
        try (Journal journal = Journal.openReadOnly(dir))
        {
            goodPrefix = journal.digest(1, 3_999);
        }
        final Path damaged = cutInside(4_000);
        final long size = Files.size(damaged);
        final JournalIdentity before = JournalIdentity.read(dir);

        final PublisherStats stats;
        final Path archive;
        try (Publisher publisher = Publisher.launch(context(100).onDamagedJournal(DamagedJournalPolicy.ARCHIVE)))
        {
            assertTrue(publisher.awaitCompletion(60, TimeUnit.SECONDS));
            assertNull(publisher.failure());
            stats = publisher.stats();
            assertNotNull(publisher.salvage());
            archive = publisher.salvage().archive();
            assertEquals(3_999, publisher.salvage().lastSequence());
        }
        assertEquals(4_000, stats.firstSeq(), "the next after the last good one");
        assertEquals(4_099, stats.lastSeq());
        assertEquals(size, Files.size(archive.resolve(damaged.getFileName())), "the damaged file kept as it was");
        assertEquals(before, JournalIdentity.read(archive));

        final JournalVerifier.Result fresh = JournalVerifier.verify(dir, JournalVerifier.Depth.FULL);
        assertTrue(fresh.ok(), fresh.toString());
        assertEquals(1, fresh.firstSequence());
        assertEquals(4_099, fresh.lastGoodSequence());
        try (Journal journal = Journal.openReadOnly(dir))
        {
            assertEquals(goodPrefix, journal.digest(1, 3_999), "the good prefix, unchanged");
            assertEquals(stats.digest(), journal.digest(4_000, 4_099));
        }
        assertEquals(4_000, JournalVerifier.verify(archive, JournalVerifier.Depth.FULL).firstBadSequence());
    }

    @Test
    void refusesAJournalOfAnotherStream() throws Exception
    {
        dir = parent.resolve("journal");
        run(context(10));
        for (final DamagedJournalPolicy policy : DamagedJournalPolicy.values())
        {
            final JournalException ex = assertThrows(JournalException.class,
                () -> Publisher.launch(context(10).transport(t -> t.streamId(STREAM + 1)).onDamagedJournal(policy)));
            assertTrue(ex.getMessage().contains("holds the ticks of stream " + STREAM + " (sequences 1..10) (on " +
                CHANNEL + ")"), ex.getMessage());
            assertTrue(ex.getMessage().contains("not of stream " + (STREAM + 1)), ex.getMessage());
        }
        final PublisherStats again = run(context(10).transport(t -> t.channel(CHANNEL.replace("127.0.0.1", "127.0.0.1|ttl=0"))));
        assertEquals(11, again.firstSeq(), "another interface or ttl is the same stream");
    }

    @Test
    void aJournalOlderThanIdentitiesIsAdopted() throws Exception
    {
        dir = parent.resolve("journal");
        run(context(10));
        assertEquals("new", JournalIdentity.read(dir).origin());
        Files.delete(dir.resolve(JournalIdentity.FILE_NAME));
        assertEquals(11, run(context(10)).firstSeq());
        final JournalIdentity adopted = JournalIdentity.read(dir);
        assertEquals("adopted", adopted.origin());
        assertTrue(adopted.sameStream(CHANNEL, STREAM));
    }

    private PublisherStats run(final PublisherContext context) throws InterruptedException
    {
        try (Publisher publisher = Publisher.launch(context))
        {
            assertTrue(publisher.awaitCompletion(60, TimeUnit.SECONDS));
            assertNull(publisher.failure());
            return publisher.stats();
        }
    }

    private PublisherContext context(final long count)
    {
        return new PublisherContext()
            .transport(t -> t.channel(CHANNEL).streamId(STREAM))
            .journalDirectory(dir)
            .source(new SyntheticMarket(5, 3))
            .rate(0)
            .count(count)
            .connectTimeoutNanos(0)
            .lingerNanos(0)
            .replayServer(null)
            .maxBatchTicks(1); // an entry per tick: the damage is done at a tick's own entry
    }

    /** Cut the cycle file holding {@code sequence} in the middle of that entry; returns the file. */
    private Path cutInside(final long sequence) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.filter(p -> p.toString().endsWith(".cq4")).toList())
            {
                final byte[] bytes = new byte[(int)Math.min(4 << 20, Files.size(file))];
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    raf.readFully(bytes);
                    final int at = QuoteBatchWriter.offsetOfBatchHolding(bytes, sequence);
                    if (at >= 0)
                    {
                        raf.setLength(at + 20);
                        return file;
                    }
                }
            }
        }
        throw new AssertionError("no entry for sequence " + sequence);
    }

}
