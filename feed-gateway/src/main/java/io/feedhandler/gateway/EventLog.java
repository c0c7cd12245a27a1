package io.feedhandler.gateway;

import io.feedhandler.codecs.Quote;
import org.agrona.BitUtil;

/**
 * The last {@code capacity} events the gateway delivered, serialized once, by sequence: the one place
 * every client reads its events from (live, after a resume, or conflated), each at its own pace. One
 * writer (the subscriber's thread, in sequence order); the event loops read. A sequence the
 * subscriber never delivered (lost from the journal) has no event; a reader that finds its slot
 * holding an older sequence skips it, one that finds a newer sequence was lapped.
 */
final class EventLog extends EventSlots
{
    private final int mask;
    private final int capacity;
    private final QuoteJson json = new QuoteJson();
    private volatile long head;
    private volatile long first;
    private volatile int generation;

    EventLog(final int capacity)
    {
        super(BitUtil.findNextPositivePowerOfTwo(capacity));
        this.capacity = BitUtil.findNextPositivePowerOfTwo(capacity);
        this.mask = this.capacity - 1;
    }

    int capacity()
    {
        return capacity;
    }

    /**
     * The stream generation: how many times the stream was {@link #reset}. Every slot carries the
     * generation it was written in, and a reader names the one it reads for, so a sequence that a
     * reset reused never passes for the old stream's.
     */
    int generation()
    {
        return generation;
    }

    /** The last sequence appended; 0 before the first. */
    long head()
    {
        return head;
    }

    /** The first sequence ever appended; 0 before it. */
    long first()
    {
        return first;
    }

    /** The oldest sequence still held, given a {@link #head()} read before. */
    long oldest(final long head)
    {
        return Math.max(first, head - capacity + 1);
    }

    int offset(final long sequence)
    {
        return (int)(sequence & mask) * SLOT_LENGTH;
    }

    /**
     * Writer: serialize and publish the next event. Sequences only grow.
     *
     * @return the slot's offset, to copy it into the book.
     */
    int append(final Quote quote, final int instrument, final byte[] symbol)
    {
        final long sequence = quote.sequence();
        final int offset = offset(sequence);
        beginWrite(offset);
        final int length = json.encode(quote, symbol, slots, offset + DATA_OFFSET);
        endWrite(offset, sequence, generation, instrument, length, json.jsonOffset(), json.jsonLength());
        if (first == 0)
        {
            first = sequence;
        }
        head = sequence;
        return offset;
    }

    /**
     * Writer: forget everything (the stream was reset); readers find their cursors past the head, and
     * a slot written from now on is of the next generation.
     */
    void reset()
    {
        generation = generation + 1;
        first = 0;
        head = 0;
    }
}
