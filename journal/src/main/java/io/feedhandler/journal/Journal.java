package io.feedhandler.journal;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.codecs.QuoteDigest;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;

/**
 * The feed's write-ahead journal: a Chronicle Queue on disk holding every quote the publisher
 * sequenced, in order, with no holes but the ranges recorded in {@link NotJournaledRanges} (ticks
 * sent while the journal's disk was full, policy live-only). Each entry (Chronicle document) is one
 * {@code QuoteBatch}, exactly the bytes that went on the wire: consecutive sequences, its first
 * sequence and its count in its header. A seek by sequence is a binary search over the (few) cycles,
 * then over the entries of one cycle by their first sequences (in {@link JournalReader}): O(log n)
 * reads, never a scan.
 * <p>
 * One writer at a time ({@link #newWriter()} takes a file lock); any number of readers, in this
 * process or others.
 */
public final class Journal implements AutoCloseable
{
    static
    {
        // Chronicle otherwise tries to report usage over the network.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    static final String CYCLE_FILE_SUFFIX = ".cq4";
    /**
     * How entries are laid out: 2, quote batches (schema version 2). Format 1 held one quote per
     * entry; such a journal is refused rather than misread, and {@code feed journal upgrade} converts it.
     */
    public static final int FORMAT = 2;
    /** How often a journal without an identity yet looks for one (see {@link #epoch()}). */
    static final long EPOCH_RECHECK_NANOS = 20_000_000L;

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    /** First sequence of each cycle seen so far, to turn a sequence into a queue index. */
    private final TreeMap<Long, Integer> cycleBySequence = new TreeMap<>();
    private final NotJournaledRanges notJournaled;
    private InstrumentHistory instruments;
    private long epoch;
    private long epochCheckedNanos;

    private Journal(
        final Path directory, final RollCycle rollCycle, final boolean readOnly, final TimeProvider timeProvider,
        final boolean anyFormat)
    {
        this.directory = directory;
        if (!anyFormat)
        {
            requireCurrentFormat(directory);
        }
        // A journal opened for writing creates the ranges file now, while the disk has room for it.
        this.notJournaled = readOnly ?
            NotJournaledRanges.openForReading(directory) : NotJournaledRanges.openForWriting(directory);
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.single(directory.toFile())
            .rollCycle(rollCycle)
            .readOnly(readOnly);
        if (timeProvider != null)
        {
            builder.timeProvider(timeProvider);
        }
        try
        {
            this.queue = builder.build();
        }
        catch (final RuntimeException ex)
        {
            notJournaled.close();
            throw ex;
        }
        // An existing journal keeps the roll cycle it was created with, whatever was asked for.
        this.rollCycle = queue.rollCycle();
    }

    /** Open (creating if needed) the journal in {@code directory} for writing and reading. */
    public static Journal open(final Path directory)
    {
        return open(directory, JournalConfiguration.ROLL_CYCLE);
    }

    public static Journal open(final Path directory, final RollCycle rollCycle)
    {
        ensureWritableDirectory(directory);
        return new Journal(directory, rollCycle, false, null, false);
    }

    /**
     * A journal whose roll cycles follow the given clock rather than the wall clock: for tests, and
     * for copying entries into the cycles they were first written in.
     */
    public static Journal open(final Path directory, final RollCycle rollCycle, final TimeProvider timeProvider)
    {
        ensureWritableDirectory(directory);
        return new Journal(directory, rollCycle, false, timeProvider, false);
    }

    /** Open an existing journal only to read it: nothing in the directory is changed. */
    public static Journal openReadOnly(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            throw new JournalException("journal directory does not exist: " + directory);
        }
        return new Journal(directory, JournalConfiguration.ROLL_CYCLE, true, null, false);
    }

    /**
     * The last sequence of the journal in {@code directory}, read from outside the process that writes it: 0
     * while that process is still creating it (no metadata yet, or files half made). For watching a run's
     * progress (the demo, tests), not for serving.
     */
    public static long lastSequenceOf(final Path directory)
    {
        if (!Files.exists(directory.resolve("metadata.cq4t")))
        {
            return 0;
        }
        try (Journal journal = openReadOnly(directory))
        {
            return journal.lastSequence();
        }
        catch (final RuntimeException | AssertionError ex)
        {
            return 0; // still being created (Chronicle's own assertions trip on half-made files under -ea)
        }
    }

