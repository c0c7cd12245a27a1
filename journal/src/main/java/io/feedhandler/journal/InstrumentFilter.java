package io.feedhandler.journal;

import io.feedhandler.codecs.Instrument;
import org.agrona.collections.IntHashSet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which instruments a reader of the journal wants ({@code --instrument SYM,...}), by symbol or by
 * id. A symbol matches the ticks published under it: the definition that applied to each tick, not
 * what the id means today. {@link #matches} allocates nothing (a replay server asks it per tick).
 */
public final class InstrumentFilter
{
    /** Longest symbol a definition can carry (the schema's Symbol type). */
    public static final int MAX_SYMBOL_LENGTH = 16;

    private final Set<String> symbols = new HashSet<>();
    private final IntHashSet ids = new IntHashSet();

    private InstrumentFilter()
    {
    }

    /**
     * @param wanted symbols or numeric ids.
     * @throws IllegalArgumentException naming a symbol the journal's history never had, or an empty list.
     */
    public static InstrumentFilter of(final List<String> wanted, final InstrumentHistory history)
    {
        final InstrumentFilter filter = parse(wanted);
        final List<String> unknown = filter.neverNamed(history);
        if (!unknown.isEmpty())
        {
            throw new IllegalArgumentException("bad --instrument '" + String.join(",", unknown) + "': no instrument of " +
                "this journal was ever called that");
        }
        return filter;
    }

    /**
     * Symbols and ids as given, whether or not anything was called that yet (a replay server serving a
     * subscriber whose symbol may be defined later).
     *
     * @throws IllegalArgumentException for an empty list, or a symbol no definition could carry.
     */
    public static InstrumentFilter parse(final List<String> wanted)
    {
        final InstrumentFilter filter = new InstrumentFilter();
        for (final String item : wanted)
        {
            final String token = item.trim();
            if (token.isEmpty())
            {
                continue;
            }
            if (token.chars().allMatch(Character::isDigit))
            {
                final long id = token.length() > 10 ? Long.MAX_VALUE : Long.parseLong(token);
                if (id < 1 || id > Integer.MAX_VALUE)
                {
                    throw new IllegalArgumentException("bad --instrument '" + token + "': instrument ids are 1.." +
                        Integer.MAX_VALUE);
                }
                filter.ids.add((int)id);
            }
            else if (token.length() > MAX_SYMBOL_LENGTH || !token.chars().allMatch(c -> c > ' ' && c <= '~'))
            {
                throw new IllegalArgumentException("bad --instrument '" + token + "': a symbol is 1.." +
                    MAX_SYMBOL_LENGTH + " printable ASCII characters");
            }
            else
            {
                filter.symbols.add(token);
            }
        }
        if (filter.symbols.isEmpty() && filter.ids.isEmpty())
        {
            throw new IllegalArgumentException("bad --instrument '" + String.join(",", wanted) + "': no instrument named");
        }
        return filter;
    }

    /** The symbols asked for that no definition in {@code history} ever gave to an instrument, in no order. */
    public List<String> neverNamed(final InstrumentHistory history)
    {
        final List<String> unknown = new ArrayList<>();
        for (final String symbol : symbols)
        {
            if (!history.everNamed(symbol))
            {
                unknown.add(symbol);
            }
        }
        unknown.sort(String::compareTo);
        return unknown;
    }

    /** Whether a tick of {@code instrumentId}, published under {@code definition} (null if none), is wanted. */
    public boolean matches(final Instrument definition, final int instrumentId)
    {
        return ids.contains(instrumentId) || (definition != null && symbols.contains(definition.symbol()));
    }

    /** Whether a symbol (not an id) was asked for. */
    public boolean namesSymbol(final String symbol)
    {
        return symbols.contains(symbol);
    }

    /** The symbols asked for. */
    public Set<String> symbols()
    {
        return Set.copyOf(symbols);
    }

    /** The list as it goes in a filtered request: symbols, then ids, separated by commas. */
    public String describe()
    {
        final StringBuilder text = new StringBuilder();
        symbols.stream().sorted().forEach(symbol -> text.append(text.length() == 0 ? "" : ",").append(symbol));
        final IntHashSet.IntIterator it = ids.iterator();
        while (it.hasNext())
        {
            text.append(text.length() == 0 ? "" : ",").append(it.nextValue());
        }
        return text.toString();
    }
}
