package io.feedhandler.journal;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.Quote;
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
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Moves a damaged journal aside, intact, and puts a fresh journal holding its good prefix in its
 * place, so a publisher can go on from the last good sequence. Nothing of the damaged journal is
 * deleted or changed: its directory is renamed to {@code <dir>.damaged-<UTC time>}.
 * <p>
 * The prefix is copied entry by entry (each checked again: it must decode and follow on by one) into
 * a sibling directory first, written with a clock set to each entry's original roll cycle so the
 * fresh journal keeps the same cycle files (and retention keeps working the same way). Only when the
 * copy is complete are the two directories swapped by renames. Costs a copy of the good prefix, in
 * time and disk space. The ranges recorded as not journaled ({@link NotJournaledRanges}) up to the
 * last sequence copied go with it, so the fresh journal steps over the same recorded holes; those
 * after it are dropped with the rest of the damaged tail (the publisher gives those sequence numbers
 * out again).
 */
public final class JournalSalvage
{
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(ZoneOffset.UTC);

    /**
     * @param archive       where the damaged journal now is.
     * @param firstSequence first sequence copied into the fresh journal, 0 when none was.
     * @param lastSequence  last sequence copied, 0 when none was: the publisher continues after it.
     * @param shortfall     why the copy stopped before the last good sequence it was asked for (damage
     *                      the quick check did not read), or null when it copied all of it.
     * @param lock          the lock of the fresh journal, held: the caller owns it.
     * @param durationNs    how long the copy and swap took.
     */
    public record Outcome(
        Path archive, long firstSequence, long lastSequence, String shortfall, JournalLock lock, long durationNs)
    {
    }

    private JournalSalvage()
    {
    }

    /**
     * @param directory the damaged journal; the caller holds its lock (and keeps it: release it after).
     * @param lastGood  the last sequence to keep.
     * @param identity  the damaged journal's identity (or, for one that had none, the publisher's): the
     *                  fresh journal gets a successor of it, with a new epoch and a note of where it came from.
     */
    public static Outcome salvage(final Path directory, final long lastGood, final JournalIdentity identity)
    {
        return salvage(directory, lastGood, identity, false);
    }

