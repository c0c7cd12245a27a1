package io.feedhandler.subscriber;

import io.aeron.Aeron;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.Quote;
import io.feedhandler.journal.SubscriberOffset;
import io.feedhandler.sbe.FeedState;
import io.feedhandler.transport.FeedCounters;
import io.feedhandler.transport.RunLimit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;

/**
 * The subscriber's duty cycle and the routing of what the live stream says. Each live quote is
 * checked against the next sequence expected: in order, it is delivered ({@link Delivery}); below,
 * dropped as a duplicate; above, a gap, which starts a {@link Recovery} that pulls what is missing
 * and merges back into live. While recovering, live quotes go to the recovery, which buffers them.
 * Everything happens on this one thread, so delivery order needs no locks.
 * <p>
 * Per duty cycle: poll live ({@link LiveLines}), move the recovery on, rejoin live if it fell
 * silent, refresh the live counters, and end when the count or duration is reached.
 * <p>
 * A redundant feed ({@code --b-channel}) is heard on two lines: the {@link LineArbiter} first drops
 * what the other line already brought and holds a line's ticks past a hole the other line may still
 * fill, so the routing above sees one stream and a gap only when both lines missed a sequence.
 */
public final class SubscriberAgent implements Agent, FeedHandler
{
    /** Where the subscriber's stream stands. */
    public enum State
    {
        /** Delivering from live. */
        LIVE,
        /** Delivering from the journal, live buffered, until the two meet. */
        RECOVERING
    }

    private final SubscriberContext context;
    private final FeedStatusListener statusListener;
    private final NanoClock nanoClock;
    private final EpochNanoClock epochClock;
    private final SequenceTracker tracker = new SequenceTracker();
    private final SubscriberMetrics metrics = new SubscriberMetrics();
    private final InstrumentDefinitions instruments;
    private final Delivery delivery;
    private final LiveLines live;
    /** Arbitration between lines A and B; null for line A alone. */
    private final LineArbiter arbiter;
    private final Recovery recovery;
    /** A slow consumer's held quotes ({@code --slow-consumer conflate}); null to deliver every tick. */
    private final Conflation conflation;
    /** A filtered subscriber's instruments ({@code --instrument}); null to take every instrument. */
    private final InstrumentSelection selection;

    private final RunLimit limit;
    private final SubscriberOffset offset;
    private boolean otherStream;
    /**
     * The highest sequence the live stream itself has carried (its ticks and heartbeats). One stream's sequence
     * never goes back, so a heartbeat below it is a reset; a heartbeat below what a pull delivered is only late.
     */
    private long liveLast;
    private volatile boolean done;
    private long nowNanos;
    private long endNanos;
    private FeedCounters liveCounters;

    /**
     * @param aeron          the client for the live stream; null when the caller feeds messages itself (tests).
     * @param recoverySource makes the source gaps are pulled from, reporting to the recovery; null to only count gaps.
     * @param offset         a durable subscriber's stored offset; null for an anonymous one.
     */
    public SubscriberAgent(
        final SubscriberContext context,
        final Aeron aeron,
        final RecoverySource.Factory recoverySource,
        final SubscriberOffset offset,
        final QuoteListener listener,
        final FeedStatusListener statusListener,
        final NanoClock nanoClock,
        final EpochNanoClock epochClock)
    {
        this.context = context;
        this.statusListener = statusListener;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.limit = new RunLimit(context.count(), context.durationNanos());
        this.offset = offset;
        metrics.statusListener(statusListener);
        metrics.offset(offset); // before anything is heard: a stored offset names the stream it expects
        metrics.expectEpoch(context.expectedEpoch());
        this.instruments = new InstrumentDefinitions(context.maxInstruments(), statusListener);
        this.selection = context.instrumentFilter() != null ? new InstrumentSelection(context.instrumentFilter()) : null;
        instruments.selection(selection);
        this.delivery = new Delivery(tracker, new TopOfBook(context.maxInstruments()), listener, offset, epochClock,
            metrics, instruments, selection, context.count(), context.warmupNanos());
        this.recovery = context.recovery() && recoverySource != null ?
            new Recovery(context, recoverySource, tracker, delivery, statusListener, metrics) : null;
        this.arbiter = context.transport().bChannel() != null ?
            new LineArbiter(context.lineWaitNanos(), SubscriberConfiguration.LINE_HOLD) : null;
        this.live = new LiveLines(aeron, context, this, arbiter, statusListener, metrics);
        this.conflation = context.slowConsumer() == SlowConsumerPolicy.CONFLATE ?
            new Conflation(context.maxInstruments()) : null;

        final long start = context.fromSequence() > 0 ? context.fromSequence() :
            offset != null && offset.lastDelivered() > 0 ? offset.lastDelivered() + 1 : 0;
        if (start > 0)
        {
            tracker.expect(start);
            if (recovery != null)
            {
                recovery.begin();
            }
        }
        else if (context.snapshot() && recovery != null)
        {
            recovery.beginSnapshot(); // live is buffered until the snapshot is in and the pull after it meets it
        }
    }

