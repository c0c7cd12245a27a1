package io.feedhandler.cli;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Prices;
import io.feedhandler.codecs.QuoteBook;
import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.journal.InstrumentFilter;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalBook;
import io.feedhandler.journal.JournalCheckInterruptedException;
import io.feedhandler.journal.JournalException;
import io.feedhandler.journal.JournalIdentity;
import io.feedhandler.journal.JournalUpgrade;
import io.feedhandler.journal.JournalVerifier;
import io.feedhandler.journal.ReplicaState;
import io.feedhandler.journal.SubscriberOffset;
import io.feedhandler.subscriber.SubscriberConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

@Command(name = "journal", mixinStandardHelpOptions = true,
    description = "Look at a journal: its extent, a digest of a range, or a full check.",
    subcommands = {JournalCommand.Stats.class, JournalCommand.Digest.class, JournalCommand.Book.class,
        JournalCommand.Verify.class, JournalCommand.Upgrade.class})
final class JournalCommand
{
    @Command(name = "stats", mixinStandardHelpOptions = true,
        description = "First and last sequence, entry count, cycle files and size on disk; JSON on the last line.")
    static final class Stats implements Callable<Integer>
    {
        @picocli.CommandLine.Mixin
        JournalOptions journal;

        @picocli.CommandLine.Mixin
        ConfigOptions config;

        @Option(names = "--offsets", paramLabel = "DIR",
            description = "Where durable subscribers keep their offsets (default: <journal>/subscribers, and the " +
                "user's state directory, $XDG_STATE_HOME/feed/subscribers or ~/.local/state/feed/subscribers, " +
                "for the offsets there of this journal's stream).")
        Path offsets;

        public Integer call()
        {
            try (Journal opened = journal.openReadOnly())
            {
                final long first = opened.firstSequence();
                final long last = opened.lastSequence();
                final SummaryLine subscribers = new SummaryLine();
                final StringBuilder table = new StringBuilder();
                for (final SubscriberOffset.Entry entry : durableSubscribers(opened.epoch()))
                {
                    final long lag = Math.max(0, last - entry.lastDelivered());
                    // An offset taken from another epoch (a replaced journal, a reused name) is no position here.
                    final boolean otherStream = entry.epoch() != 0 && entry.epoch() != opened.epoch();
                    subscribers.add(entry.name(), new SummaryLine()
                        .add("offset", entry.lastDelivered())
                        .add("lag", lag)
                        .add("epoch", String.format("%016x", entry.epoch()))
                        .add("otherStream", otherStream));
                    table.append(String.format("  %-24s %14d %14d%s%n", entry.name(), entry.lastDelivered(), lag,
                        otherStream ? "  another stream's (epoch " + String.format("%016x", entry.epoch()) + ")" : ""));
                }
                final SummaryLine line = new SummaryLine()
                    .add("role", "journal-stats")
                    .add("journal", journal.directory.toAbsolutePath().toString())
                    .add("firstSeq", first)
                    .add("lastSeq", last)
                    .add("count", opened.quoteCount())
                    .add("entries", opened.entryCount())
                    .add("cycles", opened.cycleCount())
                    .add("sizeBytes", opened.sizeOnDisk())
                    .add("instruments", opened.instruments().at(Long.MAX_VALUE).size())
                    .add("epoch", String.format("%016x", opened.epoch()))
                    .add("subscribers", subscribers)
                    .add("notJournaled", opened.notJournaled().describe());
                final JournalIdentity identity = JournalIdentity.read(journal.directory);
                if (identity != null && identity.isReplica())
                {
                    line.add("replica", replicaStanding(identity, last));
                }
                System.err.printf("journal %s%n  sequences %d..%d (%,d ticks in %,d entries)%n  %d cycle file(s), %,d bytes%n",
                    journal.directory.toAbsolutePath(), first, last, opened.quoteCount(), opened.entryCount(),
                    opened.cycleCount(), opened.sizeOnDisk());
                if (opened.notJournaled().count() > 0)
                {
                    System.err.printf("  sent without being journaled (disk full, policy live-only): %s%n",
                        opened.notJournaled().describe());
                }
                if (table.length() > 0)
                {
                    System.err.printf("  %-24s %14s %14s%n%s", "durable subscriber", "offset", "lag", table);
                }
                System.out.println(line);
                return 0;
            }
        }

