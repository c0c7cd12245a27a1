package io.feedhandler.journal;

import io.feedhandler.codecs.Instrument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstrumentHistoryTest
{
    @TempDir
    Path dir;

    static final Instrument AAPL = new Instrument(1, "AAPL", -2);
    static final Instrument MSFT = new Instrument(2, "MSFT", -2);
    static final Instrument TSLA = new Instrument(1, "TSLA", -2);

    @Test
    void aLaterRunsDefinitionsApplyFromItsFirstSequenceAndEarlierTicksKeepTheirs()
    {
        final InstrumentHistory history = InstrumentHistory.read(dir);
        assertEquals(2, history.record(List.of(AAPL, MSFT), 1).size());
        assertEquals(0, history.record(List.of(AAPL, MSFT), 500).size(), "a run that changes nothing appends nothing");
        assertEquals(1, history.record(List.of(TSLA), 1001).size());

        final InstrumentHistory read = InstrumentHistory.read(dir);
        assertNull(read.damage());
        assertEquals(List.of(new InstrumentHistory.Definition(1, AAPL), new InstrumentHistory.Definition(1, MSFT)),
            read.at(1000));
        assertEquals(List.of(new InstrumentHistory.Definition(1001, TSLA), new InstrumentHistory.Definition(1, MSFT)),
            read.at(1001));
        assertEquals(1001, read.nextChangeAfter(1));
        assertEquals(Long.MAX_VALUE, read.nextChangeAfter(1001));

        final InstrumentHistory.View view = read.viewFrom(999);
        assertEquals("AAPL", view.get(1).symbol());
        view.advanceTo(1001);
        assertEquals("TSLA", view.get(1).symbol());
        assertEquals("MSFT", view.get(2).symbol());

        final InstrumentHistory.Cursor cursor = read.cursor();
        assertEquals(2, cursor.start(10).size());
        assertEquals(List.of(), cursor.reach(500));
        assertTrue(cursor.isDue(1001));
        assertEquals(List.of(new InstrumentHistory.Definition(1001, TSLA)), cursor.reach(1001));
        assertEquals(List.of(), cursor.reach(2000));

        assertThrows(JournalException.class, () -> read.record(List.of(AAPL), 900), "never back in time");
    }

    @Test
    void replicatedDefinitionsKeepTheirFromSequencesAndWhatIsHeldIsNotRecordedTwice()
    {
        final InstrumentHistory history = InstrumentHistory.read(dir);
        final InstrumentHistory.Definition msft = new InstrumentHistory.Definition(1, MSFT);
        final InstrumentHistory.Definition aapl = new InstrumentHistory.Definition(1, AAPL);
        final InstrumentHistory.Definition tsla = new InstrumentHistory.Definition(1001, TSLA);
        assertEquals(List.of(msft, aapl), history.recordReplicated(List.of(msft, aapl)));
        assertEquals(List.of(tsla), history.recordReplicated(List.of(tsla, aapl)), "in force already: left out");
        assertEquals(List.of(), history.recordReplicated(List.of(msft, tsla)), "a restart hears them again");

        final InstrumentHistory read = InstrumentHistory.read(dir);
        assertEquals(List.of(msft, aapl, tsla), read.all(), "each from the sequence the upstream recorded");
        assertEquals(AAPL, read.at(1000).get(0).instrument());
        assertEquals(TSLA, read.at(1001).get(0).instrument());
        assertThrows(JournalException.class,
            () -> read.recordReplicated(List.of(new InstrumentHistory.Definition(900, new Instrument(3, "IBM", -2)))),
            "a new definition from before the last record: the replica missed it");
    }

    @Test
    void aRecordCutShortByACrashIsIgnoredAndOtherDamageIsNamed() throws Exception
    {
        InstrumentHistory.read(dir).record(List.of(AAPL, MSFT), 1);
        final Path file = dir.resolve(InstrumentHistory.FILE_NAME);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(raf.length() - 7); // the second record, half written
        }
        final InstrumentHistory cut = InstrumentHistory.read(dir);
        assertNull(cut.damage());
        assertEquals(List.of(new InstrumentHistory.Definition(1, AAPL)), cut.all());

        final byte[] bytes = Files.readAllBytes(file);
        bytes[InstrumentHistory.HEADER_LENGTH + 17] ^= 0x20; // a letter of AAPL
        Files.write(file, bytes);
        final InstrumentHistory damaged = InstrumentHistory.read(dir);
        assertTrue(damaged.damage().contains("record 0 is damaged"), damaged.damage());
        assertEquals(List.of(), damaged.all());
    }
}
