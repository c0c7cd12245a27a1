package io.feedhandler.journal;

import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.QuoteDigest;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A journal of format 1 (one quote per entry, instruments.csv) is refused, never misread, and upgraded by copy. */
class JournalUpgradeTest
{
    @TempDir
    Path parent;

    /** What an older version wrote: 3 five-minute cycles of 1,000 single quotes, a recorded hole, identity, csv. */
    private Path formatOne() throws Exception
    {
        final Path dir = parent.resolve("journal");
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        final FeedEncoder encoder = new FeedEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        try (Journal journal = Journal.open(dir, RollCycles.FIVE_MINUTELY, clock);
            ExcerptAppender appender = journal.queue().createAppender())
        {
            long sequence = 1;
            for (int cycle = 0; cycle < 3; cycle++)
            {
                for (int i = 0; i < 1000; i++)
                {
                    if (sequence == 1500)
                    {
                        journal.notJournaled().recordRange(1500, 1509);
                        sequence = 1510;
                    }
                    final int length = encoder.encodeQuote(buffer, 0, JournalTest.quote(sequence++));
                    try (DocumentContext dc = appender.writingDocument())
                    {
                        dc.wire().bytes().write(buffer.byteArray(), 0, length);
                    }
                }
                clock.advanceMillis(TimeUnit.MINUTES.toMillis(5));
            }
        }
        Files.writeString(dir.resolve(JournalIdentity.FILE_NAME), "channel=aeron:ipc\nstream=7\nepoch=00000000000000aa\n" +
            "created=2026-01-01T00:00:00Z\nschemaId=7301\nschemaVersion=1\norigin=new\n");
        InstrumentStore.write(dir, List.of(new Instrument(1, "AAPL", -2), new Instrument(2, "MSFT", -2)));
        Files.createDirectories(dir.resolve(SubscriberOffset.DEFAULT_FOLDER));
        Files.writeString(dir.resolve(SubscriberOffset.DEFAULT_FOLDER).resolve("ops.offset"), "kept");
        return dir;
    }

    @Test
    void aFormatOneJournalIsRefusedWithOneLineThenUpgradedWithItsHistoryKept() throws Exception
    {
        final Path dir = formatOne();
        final JournalException refused = assertThrows(JournalException.class, () -> Journal.openReadOnly(dir));
        assertTrue(refused.getMessage().contains("is format 1") &&
            refused.getMessage().contains("feed journal upgrade --journal " + dir), refused.getMessage());
        assertTrue(JournalVerifier.verify(dir, JournalVerifier.Depth.FULL).ok(), "verify reads either format");

        final JournalUpgrade.Outcome outcome = JournalUpgrade.upgrade(dir);
        assertEquals(3000, outcome.quotes());
        assertTrue(outcome.entries() < 200, "batched: " + outcome.entries());
        assertTrue(Files.isDirectory(outcome.archive()), "the old journal is kept");
        assertEquals(1, Journal.format(outcome.archive()));

        try (Journal upgraded = Journal.openReadOnly(dir))
        {
            assertEquals(Journal.FORMAT, JournalIdentity.read(dir).format());
            assertEquals(0xaaL, upgraded.epoch(), "the same history: the same epoch");
            assertEquals(3, upgraded.cycleCount(), "the same cycle files");
            assertEquals(1, upgraded.firstSequence());
            assertEquals(3010, upgraded.lastSequence());
            assertTrue(upgraded.notJournaled().contains(1505));
            final QuoteDigest expected = new QuoteDigest();
            for (long sequence = 1; sequence <= 3010; sequence++)
            {
                if (sequence < 1500 || sequence > 1509)
                {
                    expected.update(JournalTest.quote(sequence));
                }
            }
            assertEquals(expected.value(), upgraded.digest(1, 3010));
            assertEquals("AAPL", upgraded.instruments().viewFrom(1).get(1).symbol());
            assertTrue(JournalVerifier.verify(upgraded).ok());
        }
        assertTrue(Files.exists(dir.resolve(SubscriberOffset.DEFAULT_FOLDER).resolve("ops.offset")), "offsets kept");
        assertEquals(null, JournalUpgrade.upgrade(dir).archive(), "already format 2: nothing to do");
    }
}
