package io.feedhandler.publisher;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