        /**
         * The offsets in {@code --offsets}, else those in {@code <journal>/subscribers} and, from the user's state
         * directory (where a named subscriber run without {@code --journal} keeps its offset, whatever stream it
         * follows), those of this journal's stream, by its epoch; a name in both is the journal's.
         */
        private List<SubscriberOffset.Entry> durableSubscribers(final long epoch)
        {
            if (offsets != null)
            {
                return SubscriberOffset.readAll(offsets);
            }
            final Path journalOffsets = journal.directory.resolve(SubscriberOffset.DEFAULT_FOLDER);
            final List<SubscriberOffset.Entry> entries = new ArrayList<>(SubscriberOffset.readAll(journalOffsets));
            final Path userOffsets = SubscriberConfiguration.offsetsDirectory(System.getenv(),
                System.getProperty("user.home"));
            for (final SubscriberOffset.Entry entry : SubscriberOffset.readAll(userOffsets))
            {
                final boolean listed = entries.stream().anyMatch(e -> e.name().equals(entry.name()));
                if (epoch != 0 && entry.epoch() == epoch && !listed) // the same directory twice lists each once
                {
                    entries.add(entry);
                }
            }
            return entries;
        }

        /**
         * How far a replica's journal trails its upstream, as the replica last wrote it ({@code replica.state});
         * also said on stderr.
         */
        private SummaryLine replicaStanding(final JournalIdentity identity, final long last)
        {
            final ReplicaState.Snapshot state = ReplicaState.read(journal.directory);
            final long head = state != null ? Math.max(state.upstreamHead(), last) : last;
            final long trailsBy = Math.max(0, head - last);
            final String asOf = state != null && state.updatedEpochMs() > 0 ?
                java.time.Instant.ofEpochMilli(state.updatedEpochMs()).toString() : "";
            System.err.printf("  replica of %s, trails its upstream by %,d sequences as of %s (%s)%n", identity.upstream(),
                trailsBy, asOf.isEmpty() ? "never" : asOf, state != null ? state.state() : "never run");
            return new SummaryLine()
                .add("upstream", identity.upstream())
                .add("upstreamHeadSeq", head)
                .add("trailsBy", trailsBy)
                .add("asOf", asOf)
                .add("state", state != null ? state.state().name() : "NEVER_RUN");
        }
    }

    @Command(name = "digest", mixinStandardHelpOptions = true,
        description = {"Digest of the quotes from --from-seq to --to-seq (default: the whole journal).",
            "The same digest the publisher and subscribers print. Sequences recorded as not journaled (disk full, " +
            "policy live-only) are stepped over, as a subscriber that counts them lost does."})
    static final class Digest implements Callable<Integer>
    {
        @picocli.CommandLine.Mixin
        JournalOptions journal;

        @picocli.CommandLine.Mixin
        ConfigOptions config;

        @Option(names = "--from-seq", paramLabel = "SEQ", description = "First sequence (default: the journal's first).")
        long from;

        @Option(names = "--to-seq", paramLabel = "SEQ", description = "Last sequence (default: the journal's last).")
        long to;

        @Option(names = "--instrument", paramLabel = "SYMBOL|ID", split = ",",
            description = "Only these instruments (symbols or ids; repeat or separate with commas), each tick under " +
                "the definition it was published with: the digest a subscriber with the same --instrument prints.")
        List<String> instrumentFilter;

        @Option(names = "--from", paramLabel = "SEQ", hidden = true, description = Vocabulary.DEPRECATED + "--from-seq.")
        void deprecatedFrom(final long sequence)
        {
            from = sequence;
        }

        @Option(names = "--to", paramLabel = "SEQ", hidden = true, description = Vocabulary.DEPRECATED + "--to-seq.")
        void deprecatedTo(final long sequence)
        {
            to = sequence;
        }

