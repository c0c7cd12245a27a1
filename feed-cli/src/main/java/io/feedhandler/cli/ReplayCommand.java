package io.feedhandler.cli;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.Prices;
import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.journal.InstrumentFilter;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalEntryHandler;
import io.feedhandler.journal.JournalReader;
import io.feedhandler.journal.JournalTail;
import io.feedhandler.journal.NotJournaledRanges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Read ticks from the journal, for a consumer that lags or for a look at history.",
        "A range by sequence or by time (the publisher's send time), optionally for some " +
            "instruments only, as text, CSV or JSON lines, to stdout or a file. --follow keeps tailing " +
            "the journal until SIGINT.",
        "Text: SEQUENCE PUBLISH-TIME SYMBOL BIDSIZE @ BID / ASK x ASKSIZE (as subscribe --print). " +
            "CSV columns: " +
            "sequence,exchangeTimestamp,sendTimestamp,instrumentId,symbol,bid,bidSize,ask,askSize.",
        "A JSON summary line ends the run: on stdout with --output, on stderr otherwise (stdout is " +
            "the data)."})
final class ReplayCommand implements Callable<Integer>, StopsOnSignal
{
    enum Format
    {
        text, csv, json
    }

    @picocli.CommandLine.Mixin
    JournalOptions journal;

    @Option(names = "--from-seq", paramLabel = "SEQ", description = "First sequence (default: the journal's first).")
    long fromSeq;

    @Option(names = "--to-seq", paramLabel = "SEQ", description = "Last sequence (default: the journal's last).")
    long toSeq;

    @Option(names = "--from-time", paramLabel = "TIME",
        description = "First send time: ISO-8601 (2026-11-20T14:30:00Z) or epoch nanoseconds.")
    String fromTime;

    @Option(names = "--to-time", paramLabel = "TIME", description = "Last send time, same forms.")
    String toTime;

    @Option(names = "--instrument", paramLabel = "SYMBOL|ID", split = ",",
        description = "Only these instruments (symbols or ids; repeat or separate with commas).")
    List<String> instrumentFilter;

    @Option(names = "--format", paramLabel = "FORMAT",
        description = "One of ${COMPLETION-CANDIDATES} (json: JSON lines) (default: ${DEFAULT-VALUE}).")
    Format format = Format.text;

    @Option(names = "--output", paramLabel = "FILE",
        description = "Write to FILE instead of stdout (with a progress bar when stderr is a terminal).")
    Path output;

    @Option(names = "--follow", description = "After the last sequence, keep reading what is appended, until SIGINT.")
    boolean follow;

    @picocli.CommandLine.Mixin
    ConfigOptions config;

    private volatile boolean stopped;
    private final StringBuilder text = new StringBuilder();