    /**
     * Open a journal read-only whatever its format: for checking it ({@code journal verify}) and
     * converting it ({@code journal upgrade}), never for serving it.
     */
    public static Journal openAnyFormat(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            throw new JournalException("journal directory does not exist: " + directory);
        }
        return new Journal(directory, JournalConfiguration.ROLL_CYCLE, true, null, true);
    }

    /**
     * The format of the journal in {@code directory}: its identity says, or, for a journal older than
     * identity files, its first entry does; {@link #FORMAT} for a journal with no entries.
     */
    public static int format(final Path directory)
    {
        if (!hasCycleFiles(directory))
        {
            return FORMAT;
        }
        final JournalIdentity identity = JournalIdentity.read(directory);
        if (identity != null)
        {
            return identity.format();
        }
        try (Journal journal = openAnyFormat(directory); JournalReader reader = journal.newReader())
        {
            final int[] format = {FORMAT};
            reader.toStart().read((sequence, buffer, offset, length) ->
            {
                // Version 1's single quote (template 1) means format 1; anything else is this format, or
                // damage, which the checks name.
                final boolean quote = length >= 8 && buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) == 1 &&
                    (buffer.getShort(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF) ==
                    io.feedhandler.sbe.QuoteDecoder.SCHEMA_ID;
                format[0] = quote ? 1 : FORMAT;
                return true;
            });
            return format[0];
        }
    }

    private static void requireCurrentFormat(final Path directory)
    {
        final int format = format(directory);
        if (format != FORMAT)
        {
            throw new JournalException("journal " + directory.toAbsolutePath() + " is format " + format + " (" +
                (format == 1 ? "one quote per entry, " : "") + "written by another version); this version reads and " +
                "writes format " + FORMAT + " (quote batches): convert it with 'feed journal upgrade --journal " +
                directory + "'");
        }
    }

    /** Whether {@code directory} holds journal cycle files (false for a new or empty journal). */
    public static boolean hasCycleFiles(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            return false;
        }
        try (var files = Files.list(directory))
        {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(CYCLE_FILE_SUFFIX));
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal directory " + directory + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Checks the directory can hold a journal before Chronicle touches it, so a bad path is an error
     * that names it rather than a stack trace from deep inside the queue.
     */
    public static void ensureWritableDirectory(final Path directory)
    {
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException | SecurityException ex)
        {
            throw new JournalException("journal directory cannot be created: " + directory + " (" + ex + ")");
        }
        if (!Files.isDirectory(directory) || !Files.isWritable(directory))
        {
            throw new JournalException("journal directory is not writable: " + directory);
        }
        final Path probe = directory.resolve(".write-probe");
        try
        {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        }
        catch (final IOException ex)
        {
            throw new JournalException("journal directory is not writable: " + directory + " (" + ex + ")");
        }
    }

    public Path directory()
    {
        return directory;
    }

    SingleChronicleQueue queue()
    {
        return queue;
    }

    /** The writer for this journal, with no disk guard; fails if another process (or writer) holds the journal. */
    public JournalWriter newWriter()
    {
        return newWriter(JournalLock.acquire(directory), JournalSpace.unlimited());
    }

    /** The writer for this journal, stopping before the disk's reserve; fails if the journal is held elsewhere. */
    public JournalWriter newWriter(final JournalSpace space)
    {
        return newWriter(JournalLock.acquire(directory), space);
    }

    /**
     * The writer for this journal under a lock the caller already holds on its directory (taken
     * before checking the journal), with no disk guard; the writer owns the lock from now on and
     * releases it on close.
     */
    public JournalWriter newWriter(final JournalLock lock)
    {
        return newWriter(lock, JournalSpace.unlimited());
    }

    /**
     * The writer for this journal under a lock the caller already holds, stopping before the disk's
     * reserve; the writer owns the lock from now on and releases it on close.
     */
    public JournalWriter newWriter(final JournalLock lock, final JournalSpace space)
    {
        return new JournalWriter(this, lock, space);
    }

    /**
     * The journal's instrument definitions, as history; read when first asked for. Readers in
     * another process than the writer see new definitions after {@link InstrumentHistory#refresh()}.
     */
    public synchronized InstrumentHistory instruments()
    {
        if (instruments == null)
        {
            instruments = InstrumentHistory.read(directory);
        }
        return instruments;
    }

    /**
     * The epoch of the journal's history (its identity); 0 for a journal without one yet. Only a known
     * epoch is kept: a replica's journal gets its identity once its upstream has spoken, and a server
     * on it must then answer with that epoch, never with the 0 it read before.
     */
    public synchronized long epoch()
    {
        if (epoch == 0)
        {
            // Read again at most every EPOCH_RECHECK_NANOS: a journal that never gets an identity (one
            // older than identity files, served read-only) costs no file check per replayed batch.
            final long now = System.nanoTime();
            if (epochCheckedNanos == 0 || now - epochCheckedNanos >= EPOCH_RECHECK_NANOS)
            {
                epochCheckedNanos = now;
                final JournalIdentity identity = JournalIdentity.read(directory);
                epoch = identity == null ? 0L : identity.epoch();
            }
        }
        return epoch;
    }

    /** Sequences sent without being journaled (disk full, policy live-only). */
    public NotJournaledRanges notJournaled()
    {
        return notJournaled;
    }

    /**
     * Last sequence a publisher gave out on this journal: its last entry, or the last sequence sent
     * without being journaled if that is higher. A restarted publisher continues after it.
     */
    public long lastIssuedSequence()
    {
        return Math.max(lastSequence(), notJournaled.lastSequence());
    }

    public JournalReader newReader()
    {
        return new JournalReader(this);
    }

    /** Last sequence in the journal, 0 when it is empty. */
    public long lastSequence()
    {
        final long lastIndex = queue.lastIndex();
        if (lastIndex < 0)
        {
            return 0;
        }
        final long[] last = {0};
        readAt(lastIndex, (first, buffer, offset, length) ->
        {
            last[0] = first > 0 ? first + QuoteBatchWriter.count(buffer, offset) - 1 : 0;
            return true;
        });
        if (last[0] <= 0)
        {
            throw new JournalException("journal entry at index " + Long.toHexString(lastIndex) + " is not a quote batch");
        }
        return last[0];
    }

    /** First sequence still in the journal, 0 when it is empty. */
    public synchronized long firstSequence()
    {
        queue.refreshDirectoryListing();
        final long firstIndex = queue.firstIndex();
        return firstIndex == Long.MAX_VALUE || firstIndex < 0 || queue.lastIndex() < 0 ? 0 : sequenceAtIndex(firstIndex);
    }

    /** Number of entries (quote batches); the quotes they hold are {@link #quoteCount()}. */
    public long entryCount()
    {
        return queue.entryCount();
    }

    /** Number of quotes held: the sequences from first to last, less those recorded as not journaled. */
    public long quoteCount()
    {
        final long first = firstSequence();
        final long last = lastSequence();
        return first == 0 ? 0 : last - first + 1 - notJournaled.countWithin(first, last);
    }

    /** Number of roll-cycle files. */
    public int cycleCount()
    {
        queue.refreshDirectoryListing();
        return queue.lastIndex() < 0 ? 0 : queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle()).size();
    }

    /**
     * The journal's cycle files in order, not yet checked (see {@link CycleFile#inspect()}). Chronicle
     * knows the cycles from the file names alone: nothing here opens a file.
     */
    synchronized List<CycleFile> cycleFiles()
    {
        queue.refreshDirectoryListing();
        final int first = queue.firstCycle();
        final int last = queue.lastCycle();
        final List<CycleFile> files = new ArrayList<>();
        if (first > last)
        {
            return files;
        }
        final DateTimeFormatter names = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        for (final long cycle : queue.listCyclesBetween(first, last))
        {
            final String name = names.format(Instant.ofEpochMilli(cycle * rollCycle.lengthInMillis() + queue.epoch()));
            files.add(CycleFile.unchecked((int)cycle, directory.resolve(name + CYCLE_FILE_SUFFIX)));
        }
        return files;
    }

    /** The roll cycle the journal was created with (which may differ from the one it was opened with). */
    RollCycle rollCycle()
    {
        return rollCycle;
    }

    /**
     * The roll cycles a journal can be created with, by name (e.g. FAST_HOURLY, FIVE_MINUTELY). Not
     * WEEKLY: Chronicle Queue 2026.4 cannot parse its own weekly file names back (a reopened weekly
     * journal looks empty, and a restarted publisher would start again at sequence 1).
     */
    public static RollCycle rollCycle(final String name)
    {
        for (final RollCycles cycle : RollCycles.values())
        {
            if (cycle != RollCycles.WEEKLY && cycle.name().equalsIgnoreCase(name))
            {
                return cycle;
            }
        }
        throw new IllegalArgumentException("bad --roll-cycle '" + name + "': expected one of " +
            String.join(", ", rollCycleNames()) +
            (RollCycles.WEEKLY.name().equalsIgnoreCase(name) ? " (Chronicle Queue cannot reopen WEEKLY journals)" : ""));
    }

    /** The roll cycles {@link #rollCycle(String)} takes, by name: the command line lists these. */
    public static List<String> rollCycleNames()
    {
        final List<String> names = new ArrayList<>();
        for (final RollCycles cycle : RollCycles.values())
        {
            if (cycle != RollCycles.WEEKLY)
            {
                names.add(cycle.name());
            }
        }
        return names;
    }

    /**
     * Retention: delete whole cycle files, oldest first, so that at most {@code cyclesToKeep} remain.
     * The cycle being written is never deleted. Safe while readers are open, here or in other
     * processes: a file that is deleted stays readable through the mappings that already hold it,
     * and a reader that asks for a deleted sequence is told it is gone.
     *
     * @return the number of cycle files deleted.
     */
    public synchronized int retainCycles(final int cyclesToKeep)
    {
        if (cyclesToKeep < 1)
        {
            throw new IllegalArgumentException("bad --retain-cycles " + cyclesToKeep + ": must be at least 1");
        }
        final List<Path> files = new ArrayList<>();
        try (var listing = Files.list(directory))
        {
            listing.filter(p -> p.getFileName().toString().endsWith(CYCLE_FILE_SUFFIX)).sorted().forEach(files::add);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal directory " + directory, ex);
        }
        int deleted = 0;
        for (int i = 0; i < files.size() - cyclesToKeep; i++)
        {
            try
            {
                Files.deleteIfExists(files.get(i));
                deleted++;
            }
            catch (final IOException ex)
            {
                throw new JournalException("cannot delete old journal cycle " + files.get(i), ex);
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
            refreshCycleIndex();
        }
        return deleted;
    }

    /** Bytes on disk of the journal's files. */
    public long sizeOnDisk()
    {
        try (var files = Files.list(directory))
        {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal directory " + directory, ex);
        }
    }

    /**
     * Digest ({@link QuoteDigest}) of the quotes from {@code fromSequence} to {@code toSequence}
     * inclusive, stepping over sequences recorded as not journaled: the digest of what a subscriber
     * delivers when it counts those as lost.
     *
     * @throws JournalException when the journal does not hold the rest of the range.
     */
    public long digest(final long fromSequence, final long toSequence)
    {
        return digest(fromSequence, toSequence, null, new long[1]);
    }

    /**
     * {@link #digest(long, long)} of the quotes {@code filter} matches (each under the definition it was
     * published with), or of all when it is null: what a subscriber with the same {@code --instrument}
     * delivers.
     *
     * @param counted its element 0 is set to how many quotes went into the digest.
     */
    public long digest(final long fromSequence, final long toSequence, final InstrumentFilter filter, final long[] counted)
    {
        final QuoteDigest digest = new QuoteDigest();
        counted[0] = 0;
        final long from = nextJournaled(fromSequence);
        if (from > toSequence)
        {
            return digest.value();
        }
        final long[] problem = {0};
        final InstrumentHistory.View symbols = filter != null ? instruments().viewFrom(from) : null;
        final FeedDecoder decoder = new FeedDecoder(new FeedHandler()
        {
            public void onQuote(final Quote quote)
            {
                if (quote.sequence() >= from && quote.sequence() <= toSequence)
                {
                    if (symbols != null)
                    {
                        symbols.advanceTo(quote.sequence());
                        if (!filter.matches(symbols.get(quote.instrumentId()), quote.instrumentId()))
                        {
                            return;
                        }
                    }
                    digest.update(quote);
                    counted[0]++;
                }
            }

            public void onMalformed(final MalformedReason reason)
            {
                problem[0] = 1;
            }
        });
        try (JournalTail tail = new JournalTail(this).from(from))
        {
            while (tail.nextSequence() <= toSequence)
            {
                final long at = tail.nextSequence();
                final int read = tail.poll((first, buffer, offset, length) ->
                {
                    decoder.decode(buffer, offset, length);
                    if (problem[0] != 0)
                    {
                        throw new JournalException("journal entry for sequence " + first + " does not decode");
                    }
                    return true;
                }, 1024);
                if (read == 0)
                {
                    if (tail.atNotJournaled())
                    {
                        tail.from(tail.notJournaledLast() + 1);
                        continue;
                    }
                    throw new JournalException(at == from && at > lastSequence() ?
                        "journal does not hold sequence " + at + " (it holds " + firstSequence() + ".." + lastSequence() + ")" :
                        "journal ends at sequence " + (at - 1) + ", before the end of the range " + toSequence);
                }
            }
        }
        return digest.value();
    }

    /** {@code sequence}, or the first sequence after the not-journaled range it falls in. */
    public long nextJournaled(final long sequence)
    {
        long next = sequence;
        int range;
        while ((range = notJournaled.find(next)) >= 0)
        {
            next = notJournaled.last(range) + 1;
        }
        return next;
    }

    /**
     * The cycle that holds {@code sequence} and that cycle's first sequence, or null when the journal
     * does not hold it (as far as the cycles known so far say). Binary search over the cycles' first
     * sequences; a cycle is read once and remembered. With {@code refresh} the directory is read again
     * for new or deleted cycles: a seek costs a directory listing only when the journal changed shape.
     */
    synchronized Map.Entry<Long, Integer> cycleFor(final long sequence, final boolean refresh)
    {
        if (sequence < 1 || notJournaled.contains(sequence))
        {
            return null;
        }
        if (refresh || cycleBySequence.isEmpty())
        {
            refreshCycleIndex();
        }
        return cycleBySequence.floorEntry(sequence);
    }

    private void refreshCycleIndex()
    {
        queue.refreshDirectoryListing();
        if (queue.lastIndex() < 0)
        {
            cycleBySequence.clear();
            return;
        }
        final NavigableSet<Long> cycles = queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle());
        cycleBySequence.values().removeIf(cycle -> !cycles.contains((long)cycle));
        for (final long cycle : cycles)
        {
            if (!cycleBySequence.containsValue((int)cycle))
            {
                final long first = sequenceAtIndexOrZero(rollCycle.toIndex((int)cycle, 0));
                if (first > 0)
                {
                    cycleBySequence.put(first, (int)cycle);
                }
            }
        }
    }

    /** First sequence of the entry at {@code index}, or 0 when there is none or it is not a quote batch. */
    private long sequenceAtIndexOrZero(final long index)
    {
        final long[] sequence = {0};
        readAt(index, (first, buffer, offset, length) ->
        {
            sequence[0] = first;
            return true;
        });
        return sequence[0];
    }

    private long sequenceAtIndex(final long index)
    {
        final long sequence = sequenceAtIndexOrZero(index);
        if (sequence <= 0)
        {
            throw new JournalException("journal entry at index " + Long.toHexString(index) + " is not a quote batch");
        }
        return sequence;
    }

    private void readAt(final long index, final JournalEntryHandler handler)
    {
        try (JournalReader reader = new JournalReader(this))
        {
            if (reader.moveToIndex(index))
            {
                reader.read(handler);
            }
        }
    }

    /** First sequence of the quote batch encoded at {@code offset}, or 0 when the bytes are not one. */
    static long firstSequenceOf(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!QuoteBatchWriter.isBatch(buffer, offset, length) ||
            QuoteBatchWriter.entriesOffset(buffer, offset) - offset > length)
        {
            return 0;
        }
        return QuoteBatchWriter.firstSequence(buffer, offset);
    }

    ExcerptTailer createTailer()
    {
        return queue.createTailer();
    }

    public void close()
    {
        queue.close();
        notJournaled.close();
    }
}