        public Integer call()
        {
            try (Journal opened = journal.openReadOnly())
            {
                final long first = opened.firstSequence();
                final long last = opened.lastSequence();
                final long fromSeq = from == 0 ? first : from;
                final long toSeq = to == 0 ? last : to;
                if (fromSeq < 0 || toSeq < 0)
                {
                    throw new UsageError("bad range " + fromSeq + ".." + toSeq + ": sequences are >= 1");
                }
                if (toSeq < fromSeq)
                {
                    throw new UsageError("bad range: --to-seq " + toSeq + " is before --from-seq " + fromSeq);
                }
                if (last == 0 || fromSeq < first || toSeq > last)
                {
                    throw new UsageError("bad range " + fromSeq + ".." + toSeq + ": the journal holds " +
                        (last == 0 ? "nothing" : first + ".." + last));
                }
                final InstrumentFilter filter;
                try
                {
                    filter = instrumentFilter == null ? null : InstrumentFilter.of(instrumentFilter, opened.instruments());
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new UsageError(ex.getMessage());
                }
                final long[] counted = new long[1];
                final long digest = opened.digest(fromSeq, toSeq, filter, counted);
                System.out.println(new SummaryLine()
                    .add("role", "journal-digest")
                    .add("fromSeq", fromSeq)
                    .add("toSeq", toSeq)
                    .add("count", counted[0])
                    .add("notJournaled", opened.notJournaled().countWithin(fromSeq, toSeq))
                    .add("digest", QuoteDigest.toHex(digest)));
                return 0;
            }
        }
    }

    @Command(name = "book", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The top of book as of a sequence (default: the journal's last), and its book digest.",
            "Every instrument's latest quote; the digest is the one every subscriber prints as bookDigest. Built from " +
            "the journal's first " +
            "retained sequence; sequences recorded as not journaled are stepped over.",
            "With --format csv or json, the book itself first (one row per instrument, in id order); the JSON " +
            "summary line is always last."})
    static final class Book implements Callable<Integer>
    {
        /** How the book itself is printed, before the summary line. */
        enum Format
        {
            none, csv, json
        }

        @picocli.CommandLine.Mixin
        JournalOptions journal;

        @Option(names = "--at", paramLabel = "SEQ", description = "The book as of this sequence (default: the last).")
        long at;

        @Option(names = "--instrument", paramLabel = "SYMBOL|ID", split = ",",
            description = "Only these instruments (symbols or ids; repeat or separate with commas): the book a " +
                "subscriber with the same --instrument holds.")
        List<String> instrumentFilter;

        @Option(names = "--format", paramLabel = "FORMAT",
            description = "Also print the book, one of ${COMPLETION-CANDIDATES} (json: JSON lines) " +
                "(default: ${DEFAULT-VALUE}).")
        Format format = Format.none;

        @Option(names = "--max-instruments", paramLabel = "N",
            description = "Most instruments kept, as a subscriber's --max-instruments (default: ${DEFAULT-VALUE}).")
        int maxInstruments = SubscriberConfiguration.MAX_INSTRUMENTS;

        @picocli.CommandLine.Mixin
        ConfigOptions config;

        public Integer call()
        {
            if (at < 0)
            {
                throw new UsageError("bad --at " + at + ": sequences are >= 1");
            }
            if (maxInstruments < 1)
            {
                throw new UsageError("bad --max-instruments " + maxInstruments + ": must be >= 1");
            }
            try (Journal opened = journal.openReadOnly())
            {
                final InstrumentHistory history = opened.instruments();
                final InstrumentFilter filter;
                try
                {
                    filter = instrumentFilter == null ? null :
                        InstrumentFilter.of(instrumentFilter, history);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new UsageError(ex.getMessage());
                }
                final long first = opened.firstSequence();
                final long last = opened.lastSequence();
                final long asOf = at == 0 ? last : at;
                if (at > 0 && (last == 0 || at < first || at > last))
                {
                    throw new UsageError("bad --at " + at + ": the journal holds " +
                        (last == 0 ? "nothing" : first + ".." + last));
                }
                if (first > 1)
                {
                    System.err.println("journal book: sequences before " + first + " are no longer retained: the book " +
                        "holds what was quoted from " + first + " on");
                }
                try (JournalBook book =
                    new JournalBook(opened, maxInstruments, asOf, filter).readToEnd())
                {
                    final QuoteBook quotes = book.book();
                    print(quotes, history.at(asOf));
                    final SummaryLine line = new SummaryLine()
                        .add("role", "journal-book")
                        .add("journal", journal.directory.toAbsolutePath().toString())
                        .add("firstSeq", first)
                        .add("atSeq", asOf)
                        .add("instruments", quotes.size())
                        .add("untracked", quotes.untracked())
                        .add("bookDigest", QuoteDigest.toHex(quotes.digest()));
                    System.err.printf("journal %s: book of %,d instrument(s) as of sequence %d, digest %s%n",
                        journal.directory.toAbsolutePath(), quotes.size(), asOf, QuoteDigest.toHex(quotes.digest()));
                    System.out.println(line);
                    return 0;
                }
            }
        }

