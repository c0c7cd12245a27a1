package io.feedhandler.subscriber;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.journal.SubscriberOffset;
import io.feedhandler.sbe.FeedState;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;

/**
 * The subscriber's duty cycle. Live ticks are polled, decoded and checked against the next
 * sequence expected; in order, they go to the top of book, the digest, the latency histogram and
 * the listener, each sequence once.
 * <p>
 * When a gap shows (a sequence ahead of the one expected, a heartbeat past what we have, a start
 * from a stored offset or {@code --from-seq}), the subscriber goes {@link State#RECOVERING}: it pulls
 * from the journal, open-ended, starting at the first missing sequence, and delivers what comes in
 * order, while the live ticks that keep arriving wait in a bounded {@link LiveBuffer}. When the pull
 * reaches the first buffered live tick, the buffer is delivered and the subscriber is
 * {@link State#LIVE} again: no gap, no duplicate (the idea of Aeron Archive's replay-merge, keyed on
 * our sequences). Everything happens on this one thread, so delivery order needs no locks.
 * <p>
 * Live that falls silent for {@code staleTimeout} after it has spoken is rejoined: a receiver that
 * fell too far behind (a paused process) may hold an image that will never fill again.
 */
public final class SubscriberAgent implements Agent, FeedHandler, RecoverySource.RecoveryHandler
{
    /** Latencies above this are recorded as this value (and still counted). */
    public static final long MAX_RECORDED_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long RECOVERY_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int RECOVERY_POLL_LIMIT = 1024;

    /** Where the subscriber's stream stands. */
    public enum State
    {
        /** Delivering from live. */
        LIVE,
        /** Delivering from the journal, live buffered, until the two meet. */
        RECOVERING
    }

    private final SubscriberContext context;
    private final Aeron aeron;
    private final RecoverySource recovery;
    private final SubscriberOffset offset;
    private final QuoteListener listener;
    private final FeedStatusListener statusListener;
    private final NanoClock nanoClock;
    private final EpochNanoClock epochClock;
    private final FeedDecoder decoder = new FeedDecoder(this);
    private final FragmentHandler fragmentHandler = new FragmentAssembler(this::onFragment);
    private final SequenceTracker tracker = new SequenceTracker();
    private final LiveBuffer buffer;
    private final MutableQuote buffered = new MutableQuote();
    private final TopOfBook book;
    private final QuoteDigest digest = new QuoteDigest();
    private final Histogram latency = new Histogram(MAX_RECORDED_LATENCY_NANOS, 3);
    private final Int2ObjectHashMap<Instrument> instruments = new Int2ObjectHashMap<>();
    private final long[] malformedByReason = new long[MalformedReason.values().length];

    private Subscription subscription;
    private volatile boolean stopRequested;
    private volatile boolean done;
    private volatile State state = State.LIVE;
    private long nowNanos;
    private long startNanos;
    private long endNanos;
    private long lastLiveNanos;
    private boolean liveHeard;
    private boolean liveSilent;
    private boolean rejoinFailureReported;
    private boolean silenceRecovery;
    private long silenceGapStart;
    private long recoveredBeforeSilenceGap;
    private boolean recoveryRequested;
    private boolean pullRefused;
    private long lastRecoveryAttemptNanos;
    private long lastRecoveryProgressNanos;
    private long recoveryBeganNanos;
    private long recoveringSinceNanos;
    private long recoveryNanos;
    private boolean unreachableReported;
    private long knownTail;

    private long delivered;
    private long firstSeq;
    private long lastSeq;
    private long gapsDetected;
    private long gapTicks;
    private long recovered;
    private long recoveries;
    private long replaySessions;
    private long replayErrors;
    private long lost;
    private long duplicatesDropped;
    private long malformed;
    private long heartbeats;
    private long liveRejoins;
    private long streamResets;
    private long staleEvents;
    private long publisherLastSeq;
    private boolean publisherEnded;
    private long lastHeardNanos;
    private FeedCounters liveCounters;
    private LatencyLog latencyLog;

