package io.feedhandler.journal;

import io.feedhandler.codecs.Instrument;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which instruments a reader of the journal wants ({@code --instrument SYM,...}), by symbol or by
 * id. A symbol matches the ticks published under it: the definition that applied to each tick, not
 * what the id means today.
 */
public final class InstrumentFilter
{
    private final Set<String> symbols = new HashSet<>();
    private final Set<Integer> ids = new HashSet<>();

    private InstrumentFilter()
    {
    }

    /**
     * @param wanted symbols or numeric ids.
     * @throws IllegalArgumentException naming a symbol the journal's history never had, or an empty list.
     */
    public static InstrumentFilter of(final List<String> wanted, final InstrumentHistory history)
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
                filter.ids.add(Integer.parseInt(token));
            }
            else if (history.everNamed(token))
            {
                filter.symbols.add(token);
            }
            else
            {
                throw new IllegalArgumentException("bad --instrument '" + token + "': no instrument of this journal " +
                    "was ever called that");
            }
        }
        if (filter.symbols.isEmpty() && filter.ids.isEmpty())
        {
            throw new IllegalArgumentException("bad --instrument '" + String.join(",", wanted) + "': no instrument named");
        }
        return filter;
    }

    /** Whether a tick of {@code instrumentId}, published under {@code definition} (null if none), is wanted. */
    public boolean matches(final Instrument definition, final int instrumentId)
    {
        return ids.contains(instrumentId) || (definition != null && symbols.contains(definition.symbol()));
    }
}
