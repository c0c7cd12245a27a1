package io.feedhandler.subscriber;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Quote;

/**
 * Live quotes that arrive while the subscriber is recovering, kept to be delivered once the replay
 * reaches them. Holds one contiguous run of sequences, the latest: a live quote that does not follow
 * the run (live lost some too) starts a new run, and when the run is at capacity the oldest quote
 * is dropped. Nothing dropped here is lost: the replay, which runs until it meets this buffer, brings
 * it. Fixed capacity, parallel primitive arrays: no allocation after construction.
 */
public final class LiveBuffer
{
    private final int capacity;
    private final long[] sequence;
    private final int[] instrumentId;
    private final long[] bidPrice;
    private final long[] bidSize;
    private final long[] askPrice;
    private final long[] askSize;
    private final long[] exchangeTimestamp;
    private final long[] sendTimestamp;
    private int head;
    private int size;
    private long overwritten;
    private long restarted;

    public LiveBuffer(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("bad --recovery-buffer " + capacity + ": must be at least 1");
        }
        this.capacity = capacity;
        sequence = new long[capacity];
        instrumentId = new int[capacity];
        bidPrice = new long[capacity];
        bidSize = new long[capacity];
        askPrice = new long[capacity];
        askSize = new long[capacity];
        exchangeTimestamp = new long[capacity];
        sendTimestamp = new long[capacity];
    }

    public void add(final Quote quote)
    {
        if (size > 0 && quote.sequence() != lastSequence() + 1)
        {
            if (quote.sequence() <= lastSequence())
            {
                return; // already held
            }
            restarted++;
            clear();
        }
        if (size == capacity)
        {
            head = (head + 1) % capacity;
            size--;
            overwritten++;
        }
        final int i = (head + size) % capacity;
        sequence[i] = quote.sequence();
        instrumentId[i] = quote.instrumentId();
        bidPrice[i] = quote.bidPrice();
        bidSize[i] = quote.bidSize();
        askPrice[i] = quote.askPrice();
        askSize[i] = quote.askSize();
        exchangeTimestamp[i] = quote.exchangeTimestamp();
        sendTimestamp[i] = quote.sendTimestamp();
        size++;
    }

    public int capacity()
    {
        return capacity;
    }

    public boolean isEmpty()
    {
        return size == 0;
    }

    public int size()
    {
        return size;
    }

    /** First sequence held; only when not empty. */
    public long firstSequence()
    {
        return sequence[head];
    }

    public long lastSequence()
    {
        return sequence[(head + size - 1) % capacity];
    }

    /** When the publisher sent the last tick held (its due time, epoch nanoseconds); only when not empty. */
    public long lastSendTimestamp()
    {
        return sendTimestamp[(head + size - 1) % capacity];
    }

    /**
     * Drop what is below {@code sequence} (already delivered).
     *
     * @return how many were dropped.
     */
    public int dropBelow(final long sequence)
    {
        int dropped = 0;
        while (size > 0 && this.sequence[head] < sequence)
        {
            head = (head + 1) % capacity;
            size--;
            dropped++;
        }
        return dropped;
    }

    /** Move the oldest quote into {@code into}; only when not empty. */
    public void poll(final MutableQuote into)
    {
        final int i = head;
        into.sequence = sequence[i];
        into.instrumentId = instrumentId[i];
        into.bidPrice = bidPrice[i];
        into.bidSize = bidSize[i];
        into.askPrice = askPrice[i];
        into.askSize = askSize[i];
        into.exchangeTimestamp = exchangeTimestamp[i];
        into.sendTimestamp = sendTimestamp[i];
        head = (head + 1) % capacity;
        size--;
    }

    public void clear()
    {
        head = 0;
        size = 0;
    }

    /** Quotes dropped because the buffer was full (the replay brings them instead). */
    public long overwritten()
    {
        return overwritten;
    }

    /** Times live skipped ahead of the buffered run, which then started again. */
    public long restarted()
    {
        return restarted;
    }
}