    /**
     * @param aeron    the client for the live stream; null when the caller feeds messages itself (tests).
     * @param recovery where gaps are pulled from; null to only count them.
     * @param offset   a durable subscriber's stored offset; null for an anonymous one.
     */
    public SubscriberAgent(
        final SubscriberContext context,
        final Aeron aeron,
        final RecoverySource recovery,
        final SubscriberOffset offset,
        final QuoteListener listener,
        final FeedStatusListener statusListener,
        final NanoClock nanoClock,
        final EpochNanoClock epochClock)
    {
        this.context = context;
        this.aeron = aeron;
        this.recovery = context.recovery() ? recovery : null;
        this.offset = offset;
        this.listener = listener;
        this.statusListener = statusListener;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.book = new TopOfBook(context.maxInstruments());
        this.buffer = new LiveBuffer(context.recoveryBufferCapacity());

        // Subscribed here, on the caller's thread, so a channel the driver refuses (an interface this
        // host does not have, a port out of range) is an error at launch, not a failed agent later.
        this.subscription = aeron != null ? aeron.addSubscription(context.channel(), context.streamId()) : null;
        final long start = context.fromSequence() > 0 ? context.fromSequence() :
            offset != null && offset.lastDelivered() > 0 ? offset.lastDelivered() + 1 : 0;
        if (start > 0)
        {
            tracker.expect(start);
            firstSeq = 0;
            beginRecovery();
        }
    }

    public String roleName()
    {
        return "feed-subscriber";
    }

    /** Also record each latency into {@code log}'s intervals; set before the agent starts. */
    public SubscriberAgent latencyLog(final LatencyLog log)
    {
        this.latencyLog = log;
        return this;
    }

    /** Show this agent's counters live in the driver's CnC file; set before the agent starts. */
    public SubscriberAgent liveCounters(final FeedCounters liveCounters)
    {
        this.liveCounters = liveCounters;
        return this;
    }

    public void onStart()
    {
        startNanos = nanoClock.nanoTime();
        lastLiveNanos = startNanos;
        if (state == State.RECOVERING)
        {
            recoveringSinceNanos = startNanos; // began recovering at construction, before the clock ran
        }
    }

