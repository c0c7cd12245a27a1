package io.feedhandler.gateway;

import io.feedhandler.codecs.Instrument;
import org.agrona.collections.Int2IntHashMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The instruments the gateway knows: each gets a dense index on first sight (its definition or its
 * first quote), which the event log, the book and every client's filter use instead of ids and
 * symbols. The subscriber's thread writes; the event loops read symbols and indexes, which are only
 * ever added or renamed (rarely), never reused. Bounded by {@code --max-instruments}: quotes of
 * instruments beyond it still reach clients that take everything, but cannot be filtered for.
 */
final class Instruments
{
    static final int UNTRACKED = -2;

    private final int capacity;
    private final Int2IntHashMap indexById = new Int2IntHashMap(UNTRACKED);
    private final Map<Integer, Integer> indexByIdShared = new ConcurrentHashMap<>();
    private final Map<String, Integer> indexBySymbol = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<byte[]> symbolBytes;
    private final AtomicReferenceArray<String> symbols;
    private volatile int count;
    private volatile int version;
    private long untracked;

    Instruments(final int capacity)
    {
        this.capacity = capacity;
        this.symbolBytes = new AtomicReferenceArray<>(capacity);
        this.symbols = new AtomicReferenceArray<>(capacity);
    }

    int capacity()
    {
        return capacity;
    }

    /** Writer: the index of {@code id}, given one if it has none; {@link #UNTRACKED} past the capacity. */
    int indexOf(final int id)
    {
        final int index = indexById.get(id);
        if (index != UNTRACKED)
        {
            return index;
        }
        final int next = count;
        if (next >= capacity)
        {
            untracked++;
            return UNTRACKED;
        }
        final String symbol = "#" + id; // until its definition says
        symbolBytes.set(next, QuoteJson.symbolBytes(symbol));
        symbols.set(next, symbol);
        indexById.put(id, next);
        indexByIdShared.put(id, next);
        count = next + 1;
        version++;
        return next;
    }

    /** Writer: a definition names (or renames) an instrument. */
    void define(final Instrument instrument)
    {
        final int index = indexOf(instrument.id());
        if (index < 0 || instrument.symbol().equals(symbols.get(index)))
        {
            return;
        }
        final String old = symbols.get(index);
        indexBySymbol.remove(old, index);
        symbolBytes.set(index, QuoteJson.symbolBytes(instrument.symbol()));
        symbols.set(index, instrument.symbol());
        indexBySymbol.put(instrument.symbol(), index);
        version++;
    }

    /** The JSON-escaped symbol of an index, or of an untracked id (allocates: rare). */
    byte[] symbolBytes(final int index, final int id)
    {
        return index >= 0 ? symbolBytes.get(index) : QuoteJson.symbolBytes("#" + id);
    }

    /** Reader: the index of an id, or {@link #UNTRACKED}. */
    int lookup(final int id)
    {
        final Integer index = indexByIdShared.get(id);
        return index == null ? UNTRACKED : index;
    }

    /** Reader: the index of a symbol, or -1 when no definition has named it. */
    int indexOfSymbol(final String symbol)
    {
        final Integer index = indexBySymbol.get(symbol);
        return index == null ? -1 : index;
    }

    String symbol(final int index)
    {
        return symbols.get(index);
    }

    /** Instruments with an index: indexes 0 .. count - 1. */
    int count()
    {
        return count;
    }

    /** Changes whenever an index is added or a symbol named: filters resolve their symbols again. */
    int version()
    {
        return version;
    }

    /** Writer's count of quotes whose instrument could not be tracked. */
    long untracked()
    {
        return untracked;
    }

    /** Whether any definition has named an instrument yet. */
    boolean anyDefined()
    {
        return !indexBySymbol.isEmpty();
    }

    /** The symbols named by definitions, for /health. */
    List<String> definedSymbols()
    {
        return new ArrayList<>(indexBySymbol.keySet());
    }
}
