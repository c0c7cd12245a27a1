package io.feedhandler.subscriber;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.sbe.FeedState;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;

/**
 * The subscriber's duty cycle: poll the live stream, decode, check the sequence, update the top of
 * book, record latency and hand the quote to the listener, each sequence once and in order.
 * Duplicates are dropped and counted; a gap (a sequence ahead of the one expected, or a heartbeat
 * showing a tail we never got) is counted and reported to the status listener. Malformed messages
 * are counted and dropped. Allocates nothing in steady state.
 */
public final class SubscriberAgent implements Agent, FeedHandler
{
    /** Latencies above this are recorded as this value (and still counted). */
    public static final long MAX_RECORDED_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final SubscriberContext context;
    private final Subscription subscription;
    private final QuoteListener listener;
    private final FeedStatusListener statusListener;
    private final NanoClock nanoClock;
    private final EpochNanoClock epochClock;
    private final FeedDecoder decoder = new FeedDecoder(this);
    private final FragmentHandler fragmentHandler = new FragmentAssembler(this::onFragment);
    private final SequenceTracker tracker = new SequenceTracker();
    private final TopOfBook book;
    private final QuoteDigest digest = new QuoteDigest();
    private final Histogram latency = new Histogram(MAX_RECORDED_LATENCY_NANOS, 3);
    private final Int2ObjectHashMap<Instrument> instruments = new Int2ObjectHashMap<>();
    private final long[] malformedByReason = new long[MalformedReason.values().length];

    private volatile boolean stopRequested;
    private volatile boolean done;
    private long startNanos;
    private long endNanos;

    private long delivered;
    private long firstSeq;
    private long lastSeq;
    private long gapsDetected;
    private long gapTicks;
    private long duplicatesDropped;
    private long malformed;
    private long heartbeats;
    private long publisherLastSeq;
    private boolean publisherEnded;

    public SubscriberAgent(
        final SubscriberContext context,
        final Subscription subscription,
        final QuoteListener listener,
        final FeedStatusListener statusListener,
        final NanoClock nanoClock,
        final EpochNanoClock epochClock)
    {
        this.context = context;
        this.subscription = subscription;
        this.listener = listener;
        this.statusListener = statusListener;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.book = new TopOfBook(context.maxInstruments());
    }

    public String roleName()
    {
        return "feed-subscriber";
    }

    public void onStart()
    {
        startNanos = nanoClock.nanoTime();
    }

    public int doWork()
    {
        if (done)
        {
            throw new AgentTerminationException();
        }
        final int work = subscription.poll(fragmentHandler, context.fragmentLimit());
        if (stopRequested || (context.count() > 0 && delivered >= context.count()) ||
            (context.durationNanos() > 0 && nanoClock.nanoTime() - startNanos >= context.durationNanos()))
        {
            endNanos = nanoClock.nanoTime();
            done = true;
        }
        return work;
    }

    public void requestStop()
    {
        stopRequested = true;
    }

    public boolean isDone()
    {
        return done;
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        decoder.decode(buffer, offset, length);
    }

    public void onQuote(final Quote quote)
    {
        if (context.count() > 0 && delivered >= context.count())
        {
            return; // the rest of this poll's batch is beyond what was asked for
        }
        final long sequence = quote.sequence();
        switch (tracker.classify(sequence))
        {
            case FIRST:
                firstSeq = sequence;
                break;
            case NEXT:
                break;
            case DUPLICATE:
                duplicatesDropped++;
                return;
            case GAP:
                onGap(tracker.gapFrom(), tracker.gapTo());
                break;
        }
        deliver(quote);
    }

    private void deliver(final Quote quote)
    {
        final long sequence = quote.sequence();
        tracker.delivered(sequence);
        lastSeq = sequence;
        delivered++;
        digest.update(quote);
        book.update(quote);
        listener.onQuote(quote);
        final long latencyNanos = epochClock.nanoTime() - quote.sendTimestamp();
        latency.recordValue(Math.max(0, Math.min(latencyNanos, MAX_RECORDED_LATENCY_NANOS)));
    }

    private void onGap(final long from, final long to)
    {
        gapsDetected++;
        gapTicks += to - from + 1;
        statusListener.onGap(from, to);
    }

    public void onHeartbeat(final long lastSequence, final long sendTimestamp, final FeedState state)
    {
        heartbeats++;
        publisherLastSeq = Math.max(publisherLastSeq, lastSequence);
        if (!tracker.started())
        {
            // Joining a quiet feed: live starts after the publisher's last sequence.
            tracker.expect(lastSequence + 1);
        }
        else if (lastSequence >= tracker.expected())
        {
            // The tail went missing: nothing more will arrive to show the gap, so the heartbeat does.
            onGap(tracker.expected(), lastSequence);
            tracker.expect(lastSequence + 1);
        }
        if (state == FeedState.ENDED && !publisherEnded)
        {
            publisherEnded = true;
            statusListener.onPublisherEnded(lastSequence);
        }
        else if (state == FeedState.LIVE)
        {
            publisherEnded = false;
        }
    }

    public void onInstrument(final int instrumentId, final int priceExponent, final CharSequence symbol)
    {
        final Instrument known = instruments.get(instrumentId);
        if (known == null || known.priceExponent() != priceExponent || !known.symbol().contentEquals(symbol))
        {
            final Instrument instrument = new Instrument(instrumentId, symbol.toString(), priceExponent);
            instruments.put(instrumentId, instrument);
            statusListener.onInstrument(instrument);
        }
    }

    public void onMalformed(final MalformedReason reason)
    {
        malformed++;
        malformedByReason[reason.ordinal()]++;
    }

    /** The symbol of an instrument, or null when its definition has not arrived. */
    public Instrument instrument(final int instrumentId)
    {
        return instruments.get(instrumentId);
    }

    public TopOfBook book()
    {
        return book;
    }

    /** A snapshot for the summary; exact once the agent has stopped. */
    public SubscriberStats stats()
    {
        final long end = done ? endNanos : nanoClock.nanoTime();
        return new SubscriberStats(
            context.name(), delivered, firstSeq, lastSeq, gapsDetected, gapTicks, 0, duplicatesDropped, malformed,
            malformedByReason.clone(), heartbeats, publisherLastSeq, publisherEnded, instruments.size(), digest.value(),
            latency.copy(), Math.max(0, end - startNanos));
    }
}
