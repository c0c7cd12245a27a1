package io.feedhandler.journal;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.Quote;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One pass over a journal's cycle files for {@link JournalVerifier}, cycle by cycle, never letting
 * Chronicle near what the previous step found damaged. What Chronicle 2026.4 does with damage, and
 * what the scan does about it:
 * <ul>
 * <li>a cycle file cut inside its header, or to nothing: a reader waits for the header to be
 *     written, for ever. {@link CycleFile} checks headers with plain reads first.</li>
 * <li>a cycle file cut in its entries: reading mapped bytes past the end of the file faults
 *     ({@link InternalError}, the JVM's SIGBUS); bytes of the last page past the end read as zeros, so
 *     the entries just end. The scan compares every entry's end with the file size, and where
 *     Chronicle's header says the last entry was written (its write position) with where the entries
 *     really end.</li>
 * <li>an entry header overwritten with zero or "not complete": the entries silently end there
 *     (a reader takes it for a write in progress). Caught the same way: the entries end before the
 *     write position.</li>
 * <li>a cycle file deleted: the reader moves on to the next file, so the sequence jumps.</li>
 * <li>bytes of an entry overwritten: the entry does not decode, or its first sequence is not the next.</li>
 * </ul>
 * A jump in the sequence is damage unless the sequences stepped over are recorded in the journal's
 * {@link NotJournaledRanges} (sent live-only while its disk was full): those are counted, not
 * reported.
 * Each entry is a quote batch, checked whole: it decodes, and its first sequence follows the
 * previous entry's last. A cycle is read entry by entry ({@code fullScan}), or, to check a large
 * journal quickly, by its boundaries: its first entry follows the previous cycle, its last entry is
 * where the file's header says and inside the file, and the entry in the middle lies between them
 * (what a seek's binary search relies on); then only the last {@code tailEntries} entries of the
 * journal are read one by one. A cycle whose boundaries do not hold is read entry by entry, to name
 * the first bad sequence exactly.
 */
final class JournalScan
{
    /** How long the last cycle may show an entry as "being written" before it counts as damage. */
    private static final long IN_PROGRESS_GRACE_NS = TimeUnit.MILLISECONDS.toNanos(200);

    private final boolean fullScan;
    private final long tailEntries;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final FeedDecoder decoder;
    private Journal journal;
    private SingleChronicleQueue queue;
    private RollCycle rollCycle;
    private ExcerptTailer tailer;

    private long decodedSequence;
    private long decodedLastSequence;
    private String decodeProblem;

    // Read by the watchdog on another thread.
    private volatile long progress;
    private volatile boolean cancelled;
    private volatile String currentFile = "";
    private volatile long lastGood;
    private volatile long entries;
    private volatile long firstSequence;
    private volatile int cycleCount;
    private volatile long notJournaled;

    private String previousFile;

    /**
     * @param fullScan    read every entry; else boundaries, and the last {@code tailEntries} entries.
     * @param tailEntries how many entries at the end to read one by one when not {@code fullScan}.
     */
    JournalScan(final boolean fullScan, final long tailEntries)
    {
        this.fullScan = fullScan;
        this.tailEntries = tailEntries;
        this.decoder = new FeedDecoder(new FeedHandler()
        {
            public void onBatchBegin(final long epoch, final long firstSequence, final int count)
            {
                decodedSequence = firstSequence;
                decodedLastSequence = firstSequence + count - 1;
            }

            public void onQuote(final Quote quote)
            {
            }

            public void onMalformed(final MalformedReason reason)
            {
                decodeProblem = "does not decode (" + reason + ")";
            }
        });
    }

    /** Ask the scan to stop: it ends (throwing {@link Cancelled}) at its next entry or file. */
    void cancel()
    {
        cancelled = true;
    }

    /** The scan was asked to stop. */
    static final class Cancelled extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Cancelled()
        {
            super("journal scan cancelled", null, false, false);
        }
    }

    private void checkCancelled()
    {
        if (cancelled)
        {
            throw new Cancelled();
        }
    }

    /** Advances while the scan is getting somewhere. */
    long progress()
    {
        return progress;
    }

    /** What the scan had found when it stopped getting anywhere (or failed), as a damaged result. */
    JournalVerifier.Result givenUp(final String problem)
    {
        return bad(lastGood + 1, 0, null, problem);
    }

    long lastGood()
    {
        return lastGood;
    }

    String currentFile()
    {
        return currentFile;
    }

    /** Open the journal in {@code directory} read-only, check it and close it. */
    JournalVerifier.Result run(final Path directory)
    {
        final Journal opened;
        try
        {
            opened = Journal.openAnyFormat(directory); // an old format is checked too (before an upgrade)
        }
        catch (final RuntimeException ex)
        {
            return bad(1, 0, null, "journal " + directory + " cannot be opened: " + ex.getMessage());
        }
        try (opened)
        {
            return run(opened);
        }
    }

    JournalVerifier.Result run(final Journal journal)
    {
        this.journal = journal;
        this.queue = journal.queue();
        this.rollCycle = journal.rollCycle();
        try
        {
            final List<CycleFile> files = journal.cycleFiles();
            cycleCount = files.size();
            for (int i = 0; i < files.size(); i++)
            {
                checkCancelled();
                currentFile = files.get(i).name();
                final CycleFile file = files.get(i).inspect();
                progress++;
                if (!file.whole())
                {
                    return bad(lastGood + 1, 0, file, "cycle file " + file.name() + " " + file.problem());
                }
                final JournalVerifier.Result result = check(file, i == files.size() - 1);
                if (result != null)
                {
                    return result;
                }
                previousFile = file.name();
            }
            return new JournalVerifier.Result(entries, firstSequence, lastGood, 0, 0, null, null, cycleCount,
                notJournaled);
        }
        catch (final Cancelled ex)
        {
            throw ex; // stopped on request: no verdict at all
        }
        catch (final InternalError ex)
        {
            // The JVM's report of a fault reading a mapped file: the file ends before its contents do.
            return bad(lastGood + 1, 0, null, "cycle file " + currentFile + " is cut short: reading it after sequence " +
                lastGood + " faulted (" + ex.getMessage() + ")");
        }
        catch (final RuntimeException ex)
        {
            return bad(lastGood + 1, 0, null, "cycle file " + currentFile + " cannot be read after sequence " +
                lastGood + ": " + ex);
        }
        finally
        {
            if (tailer != null)
            {
                tailer.close();
            }
        }
    }

    /** Check one cycle file whose header is whole; the result when it finds damage, else null. */
    private JournalVerifier.Result check(final CycleFile file, final boolean last)
    {
        if (fullScan)
        {
            return readEntries(file, last, 0);
        }
        final Boundaries boundaries = boundaries(file);
        if (boundaries == null)
        {
            return readEntries(file, last, 0); // something is off: read it all to say exactly what
        }
        final long readFrom = last ? Math.max(0, boundaries.count - tailEntries) : boundaries.count;
        if (readFrom > 0)
        {
            // The last sequence before the tail: the last of the entry before it.
            final long readTo = readFrom == boundaries.count ? boundaries.last : lastSequenceAt(file, readFrom - 1);
            if (readTo < boundaries.first)
            {
                return readEntries(file, last, 0);
            }
            firstSequence = firstSequence == 0 ? boundaries.first : firstSequence;
            notJournaled += (lastGood > 0 ? boundaries.first - lastGood - 1 : 0) +
                journal.notJournaled().countWithin(boundaries.first, readTo);
            lastGood = readTo;
            entries += readFrom;
            progress++;
        }
        return last ? readEntries(file, true, readFrom) : null;
    }

    /**
     * @param first the cycle's first sequence.
     * @param last  the cycle's last sequence.
     * @param count how many entries (quote batches) Chronicle's index counts in it.
     */
    private record Boundaries(long first, long last, long count)
    {
    }

    /**
     * The cheap check of a cycle: its first entry begins with the next sequence, its last entry is
     * where the file's header says and inside the file, and the entry in the middle of the index lies
     * between the two.
     *
     * @return the boundaries when they hold, null when anything is off (or faults).
     */
    private Boundaries boundaries(final CycleFile file)
    {
        try
        {
            final long writePosition = writePosition(file);
            if (writePosition == 0)
            {
                return new Boundaries(0, 0, 0); // created but never written to
            }
            if (file.size() < writePosition + 4)
            {
                return null;
            }
            final long count = tailer().excerptsInCycle(file.cycle());
            if (count <= 0)
            {
                return null;
            }
            final long first = sequenceAt(file, 0, -1);
            if (first <= 0 || (lastGood > 0 && first != lastGood + 1 && journal.nextJournaled(lastGood + 1) != first))
            {
                return null;
            }
            if (sequenceAt(file, count - 1, writePosition) <= 0)
            {
                return null;
            }
            final long lastSequence = decodedLastSequence;
            final long middle = count > 2 ? sequenceAt(file, count / 2, -1) : first;
            // Every entry holds at least one sequence, so the entries cannot outnumber the sequences
            // between first and last (less the recorded holes); when they are as many, every entry is
            // one tick and the count proves there is no unrecorded hole. With batches a hole inside an
            // older cycle (a writer's bug: crashes and full disks damage the tail, which is read whole)
            // is left to the full check.
            final long sequences = lastSequence - first + 1 -
                (lastSequence > first ? journal.notJournaled().countWithin(first, lastSequence) : 0);
            final boolean singleTicks = count == lastSequence - first + 1;
            return lastSequence >= first && middle >= first && middle <= lastSequence && count <= sequences &&
                (!singleTicks || count == sequences) ? new Boundaries(first, lastSequence, count) : null;
        }
        catch (final InternalError | RuntimeException ex)
        {
            return null; // read it whole, with every entry checked against the file's size
        }
    }

    /** Last sequence of the entry at position {@code number} of the cycle, or 0 when it cannot be read. */
    private long lastSequenceAt(final CycleFile file, final long number)
    {
        return sequenceAt(file, number, -1) > 0 ? decodedLastSequence : 0;
    }

    /**
     * First sequence of the quote batch at position {@code number} of the cycle (its last in
     * {@link #decodedLastSequence}), or 0 when it cannot be read, does not decode, or (when
     * {@code expectedHeader} >= 0) is not the entry at that byte.
     */
    private long sequenceAt(final CycleFile file, final long number, final long expectedHeader)
    {
        if (!tailer().moveToIndex(rollCycle.toIndex(file.cycle(), number)))
        {
            return 0;
        }
        try (DocumentContext dc = tailer().readingDocument())
        {
            if (!dc.isPresent() || rollCycle.toCycle(dc.index()) != file.cycle())
            {
                return 0;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            final long position = bytes.readPosition();
            final int length = (int)bytes.readRemaining();
            if (position + length > file.size() || (expectedHeader >= 0 && position - 4 != expectedHeader))
            {
                return 0;
            }
            return decode(bytes, position, length) ? decodedSequence : 0;
        }
    }

    /**
     * Read every entry of the cycle from entry number {@code from} on (to its end); the result when it
     * finds damage, else null.
     */
    private JournalVerifier.Result readEntries(final CycleFile file, final boolean last, final long from)
    {
        final long writePosition = writePosition(file);
        if (!tailer().moveToIndex(rollCycle.toIndex(file.cycle(), from)))
        {
            return writePosition == 0 ? null :
                bad(lastGood + 1, 0, file, "cycle file " + file.name() + ": its entry " + from + " cannot be found");
        }
        long lastHeader = -1;
        long end = 0;
        long waitingSince = 0;
        while (true)
        {
            checkCancelled();
            if (lastHeader >= writePosition && !last)
            {
                return null; // read up to the last entry the file's header knows of
            }
            if (lastHeader >= 0 && end + 4 > file.size())
            {
                return lastHeader >= writePosition ? null : truncated(file);
            }
            try (DocumentContext dc = tailer().readingDocument())
            {
                if (!dc.isPresent())
                {
                    if (lastHeader >= writePosition)
                    {
                        return null;
                    }
                    if (last && (waitingSince == 0 || System.nanoTime() - waitingSince < IN_PROGRESS_GRACE_NS))
                    {
                        // A writer in another process may be finishing this very entry.
                        waitingSince = waitingSince == 0 ? System.nanoTime() : waitingSince;
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                        continue;
                    }
                    return bad(lastGood + 1, 0, file, "cycle file " + file.name() + " ends early: no readable entry " +
                        "after sequence " + lastGood + " at byte " + end + ", though it was written up to byte " +
                        writePosition + " (entry header overwritten, or the file was cut)");
                }
                if (rollCycle.toCycle(dc.index()) != file.cycle())
                {
                    if (lastHeader >= writePosition)
                    {
                        return null; // a writer rolled on to a new cycle while we read: not ours to check
                    }
                    return bad(lastGood + 1, 0, file, "cycle file " + file.name() + " ends early after sequence " +
                        lastGood + ", before byte " + writePosition + " where its last entry was written");
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final long position = bytes.readPosition();
                final int length = (int)bytes.readRemaining();
                if (position + length > file.size())
                {
                    return truncated(file);
                }
                final long expected = lastGood + 1;
                if (!decode(bytes, position, length))
                {
                    return bad(journal.nextJournaled(expected), 0, file, "entry after sequence " + lastGood +
                        " in cycle file " + file.name() + " at byte " + (position - 4) + " " + decodeProblem);
                }
                final long sequence = decodedSequence;
                final long lastOfEntry = decodedLastSequence;
                // A jump over sequences recorded as not journaled is no damage; the first sequence of a
                // jump that is not recorded is where the damage starts.
                final long journaled = sequence > expected ? journal.nextJournaled(expected) : expected;
                if (lastGood > 0 && sequence != journaled)
                {
                    if (sequence > journaled && lastHeader < 0 && from == 0)
                    {
                        return bad(journaled, sequence - 1, file, "sequences " + journaled + ".." + (sequence - 1) +
                            " are missing: no cycle file holds them (cycle file " + file.name() +
                            " starts at " + sequence + (previousFile != null ? ", the one before it, " +
                            previousFile + ", ends at " + lastGood : "") + "; a cycle file was deleted?)");
                    }
                    return bad(journaled, 0, file, "expected sequence " + journaled + ", found " + sequence +
                        " in cycle file " + file.name() + " at byte " + (position - 4));
                }
                if (firstSequence == 0)
                {
                    firstSequence = sequence;
                }
                if (lastGood > 0)
                {
                    notJournaled += sequence - expected;
                }
                lastGood = lastOfEntry;
                entries++;
                progress++;
                lastHeader = position - 4;
                end = position + length;
                waitingSince = 0;
            }
        }
    }

    private JournalVerifier.Result truncated(final CycleFile file)
    {
        return bad(lastGood + 1, 0, file, "cycle file " + file.name() + " is cut short at " + file.size() +
            " bytes: entries after sequence " + lastGood + " are lost (it was written up to byte " +
            writePosition(file) + ")");
    }

    /** Where Chronicle's header says the cycle's last entry starts; 0 when nothing was written. */
    private long writePosition(final CycleFile file)
    {
        final SingleChronicleQueueStore store = queue.storeForCycle(file.cycle(), queue.epoch(), false, null);
        if (store == null)
        {
            throw new JournalException("cycle file " + file.name() + " cannot be opened");
        }
        try
        {
            return store.writePosition();
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    /** Decode the entry at {@code position} of the mapped file; false (with the reason) when it is not a quote batch. */
    private boolean decode(final Bytes<?> bytes, final long position, final int length)
    {
        decodedSequence = 0;
        decodedLastSequence = 0;
        decodeProblem = "is not a quote batch";
        if (!bytes.isDirectMemory())
        {
            decodeProblem = "is not in mapped memory";
            return false;
        }
        view.wrap(bytes.addressForRead(position), length);
        decoder.decode(view, 0, length);
        return decodedSequence > 0;
    }

    private JournalVerifier.Result bad(
        final long firstBad, final long lastMissing, final CycleFile file, final String problem)
    {
        return new JournalVerifier.Result(entries, firstSequence, lastGood, firstBad, lastMissing,
            file != null ? file.name() : currentFile.isEmpty() ? null : currentFile, problem, cycleCount, notJournaled);
    }

    private ExcerptTailer tailer()
    {
        if (tailer == null)
        {
            tailer = queue.createTailer();
        }
        return tailer;
    }
}
