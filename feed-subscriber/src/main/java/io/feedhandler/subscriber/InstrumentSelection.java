package io.feedhandler.subscriber;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.journal.InstrumentFilter;
import org.agrona.collections.Int2IntHashMap;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A filtered subscriber's instruments ({@code --instrument SYM,...}) as instrument ids. Live carries
 * ids; symbols come with definitions, which apply from a sequence on. Each definition that comes into
 * force (in delivery order, through {@link InstrumentDefinitions}) decides its id, so a tick is judged
 * under the definition it was published with, the same rule as {@code feed replay --instrument} and
 * the replay server's filtered sessions. An id with no definition is wanted only when it was asked
 * for by number; but until the subscriber has heard every definition in force (from a pull's opening
 * definitions, which every replay and journal read sends), such an id is not judged: the subscriber
 * asks the journal instead ({@link #isPlaced}). Lookups allocate nothing.
 */
final class InstrumentSelection
{
    private static final int WANTED = 1;
    private static final int NOT_WANTED = 0;
    private static final int UNDECIDED = -1;

    private final InstrumentFilter filter;
    private final Int2IntHashMap decided = new Int2IntHashMap(UNDECIDED);
    private final Set<String> named = new HashSet<>();
    private boolean complete;

    InstrumentSelection(final InstrumentFilter filter)
    {
        this.filter = filter;
    }

    InstrumentFilter filter()
    {
        return filter;
    }

    /** A definition now applies (delivery has reached its sequence): its id is decided by it. */
    void onDefinition(final Instrument instrument)
    {
        decided.put(instrument.id(), filter.matches(instrument, instrument.id()) ? WANTED : NOT_WANTED);
        if (filter.namesSymbol(instrument.symbol()))
        {
            named.add(instrument.symbol());
        }
    }

    /** Every definition in force has been heard (a pull sent them before its first tick or marker). */
    void definitionsComplete()
    {
        complete = true;
    }

    boolean isComplete()
    {
        return complete;
    }

    /** Whether a tick of {@code instrumentId} can be judged now: its definition is known, or none exists. */
    boolean isPlaced(final int instrumentId)
    {
        return complete || decided.get(instrumentId) != UNDECIDED || filter.matches(null, instrumentId);
    }

    /** Whether a tick of {@code instrumentId} is one of ours, under the definition in force. */
    boolean wants(final int instrumentId)
    {
        final int decision = decided.get(instrumentId);
        return decision == UNDECIDED ? filter.matches(null, instrumentId) : decision == WANTED;
    }

    /** The symbols asked for that no definition heard so far gave to an instrument, sorted. */
    List<String> notYetDefined()
    {
        final Set<String> missing = new TreeSet<>(filter.symbols());
        missing.removeAll(named);
        return List.copyOf(missing);
    }
}
