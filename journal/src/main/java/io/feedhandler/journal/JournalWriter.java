package io.feedhandler.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;

/**
 * Appends encoded quotes to the journal. The caller owns the sequence: it appends sequence
 * {@code lastSequence() + 1} and onwards with no holes, which is what makes seeking by sequence
 * exact. Holds the journal's {@link JournalLock} so a second publisher on the same journal fails at
 * start instead of interleaving sequences.
 * <p>
 * Not thread-safe. The Chronicle appender is created on first append, on the thread that appends.
 */
public final class JournalWriter implements AutoCloseable
{
    private final Journal journal;
    private final JournalLock lock;
    private ExcerptAppender appender;

    JournalWriter(final Journal journal, final JournalLock lock)
    {
        this.journal = journal;
        this.lock = lock;
    }

    /**
     * Create the appender and map the current cycle file now, on the calling thread, so the first
     * tick does not pay for it. Writes nothing.
     */
    public void warm()
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

    /** Append one encoded message. Allocates nothing once the appender exists. */
    public void append(final DirectBuffer buffer, final int offset, final int length)
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
        finally
        {
            lock.close();
        }
    }
}
