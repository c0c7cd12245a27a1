package io.feedhandler.subscriber;

import io.feedhandler.codecs.Instrument;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * The instrument definitions a subscriber has heard: id to symbol and price exponent. Bounded like
 * the top of book, so a flood of bogus ids cannot grow the heap; a definition allocates only when it
 * is new or changed.
 */
final class InstrumentDefinitions
{
    private final Int2ObjectHashMap<Instrument> byId = new Int2ObjectHashMap<>();
    private final int capacity;

    InstrumentDefinitions(final int capacity)
    {
        this.capacity = capacity;
    }

    /**
     * @return the definition when it is new or changed, null when it was known as it is (or there is no room).
     */
    Instrument onDefinition(final int instrumentId, final int priceExponent, final CharSequence symbol)
    {
        final Instrument known = byId.get(instrumentId);
        if (known == null && byId.size() >= capacity)
        {
            return null;
        }
        if (known != null && known.priceExponent() == priceExponent && known.symbol().contentEquals(symbol))
        {
            return null;
        }
        final Instrument instrument = new Instrument(instrumentId, symbol.toString(), priceExponent);
        byId.put(instrumentId, instrument);
        return instrument;
    }

    /** The definition of an instrument, or null when it has not arrived. */
    Instrument get(final int instrumentId)
    {
        return byId.get(instrumentId);
    }

    int size()
    {
        return byId.size();
    }
}
