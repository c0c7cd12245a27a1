package io.feedhandler.gateway;

import io.netty.buffer.ByteBuf;

/**
 * The gateway's own top of book: the latest event of every instrument, the same bytes the event log
 * holds, one slot per instrument index. Written by the subscriber's thread right after the event log;
 * read by the event loops for {@code /book}, for snapshots (a new client that asks for one, a resume
 * that cannot be served) and for conflating a client that fell behind the event log.
 */
final class GatewayBook extends EventSlots
{
    private final int capacity;

    GatewayBook(final int capacity)
    {
        super(capacity);
        this.capacity = capacity;
    }

    static int offset(final int index)
    {
        return index * SLOT_LENGTH;
    }

    /** Writer: the event at {@code logOffset} of the log is now the latest of instrument {@code index}. */
    void update(final int index, final EventLog log, final int logOffset, final long sequence)
    {
        if (index < 0 || index >= capacity)
        {
            return;
        }
        final int offset = offset(index);
        beginWrite(offset);
        final int length = log.slots.getInt(logOffset + LENGTH_OFFSET);
        slots.putBytes(offset + DATA_OFFSET, log.slots, logOffset + DATA_OFFSET, length);
        endWrite(offset, sequence, log.generationAt(logOffset), index, length,
            log.slots.getInt(logOffset + JSON_OFFSET_OFFSET),
            log.slots.getInt(logOffset + JSON_LENGTH_OFFSET));
    }

    /** The sequence of the latest event of {@code index}; 0 for none, {@link #WRITING} while it changes. */
    long sequence(final int index)
    {
        return sequenceAt(offset(index));
    }

    /**
     * Append the latest quote of {@code index} as JSON (or as an SSE event) to {@code out}.
     *
     * @return its sequence, or 0 when the instrument has none.
     */
    long copyLatest(final int index, final ByteBuf out, final int format)
    {
        final int offset = offset(index);
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final long sequence = sequenceAt(offset);
            if (sequence == 0)
            {
                return 0;
            }
            if (sequence > 0 && copy(offset, sequence, ANY_GENERATION, out, format) != MISSED)
            {
                return sequence;
            }
            Thread.onSpinWait(); // the writer is rewriting this one slot: a few hundred nanoseconds
        }
        return 0;
    }
}
