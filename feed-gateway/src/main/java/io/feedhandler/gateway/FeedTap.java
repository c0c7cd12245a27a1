package io.feedhandler.gateway;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.Quote;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.ForwardingStatusListener;
import io.feedhandler.subscriber.QuoteListener;

import java.util.function.LongSupplier;

/**
 * Where the feed enters the gateway, on the subscriber's thread: every quote, in sequence order and
 * exactly once (the subscriber's promise), is serialized once into the {@link EventLog}, becomes its
 * instrument's latest in the {@link GatewayBook}, and the event loops are woken to fan it out. Status
 * goes on to the logging listener; instrument definitions name the instruments.
 */
final class FeedTap extends ForwardingStatusListener implements QuoteListener
{
    private final EventLog log;
    private final GatewayBook book;
    private final Instruments instruments;
    private final Runnable wake;
    private volatile LongSupplier feedEpoch;
    private volatile String streamEpoch;
    private boolean serving;
    private long firstQuoteNanos;
    private long beforeDefinitions;

    FeedTap(final EventLog log, final GatewayBook book, final Instruments instruments,
        final FeedStatusListener status, final Runnable wake)
    {
        super(status);
        this.log = log;
        this.book = book;
        this.instruments = instruments;
        this.wake = wake;
    }

    public void onQuote(final Quote quote)
    {
        if (!serving && !startServing())
        {
            beforeDefinitions++;
            return;
        }
        if (streamEpoch == null && feedEpoch != null)
        {
            streamEpoch = currentEpoch(); // once (and after each reset), on this thread, whose the subscriber's counters are
        }
        final int index = instruments.indexOf(quote.instrumentId());
        final int offset = log.append(quote, index, instruments.symbolBytes(index, quote.instrumentId()));
        book.update(index, log, offset, quote.sequence());
        wake.run();
    }

    /**
     * The history starts with the first quote after the instruments are named (a subscriber that joins
     * live hears the definitions within the publisher's 5 s repeat; with the journal on this host they
     * are read from it at start), so no client ever gets a quote without its symbol; a feed that never
     * names its instruments is served with "#id" symbols after {@link GatewayConfiguration#DEFINITIONS_WAIT_NANOS}.
     * Quotes before are not lost to clients: a resume from before the history reads the journal.
     */
    private boolean startServing()
    {
        final long now = System.nanoTime();
        if (firstQuoteNanos == 0)
        {
            firstQuoteNanos = now;
        }
        serving = instruments.anyDefined() || now - firstQuoteNanos > GatewayConfiguration.DEFINITIONS_WAIT_NANOS;
        return serving;
    }

    /** Where the feed's epoch is read (the subscriber's stats, on the subscriber's thread), once it runs. */
    void feedEpoch(final LongSupplier feedEpoch)
    {
        this.feedEpoch = feedEpoch;
    }

    /**
     * What a client names to say which stream its sequences count in ({@code ?epoch=}): the feed's
     * epoch (its journal's history: the same at every gateway and across restarts) and how many times
     * this gateway saw the stream reset within it. Null until the first quote is served.
     */
    String streamEpoch()
    {
        return streamEpoch;
    }

    private String currentEpoch()
    {
        return String.format("%016x-%d", feedEpoch.getAsLong(), log.generation());
    }

    /** Quotes delivered before the instruments were named, not in the history. */
    long beforeDefinitions()
    {
        return beforeDefinitions;
    }

    public void onInstrument(final Instrument instrument)
    {
        instruments.define(instrument);
        delegate.onInstrument(instrument);
    }

    /**
     * The publisher's journal was reset (or this is another stream): sequences start again lower, so
     * the history no longer means anything; clients are told (an event {@code reset}) and restart.
     */
    public void onStreamReset(final long lastDelivered, final long publisherLastSequence)
    {
        log.reset();
        streamEpoch = feedEpoch == null ? null : currentEpoch();
        delegate.onStreamReset(lastDelivered, publisherLastSequence);
        wake.run();
    }

    /** How many times the stream was reset: a client that saw another number restarts. */
    int streamResets()
    {
        return log.generation();
    }
}
