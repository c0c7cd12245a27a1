package io.feedhandler.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads journal entries in sequence order from wherever it is positioned. Entries are handed out
 * as a view of the mapped file, not copied. Not thread-safe: one reader per thread, created or
 * first used on the thread that reads (Chronicle tailers belong to one thread).
 */
public final class JournalReader implements AutoCloseable
{
    private final Journal journal;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private byte[] copy = new byte[256];
    private ExcerptTailer tailer;

    JournalReader(final Journal journal)
    {
        this.journal = journal;
    }

    /**
     * Position so the next {@link #read} returns {@code sequence}.
     *
     * @return false when the journal does not hold that sequence (yet, or any more).
     */
    public boolean seek(final long sequence)
    {
        final long index = journal.indexOf(sequence, false);
        if (index >= 0 && moveToIndex(index))
        {
            return true;
        }
        final long refreshed = journal.indexOf(sequence, true);
        return refreshed >= 0 && moveToIndex(refreshed);
    }

    /** Position at the first entry. */
    public JournalReader toStart()
    {
        tailer().toStart();
        return this;
    }

    /** Position after the last entry, so the next read returns the next entry appended. */
    public JournalReader toEnd()
    {
        tailer().toEnd();
        return this;
    }

    boolean moveToIndex(final long index)
    {
        return tailer().moveToIndex(index);
    }

    /**
     * Read the next entry, if there is one, and hand it to {@code handler}. When the handler does
     * not take it, the read is rolled back and the same entry comes next time.
     *
     * @return true when an entry was read and taken.
     */
    public boolean read(final JournalEntryHandler handler)
    {
        try (DocumentContext dc = tailer().readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            final int length = (int)bytes.readRemaining();
            if (bytes.isDirectMemory())
            {
                view.wrap(bytes.addressForRead(bytes.readPosition()), length);
            }
            else
            {
                if (copy.length < length)
                {
                    copy = new byte[length];
                }
                bytes.read(copy, 0, length);
                view.wrap(copy, 0, length);
            }
            if (!handler.onEntry(Journal.sequenceOf(view, 0, length), view, 0, length))
            {
                dc.rollbackOnClose();
                return false;
            }
            return true;
        }
    }

    /**
     * Read up to {@code limit} entries.
     *
     * @return the number read, 0 when there was nothing new.
     */
    public int read(final JournalEntryHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit && read(handler))
        {
            count++;
        }
        return count;
    }

    private ExcerptTailer tailer()
    {
        if (tailer == null)
        {
            tailer = journal.createTailer();
        }
        return tailer;
    }

    public void close()
    {
        if (tailer != null)
        {
            tailer.close();
        }
    }
}