    /**
     * As {@link #salvage(Path, long, JournalIdentity)}; with {@code keepEpoch} the fresh journal keeps
     * {@code identity} as it is, epoch included: a replica's salvaged prefix is still its upstream's
     * history (its tail is pulled again from the upstream, never given out anew).
     */
    public static Outcome salvage(
        final Path directory, final long lastGood, final JournalIdentity identity, final boolean keepEpoch)
    {
        final long start = System.nanoTime();
        final Path original = directory.toAbsolutePath().normalize();
        final String stamp = STAMP.format(Instant.now());
        final Path archive = unused(original.resolveSibling(original.getFileName() + ".damaged-" + stamp));
        final Path fresh = unused(original.resolveSibling(original.getFileName() + ".salvage-" + stamp));
        JournalLock freshLock = null;
        try
        {
            Files.createDirectory(fresh);
            keepPermissions(original, fresh);
            freshLock = JournalLock.acquire(fresh);
            final Copy copy = copy(original, fresh, lastGood);
            (keepEpoch ? identity : identity.successor("salvaged from " + archive + " up to sequence " + copy.last))
                .write(fresh);
            // The definitions the kept ticks were published under; what applied only to the lost tail stays with it.
            InstrumentHistory.read(original).copyTo(fresh, copy.last);
            Files.move(original, archive, StandardCopyOption.ATOMIC_MOVE);
            try
            {
                Files.move(fresh, original, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final IOException ex)
            {
                throw new JournalException("moved damaged journal " + original + " to " + archive +
                    " but could not put the salvaged copy " + fresh + " in its place: " + ex.getMessage(), ex);
            }
            return new Outcome(archive, copy.first, copy.last, copy.shortfall, freshLock, System.nanoTime() - start);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (freshLock != null)
            {
                freshLock.close();
            }
            if (Files.exists(original))
            {
                deleteQuietly(fresh); // only our own copy; the damaged journal is untouched
            }
            if (ex instanceof JournalException)
            {
                throw (JournalException)ex;
            }
            throw new JournalException("cannot salvage damaged journal " + original + ": " + ex.getMessage(), ex);
        }
    }

    private record Copy(long first, long last, String shortfall)
    {
    }

    /** Copy sequences up to {@code lastGood} from the damaged journal into the empty journal {@code target}. */
    private static Copy copy(final Path damaged, final Path target, final long lastGood)
    {
        final long[] decoded = {0, 0}; // the entry's first and last sequence
        final FeedDecoder decoder = new FeedDecoder(new FeedHandler()
        {
            public void onBatchBegin(final long epoch, final long firstSequence, final int count)
            {
                decoded[0] = firstSequence;
                decoded[1] = firstSequence + count - 1;
            }

            public void onQuote(final Quote quote)
            {
            }

            public void onMalformed(final MalformedReason reason)
            {
                decoded[0] = 0;
            }
        });
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        long first = 0;
        long last = 0;
        String shortfall = null;
        int nextRange = 0;
        try (Journal source = Journal.openReadOnly(damaged))
        {
            final RollCycle rollCycle = source.rollCycle();
            final SetTimeProvider clock = new SetTimeProvider(0);
            try (Journal copy = Journal.open(target, rollCycle, clock);
                ExcerptTailer tailer = source.createTailer();
                ExcerptAppender appender = copy.queue().createAppender())
            {
                int cycle = Integer.MIN_VALUE;
                while (last < lastGood && shortfall == null)
                {
                    try (DocumentContext in = tailer.readingDocument())
                    {
                        if (!in.isPresent())
                        {
                            shortfall = "no readable entry after sequence " + last;
                            break;
                        }
                        final Bytes<?> bytes = in.wire().bytes();
                        final long position = bytes.readPosition();
                        final int length = (int)bytes.readRemaining();
                        decoded[0] = 0;
                        if (bytes.isDirectMemory())
                        {
                            view.wrap(bytes.addressForRead(position), length);
                            decoder.decode(view, 0, length);
                        }
                        if (decoded[0] <= 0 || decoded[1] > lastGood ||
                            (last > 0 && decoded[0] != last + 1 && source.nextJournaled(last + 1) != decoded[0]))
                        {
                            shortfall = "the entry after sequence " + last + " is damaged";
                            break;
                        }
                        final int entryCycle = rollCycle.toCycle(in.index());
                        if (entryCycle != cycle)
                        {
                            cycle = entryCycle;
                            clock.currentTimeMillis((long)cycle * rollCycle.lengthInMillis() + copy.queue().epoch());
                        }
                        // Recorded holes before this entry go with it.
                        final NotJournaledRanges holes = source.notJournaled();
                        for (; nextRange < holes.count() && holes.first(nextRange) < decoded[0]; nextRange++)
                        {
                            if (!copy.notJournaled().recordRange(
                                holes.first(nextRange), Math.min(holes.last(nextRange), decoded[0] - 1)))
                            {
                                throw new JournalException("cannot copy the not-journaled ranges of " + damaged);
                            }
                        }
                        try (DocumentContext out = appender.writingDocument())
                        {
                            out.wire().bytes().unsafeWrite(view.addressOffset(), length);
                        }
                        first = first == 0 ? decoded[0] : first;
                        last = decoded[1];
                    }
                }
            }
        }
        catch (final InternalError ex)
        {
            shortfall = "the journal cannot be read after sequence " + last + " (" + ex.getMessage() + ")";
        }
        return new Copy(first, last, shortfall);
    }

    /** The fresh journal is as closed to others as the one it replaces (SECURITY.md: mode 0700). */
    static void keepPermissions(final Path from, final Path to) throws IOException
    {
        if (Files.getFileStore(from).supportsFileAttributeView(PosixFileAttributeView.class))
        {
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
        }
    }

    /** {@code path}, or the first of {@code path-2}, {@code path-3}... that does not exist. */
    static Path unused(final Path path)
    {
        Path candidate = path;
        for (int i = 2; Files.exists(candidate); i++)
        {
            candidate = path.resolveSibling(path.getFileName() + "-" + i);
        }
        return candidate;
    }

    static void deleteQuietly(final Path directory)
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException | RuntimeException ignored)
        {
            // a leftover copy is harmless: it is named as one
        }
    }
}