        private void print(final QuoteBook quotes, final List<InstrumentHistory.Definition> definitions)
        {
            if (format == Format.none)
            {
                return;
            }
            final Map<Integer, String> symbols = new HashMap<>();
            for (final InstrumentHistory.Definition definition : definitions)
            {
                symbols.put(definition.instrument().id(), definition.instrument().symbol());
            }
            final StringBuilder out = new StringBuilder();
            if (format == Format.csv)
            {
                out.append("instrumentId,symbol,sequence,bid,bidSize,ask,askSize\n");
            }
            for (final MutableQuote quote : quotes.byInstrument())
            {
                final String symbol = symbols.getOrDefault(quote.instrumentId(), "");
                if (format == Format.csv)
                {
                    out.append(quote.instrumentId()).append(',').append(symbol).append(',').append(quote.sequence())
                        .append(',').append(Prices.format(quote.bidPrice())).append(',')
                        .append(quote.bidSize()).append(',').append(Prices.format(quote.askPrice()))
                        .append(',').append(quote.askSize()).append('\n');
                }
                else
                {
                    out.append(new SummaryLine()
                        .add("instrumentId", quote.instrumentId())
                        .add("symbol", symbol)
                        .add("sequence", quote.sequence())
                        .add("bid", Prices.format(quote.bidPrice()))
                        .add("bidSize", quote.bidSize())
                        .add("ask", Prices.format(quote.askPrice()))
                        .add("askSize", quote.askSize())).append('\n');
                }
            }
            System.out.print(out);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Read the whole journal and check it: files whole, entries decodable, sequences contiguous.",
            "Every cycle file must be whole, every entry decode as a quote and sequences run on by one across " +
            "every file (holes recorded as not journaled excepted). Exit 0 when " +
            "sound, 1 naming the first bad sequence (or the missing range) otherwise.",
            "With --channel/--stream, also check the journal belongs to that stream."})
    static final class Verify implements Callable<Integer>, StopsOnSignal
    {
        @picocli.CommandLine.Mixin
        JournalOptions journal;

        // Not StreamOptions: no default, and not where to connect: the stream to check the journal against.
        @Option(names = "--channel", paramLabel = "URI", description = "The stream's channel the journal must belong to.")
        String channel;

        @Option(names = "--stream", paramLabel = "ID", description = "The stream id the journal must belong to.")
        Integer stream;

        @picocli.CommandLine.Mixin
        ConfigOptions config;

