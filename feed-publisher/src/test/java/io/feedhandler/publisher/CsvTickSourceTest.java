package io.feedhandler.publisher;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Prices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvTickSourceTest
{
    @TempDir
    Path dir;

    @Test
    void readsTheDocumentedColumns() throws Exception
    {
        final Path file = write(
            "timestamp,symbol,bid,bidSize,ask,askSize",
            "2026-11-20T14:30:00.000000001Z,AAPL,189.25,300,189.27,500",
            "# a comment",
            "",
            "1795185000000000002,EURUSD,1.08501,1000000,1.08503,2000000",
            "1795185000000000003,AAPL,189.26,100,189.28,200");
        final CsvTickSource source = CsvTickSource.load(file);

        assertEquals(3, source.size());
        assertEquals(List.of(new Instrument(1, "AAPL", -2), new Instrument(2, "EURUSD", -5)), source.instruments());

        final MutableQuote quote = new MutableQuote();
        assertTrue(source.next(quote, 0));
        assertEquals(1, quote.instrumentId);
        assertEquals(Prices.parse("189.25"), quote.bidPrice);
        assertEquals(300, quote.bidSize);
        assertEquals(Prices.parse("189.27"), quote.askPrice);
        assertEquals(500, quote.askSize);
        assertEquals(1_795_185_000_000_000_001L, quote.exchangeTimestamp);

        assertTrue(source.next(quote, 0));
        assertEquals(2, quote.instrumentId);
        assertEquals(Prices.parse("1.08501"), quote.bidPrice);
        assertTrue(source.next(quote, 0));
        assertEquals(1_795_185_000_000_000_003L, quote.exchangeTimestamp);
        assertFalse(source.next(quote, 0));
    }

    @Test
    void badLinesAreReportedWithTheirNumber() throws Exception
    {
        assertError("line 3", "'abc'", "timestamp,symbol,bid,bidSize,ask,askSize",
            "1,AAPL,1.00,1,1.01,1", "2,AAPL,abc,1,1.01,1");
        assertError("line 2", "6 columns", "1,AAPL,1.00,1,1.01,1", "2,AAPL,1.00,1");
        assertError("line 1", "'-5'", "1,AAPL,1.00,-5,1.01,1");
        assertError("line 1", "'yesterday'", "yesterday,AAPL,1.00,1,1.01,1");
        assertError("line 1", "symbol", "1,WAY_TOO_LONG_SYMBOL_NAME,1.00,1,1.01,1");
        assertError("line 1", "decimals", "1,AAPL,1.000000001,1,1.01,1");
    }

    @Test
    void aLargeFileIsIndexedReportsItsProgressAndLeavesNothingBehind() throws Exception
    {
        final Path file = dir.resolve("large.csv");
        final int lines = 600_000; // about 25 MB: over the size that reports progress
        try (java.io.BufferedWriter out = Files.newBufferedWriter(file))
        {
            out.write(CsvTickSource.COLUMNS + "\n");
            for (int i = 1; i <= lines; i++)
            {
                out.write(i + ",SYM" + (i % 50) + ",100." + (i % 100) + "," + i + ",101.5," + (i + 1) + "\n");
            }
        }
        assertTrue(Files.size(file) >= CsvTickSource.PROGRESS_FILE_BYTES, "a large file");
        final List<Long> reports = new java.util.ArrayList<>();
        final long before = tickIndexes();
        try (CsvTickSource source = CsvTickSource.load(file, (read, total, ticks) -> reports.add(100 * read / total)))
        {
            assertEquals(lines, source.size());
            assertEquals(50, source.instruments().size());
            assertTrue(reports.size() >= 10 && reports.get(reports.size() - 1) == 100, "a report every tenth: " + reports);
            final MutableQuote quote = new MutableQuote();
            for (int i = 1; i <= lines; i++)
            {
                assertTrue(source.next(quote, 0));
                assertEquals(i, quote.exchangeTimestamp);
                assertEquals(i, quote.bidSize);
                assertEquals(i + 1, quote.askSize);
            }
            assertFalse(source.next(quote, 0));
            assertEquals(before + 1, tickIndexes(), "one checked index while it is open");
        }
        assertEquals(before, tickIndexes(), "the index is deleted on close");
    }

    @Test
    void aBadLastLineStopsItBeforeAnyTickAndLeavesNoIndex() throws Exception
    {
        final long before = tickIndexes();
        assertError("line 3", "'x'", "1,AAPL,1.00,1,1.01,1", "2,AAPL,1.00,1,1.01,1", "3,AAPL,1.00,1,1.01,x");
        assertEquals(before, tickIndexes());
    }

    private static long tickIndexes() throws Exception
    {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir"))))
        {
            return files.filter(f -> f.getFileName().toString().startsWith("feed-csv-")).count();
        }
    }

    @Test
    void missingFileIsNamed()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CsvTickSource.load(dir.resolve("nope.csv")));
        assertTrue(ex.getMessage().contains("nope.csv"), ex.getMessage());
    }

    private void assertError(final String where, final String what, final String... lines) throws Exception
    {
        final Path file = write(lines);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> CsvTickSource.load(file));
        assertTrue(ex.getMessage().contains(where), ex.getMessage());
        assertTrue(ex.getMessage().contains(what), ex.getMessage());
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
    }

    private Path write(final String... lines) throws Exception
    {
        final Path file = Files.createTempFile(dir, "ticks", ".csv");
        Files.write(file, List.of(lines));
        return file;
    }
}
