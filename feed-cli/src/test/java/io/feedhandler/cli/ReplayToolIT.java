package io.feedhandler.cli;

import io.feedhandler.codecs.QuoteBatchWriter;
import org.agrona.concurrent.UnsafeBuffer;

import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code feed replay} and {@code feed journal verify} on a real journal written by {@code feed publish}. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReplayToolIT
{
    @TempDir
    Path dir;

    private String journal;

    @BeforeEach
    void publish() throws Exception
    {
        journal = dir.resolve("journal").toString();
        final FeedProcess publisher = FeedScript.run(90, "publish", "--count", "20000", "--rate", "0",
            "--instruments", "5", "--connect-timeout", "0s", "--linger", "0s", "--no-replay-server",
            "--journal", journal, "--channel", "aeron:udp?endpoint=239.255.78.51:41051|interface=127.0.0.1");
        assertEquals(0, publisher.exitCode(), publisher.stderr());
    }

    @Test
    void csvOfARangeHasExactlyTheRightRows() throws Exception
    {
        final Path csv = dir.resolve("range.csv");
        final FeedProcess replay = FeedScript.run(60, "replay", "--journal", journal, "--from-seq", "100",
            "--to-seq", "1099", "--format", "csv", "--output", csv.toString());
        assertEquals(0, replay.exitCode(), replay.stderr());
        final List<String> lines = Files.readAllLines(csv);
        assertEquals("sequence,exchangeTimestamp,sendTimestamp,instrumentId,symbol,bid,bidSize,ask,askSize", lines.get(0));
        assertEquals(1001, lines.size());
        for (int i = 1; i < lines.size(); i++)
        {
            final String[] fields = lines.get(i).split(",");
            assertEquals(9, fields.length, lines.get(i));
            assertEquals(99 + i, Long.parseLong(fields[0]));
            assertTrue(Long.parseLong(fields[1]) < Long.parseLong(fields[2]),
                "a synthetic tick's exchange time precedes its publish time: " + lines.get(i));
        }
        assertEquals(1000, replay.field("written"));
        assertFalse(replay.stderr().contains("%") || replay.stderr().contains("\r"),
            "no progress bar when stderr is not a terminal: " + replay.stderr());
    }

    @Test
    void theProgressBarOnATerminalCountsATimeRange() throws Exception
    {
        // The launcher says whether stderr is a terminal (it is not, here): say it is, as it would.
        final Path csv = dir.resolve("by-time.csv");
        final long from = sendTime(5000);
        final long to = sendTime(5999);
        final FeedProcess replay = FeedScript.startWithJavaOpts("-D" + Terminal.STDERR_PROPERTY + "=true", "replay",
            "--journal", journal, "--from-time", Long.toString(from), "--to-time", Long.toString(to), "--format", "csv",
            "--output", csv.toString());
        replay.awaitExit(60);
        assertEquals(0, replay.exitCode(), replay.stderr());
        final long written = replay.field("written");
        assertTrue(written >= 1000, "the range: " + written);
        final String bar = replay.stderr();
        assertTrue(bar.contains("100.0% " + String.format("%,d/%,d", written, written)),
            "the bar counts the time range, not the journal: " + bar);
        assertFalse(bar.contains("20,000"), "not the whole journal: " + bar);
    }

    @Test
    void textIsTheHumanFormatOfAQuote() throws Exception
    {
        final FeedProcess text = FeedScript.run(60, "replay", "--journal", journal, "--from-seq", "1", "--to-seq", "3");
        assertEquals(0, text.exitCode(), text.stderr());
        for (final String line : text.stdoutLines())
        {
            assertTrue(line.matches(SubscriberSilenceIT.QUOTE_TEXT) && !line.contains("#"), line);
        }
    }

    @Test
    void theOldSpellingOfARangeStillWorksWithANote() throws Exception
    {
        final FeedProcess current = FeedScript.run(60, "journal", "digest", "--journal", journal, "--from-seq", "10",
            "--to-seq", "20");
        final FeedProcess old = FeedScript.run(60, "journal", "digest", "--journal", journal, "--from", "10", "--to", "20");
        assertEquals(0, current.exitCode(), current.stderr());
        assertEquals(0, old.exitCode(), old.stderr());
        assertEquals(current.text("digest"), old.text("digest"));
        assertTrue(old.stderr().contains("--from is deprecated, use --from-seq"), old.stderr());
        assertTrue(old.stderr().contains("--to is deprecated, use --to-seq"), old.stderr());
    }

    @Test
    void filtersByInstrumentAndByTime() throws Exception
    {
        final FeedProcess aapl = FeedScript.run(60, "replay", "--journal", journal, "--instrument", "AAPL",
            "--format", "json");
        assertEquals(0, aapl.exitCode(), aapl.stderr());
        final List<String> rows = aapl.stdoutLines();
        assertTrue(rows.size() > 1000, "about a fifth of 20000: " + rows.size());
        assertTrue(rows.stream().allMatch(row -> row.contains("\"symbol\":\"AAPL\"")));

        // The send times of sequences 5000 and 5999 bound a time range holding exactly those.
        final long from = sendTime(5000);
        final long to = sendTime(5999);
        final FeedProcess byTime = FeedScript.run(60, "replay", "--journal", journal,
            "--from-time", Long.toString(from), "--to-time", Long.toString(to), "--format", "csv");
        assertEquals(0, byTime.exitCode(), byTime.stderr());
        final List<String> lines = byTime.stdoutLines();
        assertTrue(lines.get(1).startsWith("5000,") || sendTime(4999) == from, lines.get(1));
        assertTrue(lines.get(lines.size() - 1).startsWith("5999,") || sendTime(6000) == to);
    }

    @Test
    void verifyNamesTheFirstBadSequenceOfACorruptedJournal() throws Exception
    {
        final FeedProcess sound = FeedScript.run(60, "journal", "verify", "--journal", journal);
        assertEquals(0, sound.exitCode(), sound.stderr());
        assertEquals(20_000, sound.field("lastGoodSeq"));

        final long firstOfBatch = corruptEntry(12_345); // the batch that holds it: its first sequence is the first bad one
        final FeedProcess damaged = FeedScript.run(60, "journal", "verify", "--journal", journal);
        assertEquals(1, damaged.exitCode(), damaged.stderr());
        assertEquals(firstOfBatch, damaged.field("firstBadSeq"), damaged.summary());
        assertTrue(damaged.stderr().contains(Long.toString(firstOfBatch)), damaged.stderr());
    }

    @Test
    void followKeepsTailingWhatIsAppended() throws Exception
    {
        try (FeedProcess follow = FeedScript.start("replay", "--journal", journal, "--from-seq", "19991",
            "--format", "csv", "--follow"))
        {
            final FeedProcess more = FeedScript.run(90, "publish", "--count", "100", "--rate", "0",
                "--instruments", "5", "--connect-timeout", "0s", "--linger", "0s", "--no-replay-server",
                "--journal", journal, "--channel", "aeron:udp?endpoint=239.255.78.51:41051|interface=127.0.0.1");
            assertEquals(0, more.exitCode(), more.stderr());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (follow.stdoutLines().size() < 111 && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            final List<String> lines = follow.stdoutLines();
            assertEquals(111, lines.size(), "header, 10 old rows and 100 appended: " + lines.size());
            assertTrue(lines.get(110).startsWith("20100,"), lines.get(110));
            follow.signal("TERM");
            follow.awaitExit(30);
            assertTrue(follow.stderr().contains("\"lastSeq\":20100"), follow.stderr());
        }
    }

    @Test
    void badArgumentsNameTheValue() throws Exception
    {
        final FeedProcess reversed = FeedScript.run(60, "replay", "--journal", journal, "--from-seq", "10",
            "--to-seq", "5");
        assertEquals(2, reversed.exitCode());
        final FeedProcess badTime = FeedScript.run(60, "replay", "--journal", journal, "--from-time", "noon");
        assertEquals(2, badTime.exitCode());
        assertTrue(badTime.stderr().contains("'noon'"), badTime.stderr());
        final FeedProcess badSymbol = FeedScript.run(60, "replay", "--journal", journal, "--instrument", "NOPE");
        assertEquals(2, badSymbol.exitCode());
        assertTrue(badSymbol.stderr().contains("'NOPE'"), badSymbol.stderr());
    }

    private long sendTime(final long sequence) throws Exception
    {
        final long[] time = {0};
        try (Journal j = Journal.openReadOnly(Path.of(journal)); JournalReader reader = j.newReader())
        {
            assertTrue(reader.seek(sequence));
            reader.read((s, buffer, offset, length) ->
            {
                new io.feedhandler.codecs.FeedDecoder(q -> time[0] = q.sendTimestamp()).decode(buffer, offset, length);
                return true;
            });
        }
        return time[0];
    }

    /**
     * Overwrite the schema id of the entry (quote batch) that holds {@code sequence} inside the cycle
     * file; returns that batch's first sequence.
     */
    private long corruptEntry(final long sequence) throws Exception
    {
        final Path file;
        try (var files = Files.list(Path.of(journal)))
        {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(file);
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        final UnsafeBuffer header = new UnsafeBuffer(new byte[QuoteBatchWriter.HEADER_LENGTH]);
        new QuoteBatchWriter().wrap(header, 0, 0, 1);
        for (int i = 0; i + QuoteBatchWriter.HEADER_LENGTH <= bytes.length; i++)
        {
            if (view.getLong(i) == header.getLong(0))
            {
                final long first = QuoteBatchWriter.firstSequence(view, i);
                if (first <= sequence && sequence < first + QuoteBatchWriter.count(view, i))
                {
                    bytes[i + 4] ^= 0x55;
                    Files.write(file, bytes);
                    return first;
                }
            }
        }
        throw new AssertionError("no batch holding " + sequence + " in " + file);
    }

    private static boolean matches(final byte[] bytes, final int at, final byte[] pattern)
    {
        for (int i = 0; i < pattern.length; i++)
        {
            if (bytes[at + i] != pattern[i])
            {
                return false;
            }
        }
        return true;
    }
}
