package io.feedhandler.subscriber;

import io.feedhandler.codecs.Instrument;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The instrument definitions a subscriber has heard, applied in sequence order: a definition says
 * from which sequence it applies, and live (which runs ahead of a recovery) may bring one before the
 * ticks it applies to are delivered. So a definition waits until delivery reaches its sequence;
 * only then is it the one {@link #get} returns and the status listener hears of, and every tick is
 * delivered under the definition it was published with. Bounded like the top of book, so a flood of
 * bogus ids or definitions cannot grow the heap; a definition allocates only when it is new or
 * changed, never per tick.
 */
final class InstrumentDefinitions
{
    private final Int2ObjectHashMap<Instrument> current = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<Long> currentFrom = new Int2ObjectHashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private final int capacity;
    private final FeedStatusListener statusListener;
    /** A filtered subscriber's instruments, told of each definition as it comes into force; null when unfiltered. */
    private InstrumentSelection selection;
    /** The lowest sequence a pending definition applies from; {@link Long#MAX_VALUE} when none waits. */
    private long nextPending = Long.MAX_VALUE;

    private record Pending(long fromSequence, Instrument instrument)
    {
    }

    InstrumentDefinitions(final int capacity, final FeedStatusListener statusListener)
    {
        this.capacity = capacity;
        this.statusListener = statusListener;
    }

    /** Tell {@code selection} of every definition as it comes into force; set before the first. */
    void selection(final InstrumentSelection selection)
    {
        this.selection = selection;
    }

    /**
     * A definition heard on either path.
     *
     * @param fromSequence the sequence it applies from; 0 when the publisher did not say (version 1).
     * @param delivered    the last sequence delivered so far.
     */
    void onDefinition(
        final int instrumentId, final int priceExponent, final CharSequence symbol, final long fromSequence,
        final long delivered)
    {
        final Instrument known = current.get(instrumentId);
        final Long knownFrom = currentFrom.get(instrumentId);
        if (known != null && knownFrom != null && knownFrom == fromSequence &&
            known.priceExponent() == priceExponent && known.symbol().contentEquals(symbol))
        {
            return; // the repeat every few seconds of what applies now
        }
        if (fromSequence == 0 || fromSequence <= delivered + 1)
        {
            if (known != null && knownFrom != null && fromSequence < knownFrom)
            {
                return; // older than what applies now: it was superseded
            }
            apply(instrumentId, priceExponent, symbol, fromSequence, known);
            return;
        }
        for (final Pending waiting : pending)
        {
            if (waiting.fromSequence() == fromSequence && waiting.instrument().id() == instrumentId)
            {
                return; // already waiting
            }
        }
        if (pending.size() >= capacity)
        {
            return;
        }
        pending.add(new Pending(fromSequence, new Instrument(instrumentId, symbol.toString(), priceExponent)));
        nextPending = Math.min(nextPending, fromSequence);
    }

    /** Delivery is about to reach {@code sequence}: whatever applies from it (or before) now applies. */
    void reach(final long sequence)
    {
        if (sequence < nextPending)
        {
            return;
        }
        pending.sort((a, b) -> Long.compare(a.fromSequence(), b.fromSequence()));
        long next = Long.MAX_VALUE;
        for (int i = 0; i < pending.size(); )
        {
            final Pending waiting = pending.get(i);
            if (waiting.fromSequence() <= sequence)
            {
                final Instrument instrument = waiting.instrument();
                apply(instrument.id(), instrument.priceExponent(), instrument.symbol(), waiting.fromSequence(),
                    current.get(instrument.id()));
                pending.remove(i);
            }
            else
            {
                next = Math.min(next, waiting.fromSequence());
                i++;
            }
        }
        nextPending = next;
    }

    private void apply(
        final int instrumentId, final int priceExponent, final CharSequence symbol, final long fromSequence,
        final Instrument known)
    {
        if (known == null && current.size() >= capacity)
        {
            statusListener.onDefinitionsOverflow(instrumentId, capacity);
            return;
        }
        final Instrument instrument = known != null && known.priceExponent() == priceExponent &&
            known.symbol().contentEquals(symbol) ? known : new Instrument(instrumentId, symbol.toString(), priceExponent);
        current.put(instrumentId, instrument);
        currentFrom.put(instrumentId, Long.valueOf(fromSequence));
        if (selection != null)
        {
            selection.onDefinition(instrument);
        }
        if (instrument != known)
        {
            statusListener.onInstrument(instrument, fromSequence);
        }
    }

    /** The definition that applies now (as far as delivery has got), or null when none has arrived. */
    Instrument get(final int instrumentId)
    {
        return current.get(instrumentId);
    }

    int size()
    {
        return current.size();
    }
}