    public String roleName()
    {
        return "feed-subscriber";
    }

    /** Also record each live latency into {@code log}'s intervals; set before the agent starts. */
    public SubscriberAgent latencyLog(final LatencyLog log)
    {
        delivery.latencyLog(log);
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
        nowNanos = nanoClock.nanoTime();
        limit.start(nowNanos);
        live.start(nowNanos);
        if (recovery != null)
        {
            recovery.start(nowNanos); // a recovery begun at construction counts from here
        }
    }

    public int doWork()
    {
        if (done)
        {
            throw new AgentTerminationException();
        }
        nowNanos = nanoClock.nanoTime();
        if (recovery != null)
        {
            recovery.time(nowNanos);
        }
        final int polled = live.poll(nowNanos);
        int work = polled;
        if (arbiter != null && arbiter.expired(nowNanos, live.caughtUp(arbiter.otherLine())))
        {
            lineWaitExpired(); // the other line had its wait and did not bring what this one skipped
            work++;
        }
        if (conflation != null && conflation.isHolding() && polled < context.fragmentLimit())
        {
            flushConflation(); // read what was waiting: deliver the latest of each instrument, then carry on
            work++;
        }
        if (recovery != null)
        {
            work += recovery.doWork();
        }
        if (live.rejoinSilent(nowNanos))
        {
            flushConflation();
            if (recovery != null && !recovery.isActive() && tracker.started() && !recovery.nothingMissing())
            {
                recovery.beginAfterSilence(); // silence may hide a tail, unless the publisher ended and we have it all
            }
            work++;
        }
        if (metrics.refused() || metrics.failed != null)
        {
            // The stored offset is of another stream (nothing of this one is delivered), or a range the
            // run may not lose is gone: the run ends.
            endNanos = nowNanos;
            done = true;
            return work;
        }
        if (liveCounters != null && liveCounters.due(nowNanos))
        {
            metrics.updateLiveCounters(liveCounters, live, arbiter, recovery, nowNanos, epochClock.nanoTime());
            SubscriberMetrics.updateLatencyCounters(liveCounters, delivery.latency());
        }
        if (limit.reached(nowNanos, metrics.delivered) || context.untilPublisherEnds() && runEnded())
        {
            if (conflation != null && conflation.isHolding() && !delivery.countReached())
            {
                flushConflation(); // the run ends with the book exact
            }
            endNanos = nowNanos;
            done = true;
        }
        return work;
    }

    /** The publisher ended its run and nothing up to its last sequence is still to come (--until-publisher-ends). */
    private boolean runEnded()
    {
        return metrics.publisherEnded && tracker.started() && tracker.expected() > metrics.knownTail &&
            (recovery == null || !recovery.isActive());
    }

    public void requestStop()
    {
        limit.requestStop();
    }

    public boolean isDone()
    {
        return done;
    }

    /** LIVE or RECOVERING; may be read from any thread. */
    public State state()
    {
        return recovery != null && recovery.isActive() ? State.RECOVERING : State.LIVE;
    }

