package io.feedhandler.subscriber;

import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.journal.SubscriberOffset;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Where a tick goes once it is the next in sequence, whichever path brought it: the instrument
 * definitions that apply from it, the sequence tracker, the digest, the top of book, the listener,
 * the durable offset, and the latency record. Every sequence comes here exactly once; nothing here
 * allocates. A filtered subscriber's tick of an instrument it did not ask for stops here, after the
 * definitions and the tracker: counted {@code filtered}, stored as the durable offset, nothing else.
 */
final class Delivery
{
    private final SequenceTracker tracker;
    private final TopOfBook book;
    private final QuoteListener listener;
    private final SubscriberOffset offset;
    private final EpochNanoClock epochClock;
    private final SubscriberMetrics metrics;
    private final InstrumentDefinitions definitions;
    private final long count;
    private final QuoteDigest digest = new QuoteDigest();
    private final DigestCheckpoint checkpoint = new DigestCheckpoint(SubscriberConfiguration.DIGEST_CHECKPOINT_INTERVAL);
    private final DeliveryLatency latency;
    /** A filtered subscriber's instruments; null to deliver every instrument. */
    private final InstrumentSelection selection;
    private long epochNowNanos;

    /**
     * @param offset a durable subscriber's stored offset; null for an anonymous one.
     * @param selection a filtered subscriber's instruments; null to deliver every instrument.
     * @param count  ticks the run delivers before it ends; 0 for no limit.
     * @param warmupNanos how long after the first live tick its latency is left out of the steady-state figures.
     */
    Delivery(
        final SequenceTracker tracker,
        final TopOfBook book,
        final QuoteListener listener,
        final SubscriberOffset offset,
        final EpochNanoClock epochClock,
        final SubscriberMetrics metrics,
        final InstrumentDefinitions definitions,
        final InstrumentSelection selection,
        final long count,
        final long warmupNanos)
    {
        this.selection = selection;
        this.tracker = tracker;
        this.book = book;
        this.listener = listener;
        this.offset = offset;
        this.epochClock = epochClock;
        this.metrics = metrics;
        this.definitions = definitions;
        this.count = count;
        this.latency = new DeliveryLatency(warmupNanos);
    }

    /**
     * Whether the run's count is delivered: the rest of a batch (and whatever comes after it in the
     * same duty cycle) is not, so a run of {@code --count N} delivers, and a durable subscriber
     * stores, exactly N ticks even when they arrive thousands to a message.
     */
    boolean countReached()
    {
        return count > 0 && metrics.delivered >= count;
    }

    /** Also record each live latency into {@code log}'s intervals. */
    void latencyLog(final LatencyLog log)
    {
        latency.latencyLog(log);
    }

    /**
     * Read the wall clock for the latency of the ticks delivered next: once per batch (or per merge
     * of buffered live ticks), not per tick.
     */
    void readClock()
    {
        epochNowNanos = epochClock.nanoTime();
    }

    /** The wall clock as last read (once per batch), epoch nanoseconds. */
    long epochNow()
    {
        return epochNowNanos;
    }

    /** Deliver {@code quote}, the next sequence; {@code recovered} when it came through the pull path. */
    void deliver(final Quote quote, final boolean recovered)
    {
        final long sequence = quote.sequence();
        definitions.reach(sequence); // a definition that applies from here applies before the listener hears of it
        if (sequence >= tracker.expected())
        {
            tracker.delivered(sequence); // conflated quotes come after the tracker has moved past them
        }
        if (selection != null && !selection.wants(quote.instrumentId()))
        {
            metrics.filtered(sequence);
            if (offset != null)
            {
                offset.store(sequence);
            }
            return;
        }
        metrics.delivered(sequence, recovered);
        digest.update(quote);
        checkpoint.delivered(sequence, digest.value());
        book.update(quote);
        listener.onQuote(quote);
        if (offset != null)
        {
            offset.store(sequence);
        }
        latency.record(quote.sendTimestamp(), epochNowNanos, recovered);
    }

    /**
     * A filtered pull's marker: nothing of ours up to {@code sequence}, so the stream stands after it (the
     * definitions that came into force in between apply; a durable subscriber restarts after it).
     */
    void passOver(final long sequence)
    {
        definitions.reach(sequence);
        metrics.filtered += sequence - tracker.expected() + 1;
        tracker.expect(sequence + 1);
        metrics.passedOver(sequence);
        if (offset != null)
        {
            offset.store(sequence);
        }
    }

    /**
     * A quote of a snapshot: it sets its instrument's top of book and goes to the listener as a snapshot
     * quote. It is not a tick of the stream: not sequenced, digested, stored as the offset or timed.
     */
    void deliverSnapshot(final Quote quote)
    {
        if (selection != null && !selection.wants(quote.instrumentId()))
        {
            return; // the snapshot holds every instrument; a filtered subscriber's listener hears of its own
        }
        book.update(quote);
        listener.onSnapshotQuote(quote);
    }

    /** A snapshot as of {@code sequence} was delivered whole: a durable subscriber restarts after it. */
    void snapshotTaken(final long sequence)
    {
        if (offset != null && sequence > 0)
        {
            offset.store(sequence);
        }
    }

    /** A filtered subscriber's instruments; null when it takes every instrument. */
    InstrumentSelection selection()
    {
        return selection;
    }

    InstrumentDefinitions definitions()
    {
        return definitions;
    }

    TopOfBook book()
    {
        return book;
    }

    long digest()
    {
        return digest.value();
    }

    /** The digest as of a recent sequence, for the status line; safe from any thread. */
    String checkpointText()
    {
        return checkpoint.text();
    }

    /** Latency of live ticks (due time at the publisher to delivery here) and age of recovered ones. */
    DeliveryLatency latency()
    {
        return latency;
    }
}
