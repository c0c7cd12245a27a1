package io.feedhandler.journal;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Checks what the rest of the system assumes of a journal: every cycle file whole, every entry a
 * quote, sequences running on by one across every file with no hole and no repeat. Names the first
 * bad sequence (and, when whole files are gone, the missing range). A hole recorded in the journal's
 * {@link NotJournaledRanges} (sent live-only while its disk was full) is not damage: it is stepped
 * over and counted, at both depths; a hole that is not recorded is damage.
 * <p>
 * Two depths. {@link Depth#FULL} reads every entry ({@code feed journal verify}).
 * {@link Depth#START_UP} is what a publisher checks before it appends: every cycle file's header and
 * boundaries (first and last entries, entry count, the file still holding its last entry, sequences
 * continuing from the previous file), and the last {@link #START_UP_TAIL_ENTRIES} entries one by one,
 * where a crash or a full disk leaves its marks. Its cost grows with the number of files, not with
 * the length of the history; damage inside older entries is left to a full verify. A cycle whose
 * boundaries do not hold is read whole, to name the first bad sequence exactly.
 * <p>
 * Bounded: damage never makes it hang or crash. The known ways Chronicle stalls or faults on damaged
 * files are checked before it gets to them (see {@link JournalScan}); beyond that, the scan runs on a
 * thread of its own and is given up, reported as damage, when it makes no progress for the stall
 * timeout.
 */
public final class JournalVerifier
{
    public static final long DEFAULT_STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    /** How long a stopped check waits for its scan to end and close its files. */
    private static final long CANCEL_WAIT_MS = 1_000;

    /**
     * Entries at the end of the journal that the start-up check reads one by one: a crash or a full
     * disk damages the tail. About a quarter of a second on a loaded 2-core machine.
     */
    public static final long START_UP_TAIL_ENTRIES = 1_000_000;

    /** How much of the journal to read. */
    public enum Depth
    {
        /** Every entry of every cycle file. */
        FULL,
        /** Headers and boundaries of every cycle file, the last {@link #START_UP_TAIL_ENTRIES} entries one by one. */
        START_UP
    }

    /**
     * @param entries           entries (quote batches) accounted for before the first problem (all of them when sound).
     * @param firstSequence     first sequence, 0 if empty.
     * @param lastGoodSequence  last sequence before the first problem (or the last one).
     * @param firstBadSequence  first sequence that is missing, damaged or unreadable; 0 when all is well.
     * @param lastMissingSequence when whole cycle files are gone: the last sequence of the missing range
     *                          that starts at {@code firstBadSequence}; 0 otherwise.
     * @param file              the cycle file where the problem is, null when all is well.
     * @param problem           what is wrong, null when all is well.
     * @param cycleFiles        number of cycle files.
     * @param notJournaled      sequences inside the journal's extent (up to {@code lastGoodSequence})
     *                          stepped over as recorded not journaled.
     */
    public record Result(long entries, long firstSequence, long lastGoodSequence, long firstBadSequence,
        long lastMissingSequence, String file, String problem, int cycleFiles, long notJournaled)
    {
        public boolean ok()
        {
            return problem == null;
        }

        /** Quotes accounted for: the sequences from the first to the last good one, less those never journaled. */
        public long quotes()
        {
            return firstSequence == 0 ? 0 : lastGoodSequence - firstSequence + 1 - notJournaled;
        }
    }

    private JournalVerifier()
    {
    }

    /** Whether the JVM is shutting down: it then refuses new shutdown hooks. */
    static boolean shuttingDown()
    {
        final Thread probe = new Thread(() -> { });
        try
        {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        }
        catch (final IllegalStateException ex)
        {
            return true;
        }
    }

    /** Every entry of the journal. */
    public static Result verify(final Journal journal)
    {
        return verify(journal, Depth.FULL);
    }

    public static Result verify(final Journal journal, final Depth depth)
    {
        return verify(journal, depth, DEFAULT_STALL_TIMEOUT_NS);
    }

    /**
     * Open the journal in {@code directory} read-only (nothing on disk is changed, which keeps the
     * evidence of damage intact), check it and close it. A journal that cannot even be opened (its
     * metadata file garbled, say) is reported as damaged from sequence 1.
     */
    public static Result verify(final Path directory, final Depth depth)
    {
        return verify(directory, depth, () -> false);
    }

    /**
     * As {@link #verify(Path, Depth)}, given up (within about 100 ms) when {@code stopRequested} says so.
     *
     * @throws JournalCheckInterruptedException when stopped (or when the JVM shuts down) before the
     *         verdict: an interrupted check is no verdict, and never damage.
     */
    public static Result verify(final Path directory, final Depth depth, final BooleanSupplier stopRequested)
    {
        final JournalScan scan = new JournalScan(depth == Depth.FULL, START_UP_TAIL_ENTRIES);
        return watch(scan, () -> scan.run(directory), directory, DEFAULT_STALL_TIMEOUT_NS, stopRequested);
    }

    static Result verify(final Journal journal, final Depth depth, final long stallTimeoutNs)
    {
        return verify(journal, depth, stallTimeoutNs, START_UP_TAIL_ENTRIES);
    }

    static Result verify(final Journal journal, final Depth depth, final long stallTimeoutNs, final long tailEntries)
    {
        final JournalScan scan = new JournalScan(depth == Depth.FULL, tailEntries);
        return watch(scan, () -> scan.run(journal), journal.directory(), stallTimeoutNs, () -> false);
    }

    /**
     * Run the scan on a thread of its own and give it up, as damage, when it makes no progress for
     * {@code stallTimeoutNs}: its thread is a daemon, left to end with the process, holding whatever it
     * had open.
     */
    private static Result watch(
        final JournalScan scan, final Supplier<Result> task, final Path directory, final long stallTimeoutNs,
        final BooleanSupplier stopRequested)
    {
        final AtomicReference<Result> result = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                result.set(task.get());
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        }, "feed-journal-verify");
        thread.setDaemon(true);
        thread.start();
        long seen = -1;
        long lastChange = System.nanoTime();
        try
        {
            while (true)
            {
                if (stopRequested.getAsBoolean())
                {
                    // The scan ends at its next entry and closes what it opened (bounded wait: a
                    // stalled one is a daemon, left to end with the process).
                    scan.cancel();
                    thread.join(CANCEL_WAIT_MS);
                    throw new JournalCheckInterruptedException(directory, scan.lastGood(), "stop requested");
                }
                thread.join(TimeUnit.NANOSECONDS.toMillis(Math.min(stallTimeoutNs, TimeUnit.MILLISECONDS.toNanos(100))) + 1);
                if (!thread.isAlive())
                {
                    break;
                }
                final long progress = scan.progress();
                final long now = System.nanoTime();
                if (progress != seen)
                {
                    seen = progress;
                    lastChange = now;
                }
                else if (now - lastChange >= stallTimeoutNs)
                {
                    return scan.givenUp("reading " + (scan.currentFile().isEmpty() ? "journal " + directory :
                        "cycle file " + scan.currentFile()) + " stalled after sequence " + scan.lastGood() +
                        " (no progress for " + TimeUnit.NANOSECONDS.toMillis(stallTimeoutNs) + " ms)");
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new JournalCheckInterruptedException(directory, scan.lastGood(), "thread interrupted");
        }
        final Throwable thrown = failure.get();
        if (thrown != null)
        {
            // "Damaged" is a verdict on bytes. A stop or a shutdown on the way (Chronicle then fails to
            // start what it needs: "Shutdown in progress") and errors of the JVM say nothing about them.
            if (stopRequested.getAsBoolean() || shuttingDown())
            {
                throw new JournalCheckInterruptedException(directory, scan.lastGood(), "the process is stopping");
            }
            if (thrown instanceof Error)
            {
                throw new JournalException("the check of journal " + directory.toAbsolutePath() + " failed after " +
                    "sequence " + scan.lastGood() + " (" + thrown + "); this is no verdict on the journal", thrown);
            }
            return scan.givenUp("journal " + directory + " cannot be read after sequence " + scan.lastGood() + ": " +
                thrown);
        }
        final Result verdict = result.get();
        if (!verdict.ok() && (stopRequested.getAsBoolean() || shuttingDown()))
        {
            throw new JournalCheckInterruptedException(directory, scan.lastGood(), "the process is stopping");
        }
        return verdict;
    }
}
