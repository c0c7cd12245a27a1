package io.feedhandler.cli;

import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.MutableQuote;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the journal means, through {@code scripts/feed}: each tick keeps the symbol it was published
 * with whatever a later run defines, and a journal written by an older version (format 1) is refused
 * in one line, never misread, until {@code feed journal upgrade} converts it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JournalFormatIT
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.78.71:41071|interface=127.0.0.1";

    @TempDir
    Path dir;

    @Test
    void aLaterRunDefiningAnInstrumentAgainLeavesEarlierTicksUnderTheirOwnSymbol() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Path first = Files.write(dir.resolve("first.csv"), List.of(CsvTickSourceFormat.HEADER,
            "2026-11-28T10:00:00.000Z,AAPL,190.10,100,190.12,200",
            "2026-11-28T10:00:00.001Z,MSFT,410.50,300,410.55,100",
            "2026-11-28T10:00:00.002Z,AAPL,190.11,100,190.13,200"));
        final Path second = Files.write(dir.resolve("second.csv"), List.of(CsvTickSourceFormat.HEADER,
            "2026-11-28T11:00:00.000Z,TSLA,250.00,10,250.05,20",
            "2026-11-28T11:00:00.001Z,TSLA,250.01,10,250.06,20"));
        assertEquals(0, publish(journal, first).exitCode());
        assertEquals(0, publish(journal, second).exitCode());

        final Path all = dir.resolve("all.csv");
        final FeedProcess replay = FeedScript.run(60, "replay", "--journal", journal.toString(), "--format", "csv",
            "--output", all.toString());
        assertEquals(0, replay.exitCode(), replay.stderr());
        final List<String> rows = Files.readAllLines(all).stream().filter(line -> line.matches("\\d+,.*")).toList();
        assertEquals(5, rows.size(), rows.toString());
        assertEquals("AAPL", rows.get(0).split(",")[4], "published as AAPL, shown as AAPL: " + rows);
        assertEquals("MSFT", rows.get(1).split(",")[4], rows.toString());
        assertEquals("AAPL", rows.get(2).split(",")[4], rows.toString());
        assertEquals("TSLA", rows.get(3).split(",")[4], "id 1 is TSLA from the second run on: " + rows);
        assertEquals(rows.get(0).split(",")[3], rows.get(3).split(",")[3], "the same instrument id, two symbols");

        final FeedProcess aapl = FeedScript.run(60, "replay", "--journal", journal.toString(), "--format", "csv",
            "--instrument", "AAPL", "--output", dir.resolve("aapl.csv").toString());
        assertEquals(0, aapl.exitCode(), aapl.stderr());
        assertEquals(2, aapl.field("written"), "only what was published under AAPL: " + aapl.summary());

        final FeedProcess verify = FeedScript.run(60, "journal", "verify", "--journal", journal.toString());
        assertEquals(0, verify.exitCode(), verify.stderr());
    }

    @Test
    void aFormatOneJournalIsRefusedInOneLineThenUpgradedAndPublishedOn() throws Exception
    {
        final Path journal = dir.resolve("old");
        writeFormatOne(journal, 1_000);
        final FeedProcess refused = FeedScript.run(60, "publish", "--count", "10", "--rate", "0", "--connect-timeout",
            "0s", "--linger", "0s", "--no-replay-server", "--journal", journal.toString(), "--channel", CHANNEL);
        assertEquals(2, refused.exitCode(), refused.stderr());
        final List<String> lines = refused.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), refused.stderr());
        assertTrue(lines.get(0).contains("is format 1") && lines.get(0).contains("feed journal upgrade"), lines.get(0));
        final FeedProcess replay = FeedScript.run(60, "replay", "--journal", journal.toString());
        assertEquals(2, replay.exitCode(), "never misread: " + replay.stderr());

        final FeedProcess upgrade = FeedScript.run(90, "journal", "upgrade", "--journal", journal.toString());
        assertEquals(0, upgrade.exitCode(), upgrade.stderr());
        assertEquals(1_000, upgrade.field("quotes"), upgrade.summary());
        assertTrue(Files.isDirectory(Path.of(upgrade.text("archive"))), "the old journal is kept");

        final FeedProcess published = FeedScript.run(60, "publish", "--count", "10", "--rate", "0", "--connect-timeout",
            "0s", "--linger", "0s", "--no-replay-server", "--journal", journal.toString(), "--channel", CHANNEL);
        assertEquals(0, published.exitCode(), published.stderr());
        assertEquals(1_001, published.field("firstSeq"), published.summary());
        final FeedProcess verify = FeedScript.run(60, "journal", "verify", "--journal", journal.toString());
        assertEquals(0, verify.exitCode(), verify.stderr());
        assertEquals(1_010, verify.field("quotes"), verify.summary());
    }

    private FeedProcess publish(final Path journal, final Path csv) throws Exception
    {
        return FeedScript.run(60, "publish", "--csv", csv.toString(), "--rate", "0", "--connect-timeout", "0s",
            "--linger", "0s", "--no-replay-server", "--journal", journal.toString(), "--channel", CHANNEL);
    }

    /** What an older version wrote: one version 1 quote per entry, an instruments.csv, no format in journal.id. */
    private static void writeFormatOne(final Path journal, final int count) throws Exception
    {
        Files.createDirectories(journal);
        final FeedEncoder encoder = new FeedEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final MutableQuote quote = new MutableQuote();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(journal.toFile())
                .rollCycle(net.openhft.chronicle.queue.RollCycles.FAST_HOURLY).build();
            ExcerptAppender appender = queue.createAppender())
        {
            for (int sequence = 1; sequence <= count; sequence++)
            {
                quote.sequence = sequence;
                quote.instrumentId = 1 + sequence % 3;
                quote.bidPrice = 100_000_000L * sequence;
                quote.askPrice = quote.bidPrice + 1_000_000L;
                quote.bidSize = 10;
                quote.askSize = 20;
                final int length = encoder.encodeQuote(buffer, 0, quote);
                try (DocumentContext dc = appender.writingDocument())
                {
                    dc.wire().bytes().write(buffer.byteArray(), 0, length);
                }
            }
        }
        Files.writeString(journal.resolve("journal.id"), "channel=" + CHANNEL + "\nstream=1001\nepoch=00000000000000bb\n" +
            "created=2026-11-01T00:00:00Z\nschemaId=7301\nschemaVersion=1\norigin=new\n");
        Files.writeString(journal.resolve("instruments.csv"), "id,symbol,priceExponent\n1,AAA,-2\n2,BBB,-2\n3,CCC,-2\n");
    }

    /** The CSV source's header line. */
    private static final class CsvTickSourceFormat
    {
        static final String HEADER = io.feedhandler.publisher.CsvTickSource.COLUMNS;
    }
}
