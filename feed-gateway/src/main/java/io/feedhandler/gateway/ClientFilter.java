package io.feedhandler.gateway;

import java.util.Set;

/**
 * Which instruments one client gets: every one, or a set of symbols (what it asked for, within what
 * its token entitles it to). Kept as a bit set over instrument indexes, resolved again when the
 * instruments change (a definition arrives for a symbol asked for). An index stands for one
 * definition and never changes its symbol ({@link Instruments}), so the set matches exactly the
 * events published under the symbols, whatever was renamed since. Used on the client's event loop
 * only; resolve it after reading the log's head, so every definition of an event up to that head is
 * seen. A client limited to symbols never gets an instrument outside them: an event whose instrument
 * is not resolved to one of them (unknown, untracked, another definition of the id) does not match.
 */
final class ClientFilter
{
    private final Set<String> symbols;
    private long[] bits = new long[0];
    private int version = -1;
    private int size;

    private ClientFilter(final Set<String> symbols)
    {
        this.symbols = symbols;
    }

    static ClientFilter all()
    {
        return new ClientFilter(null);
    }

    static ClientFilter of(final Set<String> symbols)
    {
        return new ClientFilter(Set.copyOf(symbols));
    }

    boolean isAll()
    {
        return symbols == null;
    }

    /** The symbols it is limited to; null for all. */
    Set<String> symbols()
    {
        return symbols;
    }

    /** Bring the bit set up to date with the instruments (a no-op unless they changed). */
    void resolve(final Instruments instruments)
    {
        final int current = instruments.version();
        if (symbols == null || current == version)
        {
            return;
        }
        version = current;
        long[] resolved = new long[0];
        int found = 0;
        for (final String symbol : symbols)
        {
            // Every index that carried the symbol: the one in force, and retired ones whose events remain.
            for (final int index : instruments.indexesOf(symbol))
            {
                if ((index >> 6) >= resolved.length)
                {
                    resolved = java.util.Arrays.copyOf(resolved, (index >> 6) + 1);
                }
                resolved[index >> 6] |= 1L << index;
                found++;
            }
        }
        bits = resolved;
        size = found;
    }

    boolean matches(final int index)
    {
        if (symbols == null)
        {
            return true;
        }
        final int word = index >> 6;
        return index >= 0 && word < bits.length && (bits[word] & (1L << index)) != 0;
    }

    /** Whether a client limited to symbols asked for {@code symbol}; true for all. */
    boolean allows(final String symbol)
    {
        return symbols == null || symbols.contains(symbol);
    }

    /** Instrument indexes it matches now, for a client limited to symbols; -1 for all. */
    int size()
    {
        return symbols == null ? -1 : size;
    }
}
