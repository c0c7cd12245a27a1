package io.feedhandler.subscriber;

import io.feedhandler.codecs.BookDigest;
import io.feedhandler.codecs.Quote;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.Arrays;

/**
 * The latest bid and ask of every instrument. An instrument's entry is created the first time it is
 * quoted and updated in place after that, so steady state allocates nothing. Bounded: past
 * {@code maxInstruments} distinct ids, new ids are counted and not tracked, so a flood of bogus ids
 * cannot eat the heap.
 */
public final class TopOfBook
{
    /** One instrument's best bid and offer. */
    public static final class Level
    {
        long sequence;
        long bidPrice;
        long bidSize;
        long askPrice;
        long askSize;
        long exchangeTimestamp;

        public long sequence()
        {
            return sequence;
        }

        public long bidPrice()
        {
            return bidPrice;
        }

        public long bidSize()
        {
            return bidSize;
        }

        public long askPrice()
        {
            return askPrice;
        }

        public long askSize()
        {
            return askSize;
        }

        public long exchangeTimestamp()
        {
            return exchangeTimestamp;
        }
    }

    private final Int2ObjectHashMap<Level> levels = new Int2ObjectHashMap<>();
    private final int maxInstruments;
    private long untracked;

    public TopOfBook(final int maxInstruments)
    {
        this.maxInstruments = maxInstruments;
    }

    public void update(final Quote quote)
    {
        Level level = levels.get(quote.instrumentId());
        if (level == null)
        {
            if (levels.size() >= maxInstruments)
            {
                untracked++;
                return;
            }
            level = new Level();
            levels.put(quote.instrumentId(), level);
        }
        level.sequence = quote.sequence();
        level.bidPrice = quote.bidPrice();
        level.bidSize = quote.bidSize();
        level.askPrice = quote.askPrice();
        level.askSize = quote.askSize();
        level.exchangeTimestamp = quote.exchangeTimestamp();
    }

    /** The instrument's latest quote, or null if it was never quoted. */
    public Level level(final int instrumentId)
    {
        return levels.get(instrumentId);
    }

    public int size()
    {
        return levels.size();
    }

    /**
     * The {@link BookDigest} of every tracked instrument, in instrument-id order: equal books give
     * equal digests, whatever path delivered them. Allocates (it sorts the ids): for summaries, not per tick.
     */
    public long digest()
    {
        final int[] ids = new int[levels.size()];
        int i = 0;
        for (final Int2ObjectHashMap<Level>.KeyIterator it = levels.keySet().iterator(); it.hasNext(); )
        {
            ids[i++] = it.nextInt();
        }
        Arrays.sort(ids);
        final BookDigest digest = new BookDigest();
        for (final int id : ids)
        {
            final Level level = levels.get(id);
            digest.update(id, level.bidPrice, level.bidSize, level.askPrice, level.askSize);
        }
        return digest.value();
    }

    /** Quotes for instruments beyond the bound, not tracked. */
    public long untracked()
    {
        return untracked;
    }
}
