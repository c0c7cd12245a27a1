package io.feedhandler.gateway;

import io.feedhandler.codecs.Instrument;
import org.agrona.collections.Int2IntHashMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The instruments the gateway knows, as dense indexes that the event log, the book and every
 * client's filter use instead of ids and symbols. An index stands for one definition of an id, and
 * its symbol never changes: an id's first quote before any definition gets an index named
 * {@code #id}, and every definition that names an id with another symbol gets a fresh index, the
 * id's old one being retired (its events keep the symbol they were published under, in the log and
 * the book, and age out). So an event's index says what it was when it was published, and a filter
 * built from symbols can never match an event published under another symbol, whatever was renamed
 * since. The subscriber's thread writes; the event loops read symbols and indexes, which are only
 * ever added (rarely), never changed or reused. Bounded by {@code --max-instruments} indexes:
 * quotes of instruments beyond it still reach clients that take everything (as {@code #id}), but
 * cannot be filtered for.
 */
final class Instruments
{
    static final int UNTRACKED = -2;

    private static final int PLACEHOLDER = 0;
    private static final int DEFINED = 1;
    private static final int RETIRED = 2;
    private static final int[] NONE = new int[0];

    private final int capacity;
    private final Int2IntHashMap currentById = new Int2IntHashMap(UNTRACKED);
    /** Every index a definition named with the symbol (its current one, and retired ones whose events may remain). */
    private final Map<String, int[]> indexesBySymbol = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<byte[]> symbolBytes;
    private final AtomicReferenceArray<String> symbols;
    private final AtomicIntegerArray states;
    private volatile int count;
    private volatile int version;
    private long untracked;
    private long retired;

    Instruments(final int capacity)
    {
        this.capacity = capacity;
        this.symbolBytes = new AtomicReferenceArray<>(capacity);
        this.symbols = new AtomicReferenceArray<>(capacity);
        this.states = new AtomicIntegerArray(capacity);
    }

    int capacity()
    {
        return capacity;
    }

    /** Writer: the index of {@code id}'s definition in force, given a {@code #id} one if it has none; {@link #UNTRACKED} past the capacity. */
    int indexOf(final int id)
    {
        final int index = currentById.get(id);
        if (index != UNTRACKED)
        {
            return index;
        }
        final int added = add(id, "#" + id, PLACEHOLDER); // until its definition says
        if (added != UNTRACKED)
        {
            version++;
        }
        return added;
    }

    /** Writer: a definition comes into force; another symbol for the id than it had means a fresh index. */
    void define(final Instrument instrument)
    {
        final int id = instrument.id();
        final String symbol = instrument.symbol();
        final int current = currentById.get(id);
        if (current != UNTRACKED && states.get(current) == DEFINED && symbol.equals(symbols.get(current)))
        {
            return; // the same name (a repeat, or another price exponent: the JSON carries prices at -8 whatever it is)
        }
        final int index = add(id, symbol, DEFINED);
        if (current != UNTRACKED)
        {
            states.set(current, RETIRED);
            retired++;
            if (index == UNTRACKED)
            {
                currentById.remove(id); // its quotes go out as #id, to clients that take everything
            }
        }
        if (index != UNTRACKED)
        {
            final int[] known = indexesBySymbol.getOrDefault(symbol, NONE);
            final int[] with = java.util.Arrays.copyOf(known, known.length + 1);
            with[known.length] = index;
            indexesBySymbol.put(symbol, with);
        }
        version++;
    }

    private int add(final int id, final String symbol, final int state)
    {
        final int next = count;
        if (next >= capacity)
        {
            untracked++;
            return UNTRACKED;
        }
        symbolBytes.set(next, QuoteJson.symbolBytes(symbol));
        symbols.set(next, symbol);
        states.set(next, state);
        currentById.put(id, next);
        count = next + 1;
        return next;
    }

    /** The JSON-escaped symbol of an index, or of an untracked id (allocates: rare). */
    byte[] symbolBytes(final int index, final int id)
    {
        return index >= 0 ? symbolBytes.get(index) : QuoteJson.symbolBytes("#" + id);
    }

    /** Reader: every index whose events carry {@code symbol} (current and retired); empty when none. */
    int[] indexesOf(final String symbol)
    {
        return indexesBySymbol.getOrDefault(symbol, NONE);
    }

    /** Reader: whether a definition in force names {@code symbol}. */
    boolean isDefined(final String symbol)
    {
        for (final int index : indexesOf(symbol))
        {
            if (states.get(index) == DEFINED)
            {
                return true;
            }
        }
        return false;
    }

    /** Reader: a later definition of the index's id replaced it: its events are history, not the book. */
    boolean isRetired(final int index)
    {
        return index >= 0 && index < capacity && states.get(index) == RETIRED;
    }

    String symbol(final int index)
    {
        return symbols.get(index);
    }

    /** Indexes given so far: 0 .. count - 1. */
    int count()
    {
        return count;
    }

    /** Changes whenever an index is added: filters resolve their symbols again. */
    int version()
    {
        return version;
    }

    /** Writer's count of quotes whose instrument could not be tracked. */
    long untracked()
    {
        return untracked;
    }

    /** Writer's count of indexes retired by a definition that renamed their id. */
    long retired()
    {
        return retired;
    }

    /** Whether any definition has named an instrument yet. */
    boolean anyDefined()
    {
        return !indexesBySymbol.isEmpty();
    }

    /** The symbols named by definitions in force, for /health and unsubscribing from everything. */
    List<String> definedSymbols()
    {
        final List<String> defined = new ArrayList<>();
        for (final String symbol : indexesBySymbol.keySet())
        {
            if (isDefined(symbol))
            {
                defined.add(symbol);
            }
        }
        return defined;
    }
}
