package io.feedhandler.journal;

import net.openhft.chronicle.bytes.Bytes;
import io.feedhandler.codecs.QuoteBatchWriter;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Map;

/**
 * Reads journal entries (quote batches) in sequence order from wherever it is positioned. Entries
 * are handed out as a view of the mapped file, not copied. Not thread-safe: one reader per thread,
 * created or first used on the thread that reads (Chronicle tailers belong to one thread).
 */
public final class JournalReader implements AutoCloseable
{
    private final Journal journal;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private byte[] copy = new byte[256];
    private ExcerptTailer tailer;
    private long peekedFirst;
    private int peekedCount;

    JournalReader(final Journal journal)
    {
        this.journal = journal;
    }

    /**
     * Position so the next {@link #read} returns the entry that holds {@code sequence} (a batch may
     * begin before it). A binary search over the entries of the cycle that holds it, by their first
     * sequences, with this reader's own tailer: O(log n) reads.
     *
     * @return false when the journal does not hold that sequence (yet, or any more).
     */
    public boolean seek(final long sequence)
    {
        return seek(sequence, false) || seek(sequence, true);
    }

    private boolean seek(final long sequence, final boolean refresh)
    {
        final Map.Entry<Long, Integer> cycle = journal.cycleFor(sequence, refresh);
        if (cycle == null)
        {
            return false;
        }
        final RollCycle rollCycle = journal.rollCycle();
        final int cycleNumber = cycle.getValue();
        // Gallop for an entry past the sequence (or the cycle's end), then halve: the last entry whose
        // first sequence is at or before the one sought is the one that may hold it.
        long low = 0;
        long step = 1;
        long high = -1;
        while (high < 0)
        {
            final long first = firstSequenceAt(rollCycle.toIndex(cycleNumber, low + step), cycleNumber);
            if (first == 0 || first > sequence)
            {
                high = low + step;
            }
            else
            {
                low += step;
                step <<= 1;
            }
        }
        while (high - low > 1)
        {
            final long middle = (low + high) >>> 1;
            final long first = firstSequenceAt(rollCycle.toIndex(cycleNumber, middle), cycleNumber);
            if (first != 0 && first <= sequence)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
        final long index = rollCycle.toIndex(cycleNumber, low);
        return lastSequenceAt(index, cycleNumber) >= sequence && moveToIndex(index);
    }

    /** First sequence of the entry at {@code index} of cycle {@code cycle}; 0 when there is none there. */
    private long firstSequenceAt(final long index, final int cycle)
    {
        return peek(index, cycle) ? peekedFirst : 0;
    }

    /** Last sequence of the entry at {@code index} of cycle {@code cycle}; 0 when there is none there. */
    private long lastSequenceAt(final long index, final int cycle)
    {
        return peek(index, cycle) ? peekedFirst + peekedCount - 1 : 0;
    }

    private boolean peek(final long index, final int cycle)
    {
        if (!moveToIndex(index))
        {
            return false;
        }
        try (DocumentContext dc = tailer().readingDocument())
        {
            if (!dc.isPresent() || journal.rollCycle().toCycle(dc.index()) != cycle)
            {
                return false;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            final int length = (int)bytes.readRemaining();
            if (!bytes.isDirectMemory())
            {
                return false;
            }
            view.wrap(bytes.addressForRead(bytes.readPosition()), length);
            peekedFirst = Journal.firstSequenceOf(view, 0, length);
            peekedCount = peekedFirst > 0 ? QuoteBatchWriter.count(view, 0) : 0;
            dc.rollbackOnClose();
            return peekedFirst > 0;
        }
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
            if (!handler.onEntry(Journal.firstSequenceOf(view, 0, length), view, 0, length))
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