    /** One message from line A, whatever its bytes (the fuzz tests call this directly). */
    void onLiveMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        live.onMessage(Line.A, buffer, offset, length);
    }

    /**
     * One message from {@code line}, whatever its bytes, as if polled from it: for benchmarks and tests
     * that feed a redundant feed themselves (with no media driver).
     */
    public void onLineMessage(final Line line, final DirectBuffer buffer, final int offset, final int length)
    {
        live.onMessage(line, buffer, offset, length);
    }

    /** What the recovery source reports to (the tests drive it directly). */
    RecoverySource.Handler recoveryHandler()
    {
        return recovery;
    }

    // ---- what live says ---------------------------------------------------------------------------

    /**
     * A live batch begins. The stream's epoch names one journal's history: the subscriber follows the
     * first it hears, and a batch of another (a second publisher on the same channel and stream) is
     * dropped and counted, never mixed into delivery.
     */
    public void onBatchBegin(final long epoch, final long firstSequence, final int count)
    {
        otherStream = !metrics.followsEpoch(epoch);
        if (otherStream)
        {
            onOtherStream(epoch);
        }
        else if (arbiter != null)
        {
            arbiter.onBatch(firstSequence, count);
        }
        delivery.readClock();
    }

    public void onBatchEnd()
    {
        otherStream = false;
    }

    private void onOtherStream(final long epoch)
    {
        if (metrics.otherStream(epoch) && !metrics.refused())
        {
            statusListener.onOtherPublisher(metrics.epoch, epoch);
        }
    }

    public void onQuote(final Quote quote)
    {
        if (otherStream || delivery.countReached())
        {
            return;
        }
        final long sequence = quote.sequence();
        metrics.heard(sequence);
        liveLast = Math.max(liveLast, sequence);
        if (arbiter == null)
        {
            route(quote);
            return;
        }
        switch (arbiter.onTick(quote, tracker.expected(), live.otherLineAlive(arbiter.line()), nowNanos))
        {
            case NEXT:
                route(quote);
                routeHeld(); // it may fill the other line's hole: what was held there follows
                break;
            case JUMP:
                Quote held;
                while ((held = arbiter.heldBefore(sequence)) != null)
                {
                    route(held); // neither line brought the hole: what was held goes first, past it
                }
                if (arbiter.jumped(quote))
                {
                    route(quote);
                    routeHeld();
                }
                break;
            default:
                break; // brought first by the other line, or held for it
        }
    }

    /** A live tick, in what has become one stream: delivered, dropped, or the sign of a gap. */
    private void route(final Quote quote)
    {
        if (recovery != null && recovery.isActive())
        {
            recovery.onLiveQuote(quote);
            return;
        }
        final long sequence = quote.sequence();
        switch (tracker.classify(sequence))
        {
            case FIRST:
            case NEXT:
                onNext(quote);
                break;
            case DUPLICATE:
                metrics.duplicatesDropped++;
                break;
            case GAP:
                flushConflation(); // what was held goes before anything the gap brings
                onGap(tracker.gapFrom(), tracker.gapTo());
                if (recovery != null)
                {
                    recovery.beginAtGap(quote);
                }
                else
                {
                    delivery.deliver(quote, false);
                }
                break;
        }
    }

    /** The held ticks of the other line that now follow the live stream. */
    private void routeHeld()
    {
        Quote held;
        while ((held = arbiter.nextHeld()) != null)
        {
            route(held);
        }
    }

    /**
     * The other line did not fill the hole within the line wait: what was held goes on (a gap for
     * the sequence check, or a break in a recovery's buffered live ticks), or the tail a heartbeat
     * showed is missing.
     */
    private void lineWaitExpired()
    {
        Quote held;
        while ((held = arbiter.pollHeld()) != null)
        {
            route(held);
        }
        final long tail = arbiter.missingTail();
        if (tail > 0 && (recovery == null || !recovery.isActive()) && tail >= tracker.expected())
        {
            onTailMissing(tail);
        }
    }

    /** The next tick in sequence, from live: placed (filter), held (conflation) or delivered. */
    private void onNext(final Quote quote)
    {
        if (selection != null && !selection.isPlaced(quote.instrumentId()))
        {
            place(quote);
            return;
        }
        if (conflation != null && (conflation.isHolding() || behind(quote)))
        {
            if (conflation.hold(quote))
            {
                tracker.delivered(quote.sequence()); // taken: held until the subscriber has caught up
                return;
            }
            flushConflation(); // an instrument it cannot hold: what is held is older, so it goes first
        }
        delivery.deliver(quote, false);
    }

    public void onHeartbeat(final long lastSequence, final long sendTimestamp, final FeedState feedState, final long epoch)
    {
        if (!metrics.followsEpoch(epoch))
        {
            onOtherStream(epoch);
            return;
        }
        final long upstreamHead = upstreamHead(); // what this run had heard of the stream before this heartbeat
        final boolean publisherEnded = metrics.heartbeat(lastSequence, feedState);
        final boolean lineWentBack = lastSequence < (arbiter != null ? arbiter.lineLastSequence() : liveLast);
        liveLast = Math.max(liveLast, lastSequence);
        if (arbiter != null)
        {
            arbiter.heardUpTo(lastSequence);
        }
        final boolean behindDelivered = lastSequence < tracker.expected() - 1;
        if (!tracker.started() && (recovery == null || !recovery.isActive()))
        {
            tracker.expect(lastSequence + 1); // joining a quiet feed: live starts after the publisher's last sequence
        }
        else if ((arbiter != null || behindDelivered) && lineWentBack ||
            behindDelivered && upstreamHead < tracker.expected() - 1)
        {
            // The publisher is behind what we delivered: its journal was reset (restored from a backup: the same
            // epoch), or it is another stream. Nothing it sends would ever be "next"; say so loudly and follow it
            // from here. It is when the line itself went back, or when nothing this run heard of the stream reached
            // where we stand (a stored offset, --from-seq). Not when a pull, or the other line, ran ahead of a line
            // that trails (a thin or repaired link): the pull read the publisher's own journal, which had what we
            // delivered, so this heartbeat is only late.
            flushConflation(); // what is held belongs to the old stream: delivered before we follow the new one
            metrics.streamResets++;
            statusListener.onStreamReset(tracker.expected() - 1, lastSequence);
            if (recovery != null)
            {
                recovery.abandon();
            }
            if (arbiter != null)
            {
                arbiter.streamReset(lastSequence);
            }
            liveLast = lastSequence;
            tracker.expect(lastSequence + 1);
        }
        else if (behindDelivered)
        {
            // A heartbeat on a line that trails: the other line, or a pull, has brought more since. Nothing to do.
        }
        else if (recovery != null && recovery.isActive())
        {
            recovery.onLiveHeartbeat(lastSequence); // caught up with a quiet feed?
        }
        else if (lastSequence >= tracker.expected() &&
            !(arbiter != null && arbiter.holdForTail(lastSequence, live.otherLineAlive(arbiter.line()), nowNanos)))
        {
            onTailMissing(lastSequence); // with a B line, once the other line has had its wait to bring it
        }
        if (publisherEnded)
        {
            statusListener.onPublisherEnded(lastSequence);
        }
    }

    /** The tail up to {@code lastSequence} went missing: nothing more will arrive to show the gap, so a heartbeat does. */
    private void onTailMissing(final long lastSequence)
    {
        flushConflation();
        onGap(tracker.expected(), lastSequence);
        if (recovery != null)
        {
            recovery.beginWithoutLive();
        }
        else
        {
            tracker.expect(lastSequence + 1);
        }
    }

    public void onInstrument(
        final int instrumentId, final int priceExponent, final CharSequence symbol, final long fromSequence)
    {
        // Against where the stream stands (ticks a filter passed over included), not the last delivered.
        instruments.onDefinition(instrumentId, priceExponent, symbol, fromSequence, metrics.position);
    }

    public void onMalformed(final MalformedReason reason)
    {
        metrics.malformed(reason);
    }

    /**
     * A filtered subscriber hears a tick of an id whose definition has not arrived (a late joiner's
     * first seconds: live repeats definitions only every few seconds), so it cannot tell whether it is
     * its own. Never guessed: it pulls from this tick, and the pull (filtered at the server, under the
     * definitions the journal holds) sends every definition in force first, then what is ours; live
     * waits in the recovery buffer meanwhile. With no recovery, the tick is counted unresolved.
     */
    private void place(final Quote quote)
    {
        if (recovery != null)
        {
            tracker.expect(quote.sequence());
            recovery.beginWithoutLive();
            return;
        }
        tracker.delivered(quote.sequence());
        metrics.unresolved++;
        metrics.passedOver(quote.sequence());
    }

    /** Whether a live tick comes later than the conflation lag after it was due: the subscriber is behind. */
    private boolean behind(final Quote quote)
    {
        return delivery.epochNow() - quote.sendTimestamp() > context.conflateLagNanos();
    }

    /**
     * Deliver the held quotes (the latest of each instrument, in sequence order) and say what was
     * skipped: superseded ticks, never asked for.
     */
    private void flushConflation()
    {
        if (conflation == null || !conflation.isHolding())
        {
            return;
        }
        final long from = conflation.firstSequence();
        final long to = conflation.lastSequence();
        final long skipped = conflation.received() - conflation.held();
        conflation.flush(delivery);
        if (skipped > 0)
        {
            metrics.conflated += skipped;
            metrics.conflations++;
            statusListener.onConflated(from, to, skipped);
        }
    }

    private void onGap(final long from, final long to)
    {
        metrics.gapsDetected++;
        metrics.gapTicks += to - from + 1;
        statusListener.onGap(from, to);
    }

    // ---- results ----------------------------------------------------------------------------------

    /**
     * Why the run was refused, as one line: the durable subscriber's stored offset was taken from another
     * stream (epoch) than the one it hears, so its sequence means nothing here; null when it was not.
     */
    public String refusal()
    {
        if (!metrics.refused())
        {
            return null;
        }
        if (offset == null)
        {
            return "refused: the stream heard is of epoch " + String.format("%016x", metrics.refusedEpoch) +
                ", not of the expected epoch " + String.format("%016x", metrics.epoch) + ": nothing was delivered";
        }
        return "refused: the offset of subscriber '" + context.name() + "' (sequence " + offset.lastDelivered() +
            ", " + context.offsetsDirectory().resolve(context.name() + SubscriberOffset.SUFFIX) +
            ") is of the stream of epoch " + String.format("%016x", offset.epoch()) + ", but the stream heard is " +
            "of epoch " + String.format("%016x", metrics.refusedEpoch) + " (its journal was replaced, or another " +
            "stream reused the name): nothing was delivered; run with another --name, or remove that offset file " +
            "to start '" + context.name() + "' afresh";
    }

    /** Why the run ended early ({@link SubscriberContext#lostIsFatal}), as one line; null when it did not. */
    public String failure()
    {
        return metrics.failed;
    }

    /** The epoch of the stream followed (or expected); 0 until one is known. */
    public long followedEpoch()
    {
        return metrics.epoch;
    }

    /** The other epoch heard that refused the run; 0 when it was not refused. */
    public long refusedEpoch()
    {
        return metrics.refusedEpoch;
    }

    /**
     * The highest sequence the upstream is known to have: heard live (ticks, heartbeats) or named by
     * the journal pulled from. Read on the agent's thread.
     */
    public long upstreamHead()
    {
        return Math.max(metrics.knownTail, recovery != null ? recovery.journalHead() : 0);
    }

    /** Last sequence delivered to the listener, 0 if none. */
    public long lastDeliveredSequence()
    {
        return metrics.lastSeq;
    }

    /** The symbol of an instrument, or null when its definition has not arrived. */
    public Instrument instrument(final int instrumentId)
    {
        return instruments.get(instrumentId);
    }

    public TopOfBook book()
    {
        return delivery.book();
    }

    /** The counters as one line while running (see {@link SubscriberMetrics#progress}). */
    public String progress()
    {
        return metrics.progress(state()) + " " + delivery.checkpointText();
    }

    /**
     * A snapshot for the summary; exact once the agent has stopped. The book digest is taken only then
     * (0 before): the book is the agent thread's, and walking it while that thread changes it is unsafe.
     */
    public SubscriberStats stats()
    {
        final long end = done ? endNanos : nanoClock.nanoTime();
        return metrics.stats(context.name(), delivery, live, arbiter, recovery, instruments.size(),
            Math.max(0, end - limit.startNanos()), end, done ? delivery.book().digest() : 0,
            context.transport().profile().cliName());
    }

    public void onClose()
    {
        live.close();
        if (recovery != null)
        {
            recovery.close();
        }
    }
}