    public Integer call() throws Exception
    {
        final Path journalDir = journal.existing();
        final long fromNanos = fromTime == null ? Long.MIN_VALUE : parseTime("--from-time", fromTime);
        final long toNanos = toTime == null ? Long.MAX_VALUE : parseTime("--to-time", toTime);
        if (fromSeq < 0 || toSeq < 0 || (toSeq != 0 && toSeq < fromSeq))
        {
            throw new UsageError("bad range --from-seq " + fromSeq + " --to-seq " + toSeq);
        }
        if (toNanos < fromNanos)
        {
            throw new UsageError("bad range: --to-time " + toTime + " is before --from-time " + fromTime);
        }
        try (ShutdownSignal signal = new ShutdownSignal(); Journal opened = journal.openReadOnly())
        {
            final InstrumentHistory history = opened.instruments();
            final InstrumentFilter wanted = instrumentFilter == null ? null : InstrumentFilter.of(instrumentFilter, history);
            signal.onSignal(() -> stopped = true);
            final long first = opened.firstSequence();
            final long last = opened.lastSequence();
            long from = Math.max(fromSeq == 0 ? first : fromSeq, first);
            final long to = toSeq != 0 ? toSeq : follow ? Long.MAX_VALUE : last;
            if (fromSeq > 0 && fromSeq < first)
            {
                System.err.println("feed replay: sequences " + fromSeq + ".." + (first - 1) +
                    " are no longer in the journal; starting at " + first);
            }
            if (fromNanos != Long.MIN_VALUE && last > 0)
            {
                from = Math.max(from, firstAtOrAfter(opened, first, last, fromNanos));
            }
            final long journaledFrom = opened.nextJournaled(from);
            if (journaledFrom != from)
            {
                System.err.println("feed replay: " + NotJournaledRanges.explain(from, journaledFrom - 1) +
                    "; starting at " + journaledFrom);
                from = journaledFrom;
            }

            final PrintWriter out = output == null ?
                new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) :
                new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8));
            // A bar only for a person watching: on a terminal, never into a log or a pipe.
            final Progress progress = output == null || !Terminal.stderrIsTerminal() ? null :
                new Progress(from, lastInRange(opened, from, Math.min(to, Math.max(last, from)), toNanos));
            final long[] written = {0};
            final long[] read = {0};
            final long[] next = {from};
            final boolean[] pastEnd = {false};
            final long start = from;
            // Each tick under the definition it was published with, whatever ran later on this journal.
            final InstrumentHistory.View symbols = history.viewFrom(from);
            final FeedDecoder decoder = new FeedDecoder(new FeedHandler()
            {
                public void onQuote(final Quote quote)
                {
                    if (quote.sequence() < start)
                    {
                        return; // the first batch may begin before the range
                    }
                    if (pastEnd[0] || quote.sendTimestamp() > toNanos || quote.sequence() > to)
                    {
                        pastEnd[0] = true;
                        return;
                    }
                    next[0] = quote.sequence() + 1;
                    read[0]++;
                    symbols.advanceTo(quote.sequence());
                    final Instrument instrument = symbols.get(quote.instrumentId());
                    if (quote.sendTimestamp() >= fromNanos && (wanted == null || wanted.matches(instrument, quote.instrumentId())))
                    {
                        write(out, quote, instrument == null ? "" : instrument.symbol());
                        written[0]++;
                    }
                }
            });
            if (format == Format.csv)
            {
                out.println("sequence,exchangeTimestamp,sendTimestamp,instrumentId,symbol,bid,bidSize,ask,askSize");
            }
            final JournalEntryHandler entries = (sequence, buffer, offset, length) ->
            {
                decoder.decode(buffer, offset, length);
                return true;
            };
            try (JournalTail tail = new JournalTail(opened).from(from))
            {
                while (!stopped && !pastEnd[0] && tail.nextSequence() <= to)
                {
                    final int n = tail.poll(entries, (int)Math.min(1024, to - tail.nextSequence() + 1));
                    if (progress != null)
                    {
                        progress.update(next[0] - 1);
                    }
                    if (n == 0)
                    {
                        if (tail.atNotJournaled())
                        {
                            tail.from(tail.notJournaledLast() + 1); // never journaled: nothing to show, go on after
                            continue;
                        }
                        if (!follow || tail.nextSequence() > to)
                        {
                            break;
                        }
                        out.flush();
                        Thread.sleep(10);
                    }
                }
            }
            out.flush();
            if (progress != null)
            {
                progress.done();
                out.close();
            }
            final SummaryLine summary = new SummaryLine()
                .add("role", "replay")
                .add("fromSeq", from)
                .add("lastSeq", next[0] - 1)
                .add("read", read[0])
                .add("written", written[0])
                .add("format", format.name());
            (output == null ? System.err : System.out).println(summary);
            return 0;
        }
    }

    /** The last sequence the range takes: {@code to}, or before it the last sent by {@code toNanos}. */
    private static long lastInRange(final Journal journal, final long from, final long to, final long toNanos)
    {
        if (toNanos == Long.MAX_VALUE || to < from)
        {
            return to;
        }
        return Math.max(from, Math.min(to, firstAtOrAfter(journal, from, to, toNanos + 1) - 1));
    }

    /** Binary search on the publisher's send time, which only grows along the sequence. */
    private static long firstAtOrAfter(final Journal journal, final long first, final long last, final long nanos)
    {
        long low = first;
        long high = last + 1;
        final long[] time = {0};
        final FeedDecoder decoder = new FeedDecoder(quote -> time[0] = quote.sendTimestamp());
        try (JournalReader reader = journal.newReader())
        {
            while (low < high)
            {
                final long mid = low + (high - low) / 2;
                // The first journaled tick at or after mid (holes not journaled have no time of their own);
                // none at all counts as after any time.
                time[0] = Long.MAX_VALUE;
                if (reader.seek(journal.nextJournaled(mid)))
                {
                    reader.read((sequence, buffer, offset, length) ->
                    {
                        decoder.decode(buffer, offset, length);
                        return true;
                    });
                }
                if (time[0] < nanos)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }
        }
        return low;
    }

    private void write(final PrintWriter out, final Quote quote, final String symbol)
    {
        switch (format)
        {
            case csv:
                out.append(Long.toString(quote.sequence())).append(',')
                    .append(Long.toString(quote.exchangeTimestamp())).append(',')
                    .append(Long.toString(quote.sendTimestamp())).append(',')
                    .append(Integer.toString(quote.instrumentId())).append(',')
                    .append(symbol).append(',')
                    .append(Prices.format(quote.bidPrice())).append(',')
                    .append(Long.toString(quote.bidSize())).append(',')
                    .append(Prices.format(quote.askPrice())).append(',')
                    .append(Long.toString(quote.askSize())).append('\n');
                break;
            case json:
                out.println(new SummaryLine()
                    .add("sequence", quote.sequence())
                    .add("exchangeTimestamp", quote.exchangeTimestamp())
                    .add("sendTimestamp", quote.sendTimestamp())
                    .add("instrumentId", quote.instrumentId())
                    .add("symbol", symbol)
                    .add("bid", Prices.format(quote.bidPrice()))
                    .add("bidSize", quote.bidSize())
                    .add("ask", Prices.format(quote.askPrice()))
                    .add("askSize", quote.askSize()));
                break;
            default:
                text.setLength(0);
                out.append(QuoteText.append(text, quote, symbol)).append('\n');
        }
    }

    static long parseTime(final String option, final String text)
    {
        try
        {
            if (text.chars().allMatch(Character::isDigit))
            {
                return Long.parseLong(text);
            }
            final Instant instant = Instant.parse(text);
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (final DateTimeParseException | ArithmeticException | NumberFormatException ex)
        {
            throw new UsageError("bad " + option + " '" + text + "': use ISO-8601 (2026-11-20T14:30:00Z) or epoch nanoseconds");
        }
    }

    /** A progress bar on stderr, redrawn at most ten times a second. */
    private static final class Progress
    {
        private final long from;
        private final long to;
        private final long start = System.nanoTime();
        private long lastDraw = start; // the first draw after 100 ms, when a rate means something

        Progress(final long from, final long to)
        {
            this.from = from;
            this.to = to;
        }

        void update(final long at)
        {
            final long now = System.nanoTime();
            if (now - lastDraw > 100_000_000L)
            {
                lastDraw = now;
                draw(at);
            }
        }

        void done()
        {
            draw(to);
            System.err.println();
        }

        private void draw(final long at)
        {
            final long total = Math.max(1, to - from + 1);
            final double fraction = Math.min(1.0, Math.max(0.0, (at - from + 1) / (double)total));
            final int width = 40;
            final int filled = (int)(fraction * width);
            final double seconds = (System.nanoTime() - start) / 1e9;
            final long done = Math.max(0, Math.min(total, at - from + 1));
            System.err.printf("\r[%s%s] %5.1f%% %,d/%,d  %,.0f ticks/s", "#".repeat(filled), " ".repeat(width - filled),
                fraction * 100, done, total, seconds >= 0.1 ? done / seconds : 0.0);
            System.err.flush();
        }
    }

}
