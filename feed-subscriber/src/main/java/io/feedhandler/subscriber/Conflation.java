package io.feedhandler.subscriber;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Quote;
import org.agrona.collections.Int2IntHashMap;

/**
 * A slow consumer's conflation ({@code --slow-consumer conflate}): while the subscriber is behind the
 * feed, live ticks are not handed to the listener one by one but held here, the latest quote of each
 * instrument overwriting the one before; once the subscriber has read what was waiting for it, the
 * held quotes are delivered, one per instrument, in sequence order, and it carries on. The ticks
 * superseded in between were never delivered and are never asked for: {@code conflated} counts them.
 * <p>
 * The top of book stays exact (each instrument's last quote is always delivered), the listener sees
 * every delivered sequence once and in order, and the memory is one quote slot per instrument, bounded
 * by {@code maxInstruments} (beyond it, quotes of new instruments are delivered as they come rather
 * than held). Slots are created on an instrument's first hold and reused after, and a flush sorts
 * primitive arrays in place: nothing is allocated in steady state.
 */
final class Conflation
{
    private static final int NO_SLOT = -1;

    private final int capacity;
    private final Int2IntHashMap slotOf = new Int2IntHashMap(NO_SLOT);
    private MutableQuote[] slots = new MutableQuote[16];
    private boolean[] held = new boolean[16];
    private int slotCount;
    /** The held slots in the order they were first held, then sorted by sequence at a flush. */
    private int[] heldSlots = new int[16];
    private long[] heldSequences = new long[16];
    private int heldCount;
    private long firstSequence;
    private long lastSequence;
    private long received;

    Conflation(final int capacity)
    {
        this.capacity = capacity;
    }

    /** Whether quotes are being held. */
    boolean isHolding()
    {
        return heldCount > 0;
    }

    /**
     * Hold {@code quote}, the next tick in sequence, in place of its instrument's earlier one.
     *
     * @return false when it cannot be held (a new instrument past the bound): deliver it now.
     */
    boolean hold(final Quote quote)
    {
        int slot = slotOf.get(quote.instrumentId());
        if (slot == NO_SLOT)
        {
            if (slotCount >= capacity)
            {
                return false;
            }
            slot = newSlot(quote.instrumentId());
        }
        slots[slot].set(quote);
        if (!held[slot])
        {
            held[slot] = true;
            if (heldCount == heldSlots.length)
            {
                heldSlots = java.util.Arrays.copyOf(heldSlots, heldCount * 2);
                heldSequences = java.util.Arrays.copyOf(heldSequences, heldCount * 2);
            }
            heldSlots[heldCount++] = slot;
        }
        if (received == 0)
        {
            firstSequence = quote.sequence();
        }
        lastSequence = quote.sequence();
        received++;
        return true;
    }

    private int newSlot(final int instrumentId)
    {
        if (slotCount == slots.length)
        {
            slots = java.util.Arrays.copyOf(slots, slotCount * 2);
            held = java.util.Arrays.copyOf(held, slotCount * 2);
        }
        slots[slotCount] = new MutableQuote();
        slotOf.put(instrumentId, slotCount);
        return slotCount++;
    }

    /** First sequence held since the last flush. */
    long firstSequence()
    {
        return firstSequence;
    }

    /** Last sequence held since the last flush. */
    long lastSequence()
    {
        return lastSequence;
    }

    /** Ticks held since the last flush, superseded ones included. */
    long received()
    {
        return received;
    }

    /** Quotes a flush delivers now: one per instrument held. */
    int held()
    {
        return heldCount;
    }

    /**
     * Deliver the held quotes, one per instrument, in sequence order, through {@code delivery}; then
     * hold nothing.
     */
    void flush(final Delivery delivery)
    {
        for (int i = 0; i < heldCount; i++)
        {
            heldSequences[i] = slots[heldSlots[i]].sequence;
        }
        sort(heldSequences, heldSlots, 0, heldCount - 1);
        delivery.readClock();
        for (int i = 0; i < heldCount; i++)
        {
            final int slot = heldSlots[i];
            held[slot] = false;
            if (!delivery.countReached())
            {
                delivery.deliver(slots[slot], false);
            }
        }
        heldCount = 0;
        received = 0;
    }

    /** Quicksort of {@code keys[from..to]} carrying {@code values} along; in place, no allocation. */
    private static void sort(final long[] keys, final int[] values, final int from, final int to)
    {
        int low = from;
        int high = to;
        while (low < high)
        {
            final long pivot = keys[(low + high) >>> 1];
            int i = low;
            int j = high;
            while (i <= j)
            {
                while (keys[i] < pivot)
                {
                    i++;
                }
                while (keys[j] > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    final long key = keys[i];
                    keys[i] = keys[j];
                    keys[j] = key;
                    final int value = values[i];
                    values[i] = values[j];
                    values[j] = value;
                    i++;
                    j--;
                }
            }
            // Recurse into the smaller part, loop on the larger: the stack stays O(log n).
            if (j - low < high - i)
            {
                sort(keys, values, low, j);
                low = i;
            }
            else
            {
                sort(keys, values, i, high);
                high = j;
            }
        }
    }
}
