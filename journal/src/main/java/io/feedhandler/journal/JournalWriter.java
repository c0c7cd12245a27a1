package io.feedhandler.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.util.MicroTouched;
import net.openhft.chronicle.wire.DocumentContext;
import io.feedhandler.codecs.QuoteBatchWriter;
import org.agrona.DirectBuffer;

/**
 * Appends encoded quotes to the journal. The caller owns the sequence: it appends sequence
 * {@code lastSequence() + 1} and onwards, and every sequence it does not append it records with
 * {@link #recordNotJournaled} (journal disk full, policy live-only), which is what keeps seeking by
 * sequence exact. Holds the journal's {@link JournalLock} so a second publisher on the same journal
 * fails at start instead of interleaving sequences.
 * <p>
 * An append is refused, not attempted, when it would eat into the disk's reserve
 * ({@link JournalSpace}); an append that fails anyway (Chronicle could not grow or map its file, or
 * the mapping faulted) is caught, remembered, and every later append is refused: after a fault the
 * appender's position cannot be trusted, so this writer does not resume. The entries before the one
 * being written stay readable; that one may be damaged (measured), which is why {@link JournalSpace}
 * stops appends before the disk is full.
 * <p>
 * Not thread-safe. The Chronicle appender is created on first append, on the thread that appends.
 */
public final class JournalWriter implements AutoCloseable
{
    /** What warming may touch: the page at the write position. */
    private static final int WARM_BYTES = 4096;

    private final Journal journal;
    private final JournalLock lock;
    private final JournalSpace space;
    private final NotJournaledRanges notJournaled;
    private ExcerptAppender appender;
    private Throwable failure;
    /**
     * The first sequence the next batch must carry, so the journal has no hole a reader could not
     * explain; 0 while the journal is empty (its first batch says where it starts).
     */
    private long nextSequence;

    JournalWriter(final Journal journal, final JournalLock lock, final JournalSpace space)
    {
        this.journal = journal;
        this.lock = lock;
        this.space = space;
        this.notJournaled = journal.notJournaled();
        // An empty journal may start anywhere (a replica's starts at its upstream's first retained sequence).
        final long lastIssued = journal.lastIssuedSequence();
        this.nextSequence = lastIssued > 0 ? lastIssued + 1 : 0;
    }

    /**
     * Create the appender and map the current cycle file now, on the calling thread, so the first
     * tick does not pay for it. Writes nothing.
     */
    public void warm()
    {
        if (failure != null || !space.hasRoomFor(WARM_BYTES))
        {
            return; // warming touches the file's next page: not on a disk at its reserve
        }
        try
        {
            if (appender == null)
            {
                appender = journal.queue().createAppender();
            }
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.rollbackOnClose();
            }
        }
        catch (final RuntimeException | InternalError ex)
        {
            failure = ex;
        }
    }

    /**
     * Touch the file's next page, ahead of the next append, so that the page fault (and the disk
     * block it allocates) falls in an idle moment of the appending thread rather than on a tick:
     * measured here, a fault on a fresh page of the journal costs about as much as appending a
     * whole 25-tick batch. Changes no byte (a compare-and-set of zero with zero). Call it from the
     * appending thread when it has nothing else to do; does nothing before the first append, on a
     * failed writer, or when the disk is at its reserve. Allocates nothing after its first call.
     */
    public void touchAhead()
    {
        if (appender == null || failure != null || !space.hasRoomFor(WARM_BYTES))
        {
            return;
        }
        try
        {
            ((MicroTouched)appender).microTouch();
        }
        catch (final RuntimeException | InternalError ex)
        {
            // Nothing written, nothing lost: the append that needs the page will meet the problem itself.
        }
    }

    /**
     * Append one encoded quote batch, which must carry the next sequence (after the last appended or
     * recorded as not journaled): the journal never gets a hole a reader could not explain. Allocates
     * nothing once the appender exists.
     *
     * @return false when it was not appended: the disk's reserve is reached, or the journal failed
     *         earlier ({@link #failure()}).
     * @throws JournalException when the batch does not carry the next sequence (a caller's bug).
     */
    public boolean append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (failure != null || !space.tryConsume(length + JournalSpace.ENTRY_OVERHEAD))
        {
            return false;
        }
        final long first = Journal.firstSequenceOf(buffer, offset, length);
        if (first <= 0 || (nextSequence != 0 && first != nextSequence))
        {
            throw new JournalException(first <= 0 ? "not a quote batch: nothing was appended" :
                "a batch from sequence " + first + " does not follow sequence " + (nextSequence - 1) +
                ": nothing was appended");
        }
        try
        {
            if (appender == null)
            {
                appender = journal.queue().createAppender();
            }
            try (DocumentContext dc = appender.writingDocument())
            {
                final Bytes<?> bytes = dc.wire().bytes();
                final byte[] array = buffer.byteArray();
                if (array != null)
                {
                    bytes.write(array, buffer.wrapAdjustment() + offset, length);
                }
                else
                {
                    bytes.unsafeWrite(buffer.addressOffset() + offset, length);
                }
            }
            nextSequence = first + QuoteBatchWriter.count(buffer, offset);
            return true;
        }
        catch (final RuntimeException | InternalError ex)
        {
            // InternalError: the JVM's report of a fault (SIGBUS) on the mapped file, i.e. the disk filled.
            failure = ex;
            return false;
        }
    }

    /**
     * Record {@code sequence} as sent without being journaled. No allocation, no system call.
     *
     * @return false when it cannot be recorded (the ranges file is full): the caller must not send it.
     */
    public boolean recordNotJournaled(final long sequence)
    {
        if (sequence != nextSequence && nextSequence != 0)
        {
            throw new JournalException("sequence " + sequence + " does not follow sequence " + (nextSequence - 1) +
                ": it was not recorded");
        }
        if (!notJournaled.record(sequence))
        {
            return false;
        }
        nextSequence = sequence + 1;
        return true;
    }

    /** Whether {@link #recordNotJournaled} would take {@code sequence}. */
    public boolean canRecordNotJournaled(final long sequence)
    {
        return notJournaled.canRecord(sequence);
    }

    /** Whether appends would be taken again: no failure, and free space is back above the resume mark. */
    public boolean canResume()
    {
        return failure == null && space.hasRoomToResume();
    }

    /** The error that made this writer refuse appends for good, or null. */
    public Throwable failure()
    {
        return failure;
    }

    /** The disk guard this writer appends under. */
    public JournalSpace space()
    {
        return space;
    }

    /** The ranges recorded as not journaled, as this writer sees them. */
    public NotJournaledRanges notJournaled()
    {
        return notJournaled;
    }

    public void close()
    {
        try
        {
            if (appender != null)
            {
                appender.close();
            }
        }
        catch (final RuntimeException | InternalError ex)
        {
            // a failed appender may fail to close too; the lock must still go
        }
        finally
        {
            lock.close();
        }
    }
}