    public int doWork()
    {
        if (done)
        {
            throw new AgentTerminationException();
        }
        nowNanos = nanoClock.nanoTime();
        int work = subscription != null ? subscription.poll(fragmentHandler, context.fragmentLimit()) : 0;
        if (state == State.RECOVERING && recovery != null)
        {
            work += recover();
        }
        if (liveHeard && nowNanos - lastLiveNanos > context.staleTimeoutNanos() && aeron != null)
        {
            rejoinLive();
            if (state == State.LIVE && recovery != null && tracker.started())
            {
                // Silence may hide a tail we never got (the image stalled before the end mark reached
                // us): pull whatever the journal has past what we delivered. If it has nothing, the pull
                // idles until live speaks again.
                buffer.clear();
                beginRecovery();
                silenceRecovery = true;
            }
            work++;
        }
        if (liveCounters != null && liveCounters.due(nowNanos))
        {
            updateLiveCounters();
        }
        if (stopRequested || (context.count() > 0 && delivered >= context.count()) ||
            (context.durationNanos() > 0 && nowNanos - startNanos >= context.durationNanos()))
        {
            endNanos = nowNanos;
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

    public State state()
    {
        return state;
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        onLiveMessage(buffer, offset, length);
    }

    /** One message from the live stream, whatever its bytes (the fuzz tests call this directly). */
    void onLiveMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        lastLiveNanos = nowNanos;
        lastHeardNanos = nowNanos;
        liveHeard = true;
        liveSilent = false;
        rejoinFailureReported = false;
        decoder.decode(buffer, offset, length);
    }

    /** A live quote. */
    public void onQuote(final Quote quote)
    {
        final long sequence = quote.sequence();
        knownTail = Math.max(knownTail, sequence);
        if (state == State.RECOVERING)
        {
            if (sequence < tracker.expected())
            {
                // The pull has overtaken live: live has nothing we lack, so go back to it.
                duplicatesDropped++;
                buffer.clear();
                endRecovery();
            }
            else if (sequence == tracker.expected() && buffer.isEmpty())
            {
                deliver(quote, false); // the pull has caught up with live
                endRecovery();
            }
            else
            {
                buffer.add(quote);
            }
            return;
        }

        switch (tracker.classify(sequence))
        {
            case FIRST:
            case NEXT:
                deliver(quote, false);
                break;
            case DUPLICATE:
                duplicatesDropped++;
                break;
            case GAP:
                onGap(tracker.gapFrom(), tracker.gapTo());
                if (recovery != null)
                {
                    buffer.clear();
                    buffer.add(quote);
                    beginRecovery();
                }
                else
                {
                    deliver(quote, false);
                }
                break;
        }
    }

    public void onHeartbeat(final long lastSequence, final long sendTimestamp, final FeedState feedState)
    {
        heartbeats++;
        publisherLastSeq = Math.max(publisherLastSeq, lastSequence);
        knownTail = Math.max(knownTail, lastSequence);
        if (!tracker.started())
        {
            // Joining a quiet feed: live starts after the publisher's last sequence.
            tracker.expect(lastSequence + 1);
        }
        else if (lastSequence < tracker.expected() - 1)
        {
            // The publisher is behind what we delivered: its journal was reset, or it is another
            // stream. Nothing it sends would ever be "next"; say so loudly and follow it from here.
            streamResets++;
            statusListener.onStreamReset(tracker.expected() - 1, lastSequence);
            buffer.clear();
            if (state == State.RECOVERING)
            {
                endRecovery();
            }
            tracker.expect(lastSequence + 1);
        }
        else if (state == State.LIVE && lastSequence >= tracker.expected())
        {
            // The tail went missing: nothing more will arrive to show the gap, so the heartbeat does.
            onGap(tracker.expected(), lastSequence);
            if (recovery != null)
            {
                buffer.clear();
                beginRecovery();
            }
            else
            {
                tracker.expect(lastSequence + 1);
            }
        }
        else if (state == State.RECOVERING && buffer.isEmpty() && lastSequence == tracker.expected() - 1)
        {
            endRecovery(); // caught up with a quiet feed
        }

        if (feedState == FeedState.ENDED && !publisherEnded)
        {
            publisherEnded = true;
            statusListener.onPublisherEnded(lastSequence);
        }
        else if (feedState == FeedState.LIVE)
        {
            publisherEnded = false;
        }
    }

    public void onInstrument(final int instrumentId, final int priceExponent, final CharSequence symbol)
    {
        final Instrument known = instruments.get(instrumentId);
        if (known == null && instruments.size() >= context.maxInstruments())
        {
            return; // bounded like the book: a flood of bogus ids cannot grow the heap
        }
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

    private void onGap(final long from, final long to)
    {
        gapsDetected++;
        gapTicks += to - from + 1;
        statusListener.onGap(from, to);
    }

    private void deliver(final Quote quote, final boolean fromJournal)
    {
        final long sequence = quote.sequence();
        if (firstSeq == 0)
        {
            firstSeq = sequence;
        }
        tracker.delivered(sequence);
        lastSeq = sequence;
        delivered++;
        if (fromJournal)
        {
            recovered++;
        }
        digest.update(quote);
        book.update(quote);
        listener.onQuote(quote);
        if (offset != null)
        {
            offset.store(sequence);
        }
        final long latencyNanos = Math.max(0, Math.min(epochClock.nanoTime() - quote.sendTimestamp(),
            MAX_RECORDED_LATENCY_NANOS));
        latency.recordValue(latencyNanos);
        if (latencyLog != null)
        {
            latencyLog.record(latencyNanos);
        }
    }

    // ---- recovery -------------------------------------------------------------------------------

    private void beginRecovery()
    {
        if (recovery == null)
        {
            return;
        }
        if (state != State.RECOVERING)
        {
            recoveringSinceNanos = nowNanos;
        }
        state = State.RECOVERING;
        recoveryRequested = false;
        lastRecoveryAttemptNanos = nowNanos - RECOVERY_RETRY_NANOS;
        recoveryBeganNanos = nowNanos;
        unreachableReported = false;
        statusListener.onRecoveryStarted(tracker.expected());
    }

    private int recover()
    {
        int work = 0;
        if (!recoveryRequested)
        {
            if (nowNanos - lastRecoveryAttemptNanos < RECOVERY_RETRY_NANOS)
            {
                return 0;
            }
            lastRecoveryAttemptNanos = nowNanos;
            pullRefused = false;
            if (!recovery.start(tracker.expected()))
            {
                if (!unreachableReported && nowNanos - recoveryBeganNanos > context.recoveryTimeoutNanos())
                {
                    // Keep trying (the server may be restarting), but say once why nothing is coming.
                    unreachableReported = true;
                    statusListener.onRecoveryProblem("cannot reach " + recovery.describe() + " to recover from sequence " +
                        tracker.expected() + "; still trying");
                }
                return 0;
            }
            recoveryRequested = !pullRefused; // a source on this host may refuse at once, inside start
            lastRecoveryProgressNanos = nowNanos;
            replaySessions++;
            work++;
        }
        work += recovery.poll(RECOVERY_POLL_LIMIT);
        if (state == State.RECOVERING && recoveryRequested &&
            nowNanos - lastRecoveryProgressNanos > context.recoveryTimeoutNanos() && tracker.expected() <= knownTail)
        {
            // Asked, but nothing came though there is something to get: ask again.
            replayErrors++;
            recovery.stop();
            recoveryRequested = false;
        }
        return work;
    }

    public void onRecoveredQuote(final Quote quote)
    {
        lastRecoveryProgressNanos = nowNanos;
        if (state != State.RECOVERING)
        {
            return; // in flight when we stopped
        }
        final long sequence = quote.sequence();
        knownTail = Math.max(knownTail, sequence);
        if (sequence < tracker.expected())
        {
            duplicatesDropped++;
            return;
        }
        if (sequence > tracker.expected())
        {
            // The pull skipped something: start it again where we are.
            replayErrors++;
            recovery.stop();
            recoveryRequested = false;
            return;
        }
        if (silenceRecovery)
        {
            // The silence did hide a tail: count it as the gap it was.
            silenceRecovery = false;
            silenceGapStart = sequence;
            recoveredBeforeSilenceGap = recovered;
            gapsDetected++;
        }
        deliver(quote, true);
        mergeWithLive();
    }

    /** If the pull has reached the buffered live ticks, deliver them and go back to live. */
    private void mergeWithLive()
    {
        if (buffer.isEmpty())
        {
            return;
        }
        duplicatesDropped += buffer.dropBelow(tracker.expected());
        if (!buffer.isEmpty() && buffer.firstSequence() == tracker.expected())
        {
            while (!buffer.isEmpty())
            {
                buffer.poll(buffered);
                deliver(buffered, false);
            }
            endRecovery();
        }
    }

    private void endRecovery()
    {
        if (silenceGapStart > 0)
        {
            final long pulled = recovered - recoveredBeforeSilenceGap;
            gapTicks += pulled;
            statusListener.onGap(silenceGapStart, silenceGapStart + pulled - 1);
            silenceGapStart = 0;
        }
        silenceRecovery = false;
        recovery.stop();
        recoveryRequested = false;
        recoveryNanos += nowNanos - recoveringSinceNanos;
        state = State.LIVE;
        recoveries++;
        statusListener.onRecovered(tracker.expected() - 1);
    }

    public void onRecoveryRefused(final boolean belowRetention, final long firstAvailable, final String reason)
    {
        replayErrors++;
        recoveryRequested = false;
        pullRefused = true;
        if (belowRetention && firstAvailable > tracker.expected())
        {
            // Gone from the journal for good: count it lost, carry on from what is there.
            lost += firstAvailable - tracker.expected();
            statusListener.onLost(tracker.expected(), firstAvailable - 1);
            tracker.expect(firstAvailable);
            mergeWithLive();
        }
        statusListener.onRecoveryProblem(reason);
    }

    /**
     * The journal will never hold {@code firstSequence..lastSequence} (sent live-only while the
     * publisher's journal disk was full). What we lack of it is lost: counted, reported, and the pull
     * goes on after it. Live ticks we buffered inside the range are ours, so only what lies before the
     * buffer is lost, and the buffer is then delivered.
     */
    public void onRecoveryUnavailable(final long firstSequence, final long lastSequence, final String reason)
    {
        replayErrors++;
        recoveryRequested = false;
        pullRefused = true;
        final long expected = tracker.expected();
        if (state == State.RECOVERING && firstSequence <= expected && expected <= lastSequence)
        {
            final long lostTo = !buffer.isEmpty() && buffer.firstSequence() <= lastSequence + 1 ?
                buffer.firstSequence() - 1 : lastSequence;
            if (lostTo >= expected)
            {
                lost += lostTo - expected + 1;
                statusListener.onNotJournaled(expected, lostTo);
                tracker.expect(lostTo + 1);
            }
            mergeWithLive();
        }
        statusListener.onRecoveryProblem(reason);
    }

    public void onRecoveryInterrupted(final String reason)
    {
        if (state == State.RECOVERING)
        {
            recoveryRequested = false;
            statusListener.onRecoveryProblem(reason);
        }
    }

    public void onRecoveryMalformed()
    {
        onMalformed(MalformedReason.TRUNCATED);
    }

    private void rejoinLive()
    {
        liveRejoins++;
        lastLiveNanos = nowNanos;
        CloseHelper.quietClose(subscription);
        subscription = null;
        try
        {
            subscription = aeron.addSubscription(context.channel(), context.streamId());
        }
        catch (final RuntimeException ex)
        {
            // The driver refuses the channel for now, e.g. a multicast interface whose link is down
            // (it cannot join the group there). Not fatal: the pull carries on, and the rejoin is
            // tried again after each stale timeout until the link is back.
            if (!rejoinFailureReported)
            {
                rejoinFailureReported = true;
                statusListener.onLiveRejoinFailed(firstLine(ex.getMessage()));
            }
        }
        if (!liveSilent)
        {
            liveSilent = true; // report once per silence, however many rejoins it takes
            staleEvents++;
            statusListener.onLiveRejoined();
        }
    }

    private static String firstLine(final String message)
    {
        if (message == null)
        {
            return "no reason given";
        }
        final int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private void updateLiveCounters()
    {
        final FeedCounters c = liveCounters;
        c.set(FeedCounter.DELIVERED, delivered);
        c.set(FeedCounter.SUBSCRIBER_LAST_SEQUENCE, lastSeq);
        c.set(FeedCounter.GAPS, gapsDetected);
        c.set(FeedCounter.RECOVERED, recovered);
        c.set(FeedCounter.DUPLICATES_DROPPED, duplicatesDropped);
        c.set(FeedCounter.MALFORMED, malformed);
        c.set(FeedCounter.LOST, lost);
        c.set(FeedCounter.REPLAY_SESSIONS, replaySessions);
        c.set(FeedCounter.STALE_EVENTS, staleEvents);
        c.set(FeedCounter.RECOVERING, state == State.RECOVERING ? 1 : 0);
        c.set(FeedCounter.STALE, liveSilent ? 1 : 0);
        c.set(FeedCounter.LAG, Math.max(0, Math.max(knownTail, publisherLastSeq) - lastSeq));
        c.set(FeedCounter.LAST_HEARD, liveHeard ? (epochClock.nanoTime() - (nowNanos - lastHeardNanos)) / 1_000_000 : 0);
        c.set(FeedCounter.BUFFER_OVERWRITES, buffer.overwritten());
    }

    // ---- results --------------------------------------------------------------------------------

    /** Last sequence delivered to the listener, 0 if none. */
    public long lastDeliveredSequence()
    {
        return lastSeq;
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

    /**
     * The counters as one line, for a status log while running. Read from another thread without
     * synchronisation: each number is recent, not a consistent snapshot of all of them.
     */
    public String progress()
    {
        return "delivered=" + delivered + " lastSeq=" + lastSeq + " state=" + state + " gaps=" + gapsDetected +
            " recovered=" + recovered + " duplicatesDropped=" + duplicatesDropped + " replaySessions=" +
            replaySessions + " replayErrors=" + replayErrors + " lost=" + lost + " malformed=" + malformed +
            " liveRejoins=" + liveRejoins + " streamResets=" + streamResets;
    }

    /** A snapshot for the summary; exact once the agent has stopped. */
    public SubscriberStats stats()
    {
        final long end = done ? endNanos : nanoClock.nanoTime();
        final long recovering = recoveryNanos + (state == State.RECOVERING ? Math.max(0, end - recoveringSinceNanos) : 0);
        return new SubscriberStats(
            context.name(), delivered, firstSeq, lastSeq, gapsDetected, gapTicks, recovered, recoveries,
            replaySessions, replayErrors, lost, liveRejoins, buffer.overwritten(), buffer.restarted(),
            duplicatesDropped, malformed, malformedByReason.clone(), heartbeats, publisherLastSeq, publisherEnded, instruments.size(),
            state.name(), liveSilent ? "STALE" : "OK", staleEvents, digest.value(), latency.copy(),
            Math.max(0, end - startNanos), recovering);
    }

    public void onClose()
    {
        CloseHelper.quietClose(subscription);
    }
}
