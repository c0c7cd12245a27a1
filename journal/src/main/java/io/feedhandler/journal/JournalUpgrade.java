package io.feedhandler.journal;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.QuoteBatchWriter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

/**
 * Converts a journal of format 1 (one quote per entry, instrument definitions in a rewritable
 * {@code instruments.csv}) to format 2 (quote batches, definitions as history), which is the only
 * format this version serves. Like {@link JournalSalvage} it copies into a sibling directory, with a
 * clock set to each entry's roll cycle so the cycle files stay the same, then swaps the directories
 * by renames: the old journal is kept, unchanged, as {@code <dir>.format1-<UTC time>}. Consecutive
 * quotes of one cycle go into batches of up to {@link #BATCH} quotes. The stream and epoch stay (it
 * is the same history), as do the not-journaled ranges and the durable subscribers' offsets kept in
 * the journal. Format 1 kept no history of definitions: those in {@code instruments.csv} (the last
 * run's) are recorded from the journal's first sequence, which is what every reader assumed before.
 */
public final class JournalUpgrade
{
    /** Quotes per batch in an upgraded journal: one 1408-byte datagram's worth, as a publisher writes at speed. */
    static final int BATCH = 25;

    /**
     * @param archive       where the old journal now is; null when there was nothing to do.
     * @param quotes        quotes copied.
     * @param entries       entries (batches) written.
     * @param instruments   definitions recorded from {@code instruments.csv}.
     */
    public record Outcome(Path archive, long quotes, long entries, int instruments)
    {
    }

    private JournalUpgrade()
    {
    }

    /**
     * @throws JournalException when another process holds the journal, it is damaged (verify and
     *                          salvage it first), or it cannot be copied.
     */
    public static Outcome upgrade(final Path directory)
    {
        final Path original = directory.toAbsolutePath().normalize();
        try (JournalLock lock = JournalLock.acquire(original))
        {
            if (Journal.format(original) == Journal.FORMAT)
            {
                return new Outcome(null, 0, 0, 0);
            }
            final JournalVerifier.Result check = JournalVerifier.verify(original, JournalVerifier.Depth.FULL);
            if (!check.ok())
            {
                throw new JournalException("journal " + original + " is damaged at sequence " + check.firstBadSequence() +
                    ": " + check.problem() + "; a publisher of the version that wrote it can salvage it " +
                    "(--on-damaged-journal archive) before it is upgraded");
            }
            final String stamp = JournalSalvage.STAMP.format(Instant.now());
            final Path archive = JournalSalvage.unused(original.resolveSibling(original.getFileName() + ".format1-" + stamp));
            final Path fresh = JournalSalvage.unused(original.resolveSibling(original.getFileName() + ".upgrade-" + stamp));
            try
            {
                Files.createDirectory(fresh);
                JournalSalvage.keepPermissions(original, fresh);
                final long[] counts = copy(original, fresh);
                final JournalIdentity identity = JournalIdentity.read(original);
                if (identity != null)
                {
                    identity.withFormat(Journal.FORMAT).write(fresh);
                }
                final List<Instrument> instruments = InstrumentStore.read(original);
                if (!instruments.isEmpty())
                {
                    InstrumentHistory.read(fresh).record(instruments, Math.max(1, check.firstSequence()));
                }
                final Path offsets = original.resolve(SubscriberOffset.DEFAULT_FOLDER);
                if (Files.isDirectory(offsets))
                {
                    copyTree(offsets, fresh.resolve(SubscriberOffset.DEFAULT_FOLDER));
                }
                Files.move(original, archive, StandardCopyOption.ATOMIC_MOVE);
                Files.move(fresh, original, StandardCopyOption.ATOMIC_MOVE);
                return new Outcome(archive, counts[0], counts[1], instruments.size());
            }
            catch (final IOException | RuntimeException ex)
            {
                if (Files.exists(original))
                {
                    JournalSalvage.deleteQuietly(fresh); // only our own copy; the old journal is untouched
                }
                if (ex instanceof JournalException)
                {
                    throw (JournalException)ex;
                }
                throw new JournalException("cannot upgrade journal " + original + ": " + ex.getMessage(), ex);
            }
        }
    }

    /** Copy every quote into batches, cycle by cycle; the ranges recorded as not journaled go along. */
    private static long[] copy(final Path source, final Path target)
    {
        final MutableQuoteHolder read = new MutableQuoteHolder();
        final FeedDecoder decoder = new FeedDecoder(read);
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[QuoteBatchWriter.length(BATCH)]);
        final QuoteBatchWriter batch = new QuoteBatchWriter();
        long quotes = 0;
        long entries = 0;
        try (Journal old = Journal.openAnyFormat(source))
        {
            final long epoch = old.epoch();
            final RollCycle rollCycle = old.rollCycle();
            final SetTimeProvider clock = new SetTimeProvider(0);
            try (Journal copy = Journal.open(target, rollCycle, clock);
                ExcerptTailer tailer = old.createTailer();
                ExcerptAppender appender = copy.queue().createAppender())
            {
                final NotJournaledRanges holes = old.notJournaled();
                for (int i = 0; i < holes.count(); i++)
                {
                    copy.notJournaled().recordRange(holes.first(i), holes.last(i));
                }
                int cycle = Integer.MIN_VALUE;
                while (true)
                {
                    try (DocumentContext in = tailer.readingDocument())
                    {
                        if (!in.isPresent())
                        {
                            break;
                        }
                        final Bytes<?> bytes = in.wire().bytes();
                        view.wrap(bytes.addressForRead(bytes.readPosition()), (int)bytes.readRemaining());
                        read.count = 0;
                        decoder.decode(view, 0, view.capacity());
                        if (read.count != 1)
                        {
                            throw new JournalException("entry at index " + Long.toHexString(in.index()) +
                                " is not a version 1 quote");
                        }
                        final int entryCycle = rollCycle.toCycle(in.index());
                        final boolean next = batch.count() > 0 && read.quote.sequence == batch.lastSequence() + 1;
                        if (batch.count() > 0 && (entryCycle != cycle || batch.count() == BATCH || !next))
                        {
                            append(appender, out, batch);
                            entries++;
                        }
                        if (entryCycle != cycle)
                        {
                            cycle = entryCycle;
                            clock.currentTimeMillis((long)cycle * rollCycle.lengthInMillis() + copy.queue().epoch());
                        }
                        if (batch.count() == 0)
                        {
                            batch.wrap(out, 0, epoch, read.quote.sequence);
                        }
                        batch.add(read.quote);
                        quotes++;
                    }
                }
                if (batch.count() > 0)
                {
                    append(appender, out, batch);
                    entries++;
                }
            }
        }
        return new long[]{quotes, entries};
    }

    private static void append(final ExcerptAppender appender, final UnsafeBuffer out, final QuoteBatchWriter batch)
    {
        try (DocumentContext doc = appender.writingDocument())
        {
            doc.wire().bytes().write(out.byteArray(), 0, batch.length());
        }
        batch.wrap(out, 0, 0, 0);
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (var files = Files.list(from))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** The one quote a version 1 entry holds. */
    private static final class MutableQuoteHolder implements FeedHandler
    {
        final io.feedhandler.codecs.MutableQuote quote = new io.feedhandler.codecs.MutableQuote();
        int count;

        public void onQuote(final Quote quote)
        {
            this.quote.set(quote);
            count++;
        }

        public void onMalformed(final MalformedReason reason)
        {
            count = -1;
        }
    }
}