        public Integer call()
        {
            final Path directory = journal.existing();
            if ((channel == null) != (stream == null))
            {
                throw new UsageError("bad --channel/--stream: give both to check which stream the journal belongs to");
            }
            JournalVerifier.Result result;
            try (ShutdownSignal signal = new ShutdownSignal())
            {
                final AtomicBoolean stop = new AtomicBoolean();
                signal.onSignal(() -> stop.set(true));
                result = JournalVerifier.verify(directory, JournalVerifier.Depth.FULL, stop::get);
            }
            catch (final JournalCheckInterruptedException ex)
            {
                // Stopped, not judged: say so, never "damaged" (exit 130/143 after the summary).
                System.err.println("journal verify: " + ex.getMessage());
                System.out.println(new SummaryLine()
                    .add("role", "journal-verify")
                    .add("journal", directory.toAbsolutePath().toString())
                    .add("interrupted", Signals.received() ? Signals.name() : "yes")
                    .add("checkedToSeq", ex.checkedToSequence()));
                return FeedMain.EXIT_FAILURE;
            }
            JournalIdentity identity = null;
            try
            {
                identity = JournalIdentity.read(directory);
            }
            catch (final JournalException ex)
            {
                result = result.ok() ? damaged(result, ex.getMessage()) : result;
            }
            if (result.ok() && identity != null && channel != null && !identity.sameStream(channel, stream))
            {
                result = damaged(result, "journal belongs to " + identity.describe() + ", not to " +
                    JournalIdentity.describe(channel, stream));
            }
            final SummaryLine line = new SummaryLine()
                .add("role", "journal-verify")
                .add("journal", directory.toAbsolutePath().toString())
                .add("ok", result.ok())
                .add("entries", result.entries())
                .add("quotes", result.quotes())
                .add("format", Journal.format(directory))
                .add("cycles", result.cycleFiles())
                .add("firstSeq", result.firstSequence())
                .add("lastGoodSeq", result.lastGoodSequence())
                .add("firstBadSeq", result.firstBadSequence())
                .add("notJournaled", result.notJournaled());
            if (result.lastMissingSequence() > 0)
            {
                line.add("missingToSeq", result.lastMissingSequence());
            }
            if (!result.ok())
            {
                if (result.file() != null)
                {
                    line.add("file", result.file());
                }
                line.add("problem", result.problem());
                System.err.println("journal " + directory + " is damaged at sequence " + result.firstBadSequence() +
                    ": " + result.problem());
            }
            if (identity != null)
            {
                line.add("stream", identity.streamId())
                    .add("channel", identity.channel())
                    .add("epoch", identity.epochHex());
            }
            System.out.println(line);
            return result.ok() ? 0 : 1;
        }

        /** The journal reads well but is not what was asked for: every sequence in it is wrong. */
        private static JournalVerifier.Result damaged(final JournalVerifier.Result result, final String problem)
        {
            return new JournalVerifier.Result(result.entries(), result.firstSequence(), 0,
                Math.max(1, result.firstSequence()), 0, JournalIdentity.FILE_NAME, problem, result.cycleFiles(),
                result.notJournaled());
        }
    }

    @Command(name = "upgrade", mixinStandardHelpOptions = true,
        description = {"Convert a journal written by an older version to this version's format.",
            "Format 1 (one quote per entry, instrument " +
            "definitions in instruments.csv) becomes this version's format 2 (quote batches, definitions as history). " +
            "The old journal is kept, unchanged, as <journal>.format1-<time>; stream, epoch, not-journaled ranges " +
            "and durable subscribers' offsets stay. Stop the publisher first. Definitions from instruments.csv are " +
            "recorded from the journal's first sequence (format 1 kept no history of them).",
            "Prints a JSON summary line; exit 0 when upgraded (or nothing to do), 2 when it cannot be."})
    static final class Upgrade implements Callable<Integer>
    {
        @picocli.CommandLine.Mixin
        JournalOptions journal;

        @picocli.CommandLine.Mixin
        ConfigOptions config;

        public Integer call()
        {
            final Path directory = journal.existing();
            final JournalUpgrade.Outcome outcome;
            try
            {
                outcome = JournalUpgrade.upgrade(directory);
            }
            catch (final JournalException ex)
            {
                throw new UsageError(ex.getMessage());
            }
            if (outcome.archive() == null)
            {
                System.err.println("journal " + directory.toAbsolutePath() + " is already format " + Journal.FORMAT +
                    ": nothing to do");
            }
            else
            {
                System.err.println("journal " + directory.toAbsolutePath() + " upgraded to format " + Journal.FORMAT +
                    ": " + outcome.quotes() + " quotes in " + outcome.entries() + " entries; the old journal is kept at " +
                    outcome.archive());
            }
            System.out.println(new SummaryLine()
                .add("role", "journal-upgrade")
                .add("journal", directory.toAbsolutePath().toString())
                .add("format", Journal.FORMAT)
                .add("upgraded", outcome.archive() != null)
                .add("archive", outcome.archive() == null ? "" : outcome.archive().toString())
                .add("quotes", outcome.quotes())
                .add("entries", outcome.entries())
                .add("instruments", outcome.instruments()));
            return 0;
        }
    }
}
