package io.feedhandler.subscriber;

import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Quote;
import io.feedhandler.sbe.FeedState;

import java.util.List;

/**
 * Recovery and the merge back into live, in one class with one state (the idea of Aeron Archive's
 * replay-merge, keyed on our sequences). When a gap shows, the subscriber pulls from the journal,
 * open-ended, starting at the first missing sequence, and delivers what comes in order, while the
 * live ticks that keep arriving wait in a bounded {@link LiveBuffer}. When the pull reaches the first
 * buffered live tick, the buffer is delivered and the subscriber is live again: no gap, no duplicate.
 * Unless live trails the journal's head by more than {@link SubscriberConfiguration#MERGE_LAG_TICKS}:
 * then the pull, which is many times faster, goes on past it, and live is taken back only near the head.
 * <p>
 * A recovery may start with a snapshot ({@link #beginSnapshot}: {@code --snapshot}, or
 * {@code --on-lost snapshot} when the journal no longer holds where we must start): the source sends
 * the latest quote of every instrument as of some sequence S, which are delivered as snapshot quotes,
 * then the pull goes on from S + 1 and merges into live as any other. Until the snapshot is whole, live
 * is buffered and nothing else is delivered; a pull interrupted before then asks for a new snapshot.
 * <p>
 * The source reports through this class's {@link RecoverySource.Handler} methods, which only decide:
 * they never start or stop the source. {@link #doWork} does that, after the source's poll has
 * returned, so nothing is stopped from inside its own callback.
 */
final class Recovery implements RecoverySource.Handler
{
    /** Where a recovery stands. */
    enum State
    {
        /** Not recovering: the subscriber delivers from live. */
        IDLE,
        /** A pull is wanted: asked for now, or again after a refusal, a skip or a stall (not more often than the retry interval). */
        REQUESTING,
        /** The pull is under way; what it brings is delivered and merged into the buffered live ticks. */
        PULLING
    }

    private final SubscriberContext context;
    private final SequenceTracker tracker;
    private final Delivery delivery;
    private final FeedStatusListener statusListener;
    private final SubscriberMetrics metrics;
    private final LiveBuffer buffer;
    private final MutableQuote buffered = new MutableQuote();
    private final RecoverySource source;
    private volatile State state = State.IDLE; // read by other threads through SubscriberAgent.state()
    private boolean pullStarted;
    private long nowNanos;
    /** When the next pull may be asked for: at once, or after a retry interval or a server's backoff. */
    private long nextAttemptNanos;
    private long lastProgressNanos;
    /** When the source last said anything about the pull under way (a tick, a heartbeat, the journal's head). */
    private long lastHeardNanos;
    /** The pull under way has been answered: from then on, silence means the server stopped. */
    private boolean pullAnswered;
    /** The pull under way has brought a tick, marker or snapshot (its server was told it works). */
    private boolean pullProgressed;
    private long beganNanos;
    private long recoveringSinceNanos;
    private long recoveryNanos;
    private boolean unreachableReported;
    private boolean unansweredReported;
    private boolean afterSilence;
    private long silenceGapStart;
    private long recoveredBeforeSilenceGap;
    /** The journal's last sequence as far as we know (the source's reports, the publisher's heartbeats). */
    private long journalHead;
    /** A snapshot is wanted before anything else is pulled. */
    private boolean snapshotWanted;
    /** The source said it keeps no book: a snapshot is not asked for again (a start or a lost range goes without). */
    private boolean snapshotsUnavailable;
    /** When a recovery begun at start (a snapshot, a starting sequence) began; 0 when it started live. */
    private long startedNanos;
    /** No pull has started yet: a source still connecting is asked again soon, not after the retry interval. */
    private boolean neverStarted = true;
    /** The sequence of the snapshot being received; -1 before its first message. */
    private long snapshotSequence = -1;
    private int snapshotExpected;
    private int snapshotReceived;

    Recovery(
        final SubscriberContext context,
        final RecoverySource.Factory sourceFactory,
        final SequenceTracker tracker,
        final Delivery delivery,
        final FeedStatusListener statusListener,
        final SubscriberMetrics metrics)
    {
        this.context = context;
        this.tracker = tracker;
        this.delivery = delivery;
        this.statusListener = statusListener;
        this.metrics = metrics;
        this.buffer = new LiveBuffer(context.recoveryBufferCapacity());
        this.source = sourceFactory.create(this);
    }

    /** Recovering (requesting or pulling), rather than live. */
    boolean isActive()
    {
        return state != State.IDLE;
    }

    State state()
    {
        return state;
    }

    /** The agent's clock starts: a recovery begun before it (a starting point) counts from here. */
    void start(final long nowNanos)
    {
        this.nowNanos = nowNanos;
        if (state != State.IDLE)
        {
            recoveringSinceNanos = nowNanos;
            startedNanos = nowNanos;
            beganNanos = nowNanos; // else "cannot reach" was said at the first try, before any server could connect
            nextAttemptNanos = nowNanos;
        }
    }

    /** Pull from the next expected sequence; live ticks are buffered until the pull meets them. */
    void begin()
    {
        if (state == State.IDLE)
        {
            recoveringSinceNanos = nowNanos;
        }
        state = State.REQUESTING;
        nextAttemptNanos = nowNanos;
        beganNanos = nowNanos;
        unreachableReported = false;
        statusListener.onRecoveryStarted(tracker.expected());
    }

    /**
     * Start from a snapshot, then the ticks after it: live ticks are buffered until the pull after the
     * snapshot meets them.
     */
    void beginSnapshot()
    {
        buffer.clear();
        snapshotWanted = true;
        begin();
    }

    /** A gap in live: {@code quote}, past the gap, is the first live tick to hold. */
    void beginAtGap(final Quote quote)
    {
        buffer.clear();
        buffer.add(quote);
        begin();
    }

    /** A gap with no live tick to hold (a heartbeat past what we have). */
    void beginWithoutLive()
    {
        buffer.clear();
        begin();
    }

    /**
     * Live fell silent: the silence may hide a tail we never got, so pull whatever the journal has
     * past what we delivered. If it has nothing, the pull idles until live speaks again; if it has,
     * the tail is counted as the gap it was.
     */
    void beginAfterSilence()
    {
        beginWithoutLive();
        afterSilence = true;
    }

    /** The time of the duty cycle under way, read once by the agent: what happens in it is stamped with it. */
    void time(final long nowNanos)
    {
        this.nowNanos = nowNanos;
    }

    /** One duty cycle: (re)start the pull when due, take what it brought, and stop it once it is not wanted. */
    int doWork()
    {
        int work = 0;
        if (state == State.REQUESTING)
        {
            stopPull();
            work += request();
        }
        if (state == State.PULLING)
        {
            work += source.poll(SubscriberConfiguration.RECOVERY_POLL_LIMIT);
            if (state == State.PULLING && !unansweredReported && nowNanos - lastProgressNanos > context.recoveryTimeoutNanos())
            {
                final String why = source.unanswered();
                if (why != null)
                {
                    // Once: the request went out and the server acknowledged it, but its answers never came.
                    unansweredReported = true;
                    statusListener.onRecoveryProblem(why);
                }
            }
            final long silenceTimeout = source.silenceTimeoutNanos();
            if (state == State.PULLING && silenceTimeout > 0 && pullAnswered &&
                nowNanos - lastHeardNanos > silenceTimeout)
            {
                // Answered, then nothing at all, not even the journal's head a session sends every 100 ms:
                // the server stopped or was cut off. Ask again (another server, if there is one) from here.
                metrics.replayErrors++;
                statusListener.onRecoveryProblem(source.describe() + " went silent for " +
                    (nowNanos - lastHeardNanos) / 1_000_000 + " ms during the pull; asking again from sequence " +
                    tracker.expected());
                source.failed(RecoverySource.PullFailure.SILENT);
                askAgainLater();
            }
            if (state == State.PULLING && nowNanos - lastProgressNanos > context.recoveryTimeoutNanos() &&
                (tracker.expected() <= metrics.knownTail || silenceTimeout > 0 && !pullAnswered))
            {
                // Asked, but nothing came though there is something to get (or no answer at all): ask again.
                metrics.replayErrors++;
                source.failed(RecoverySource.PullFailure.STALLED);
                askAgainLater();
            }
        }
        if (state != State.PULLING)
        {
            stopPull(); // merged, refused, skipped or stalled during the poll: the pull is not wanted as it is
        }
        return work;
    }

    private int request()
    {
        if (nowNanos - nextAttemptNanos < 0)
        {
            return 0;
        }
        snapshotSequence = -1; // a snapshot interrupted part way is asked for again, whole
        snapshotReceived = 0;
        if (!(snapshotWanted ? source.startSnapshot() : source.start(tracker.expected())))
        {
            nextAttemptNanos = source.nextAttemptNanos(nowNanos);
            if (neverStarted)
            {
                // Most likely the replay server's channel is still connecting (tens of milliseconds):
                // a late joiner should not lose a whole retry interval to it.
                nextAttemptNanos = Math.min(nextAttemptNanos,
                    nowNanos + SubscriberConfiguration.RECOVERY_CONNECT_RETRY_NANOS);
            }
            if (!unreachableReported && nowNanos - beganNanos > context.recoveryTimeoutNanos() && !nothingMissing())
            {
                // Keep trying (the server may be restarting), but say once why nothing is coming.
                unreachableReported = true;
                metrics.replayUnreachable++;
                statusListener.onRecoveryProblem(source.whyNotStarted() + (snapshotWanted ?
                    "; wanted for a snapshot" : "; wanted to recover from sequence " + tracker.expected()) +
                    "; still trying");
            }
            return 0;
        }
        pullStarted = true;
        neverStarted = false;
        state = State.PULLING;
        lastProgressNanos = nowNanos;
        lastHeardNanos = nowNanos;
        pullAnswered = false;
        pullProgressed = false;
        nextAttemptNanos = nowNanos + SubscriberConfiguration.RECOVERY_RETRY_NANOS; // asked again no sooner
        metrics.replaySessions++;
        return 1;
    }

    /** The source failed us: ask again when it says, at once when it has another server ready. */
    private void askAgainLater()
    {
        state = State.REQUESTING;
        nextAttemptNanos = source.nextAttemptNanos(nowNanos);
    }

    /** The source said something of the pull under way: it is answered, and not silent. */
    private void heard()
    {
        lastHeardNanos = nowNanos;
        pullAnswered = true;
    }

    /** The pull brought a tick, a marker or a snapshot. */
    private void progress()
    {
        lastProgressNanos = nowNanos;
        heard();
        if (!pullProgressed)
        {
            pullProgressed = true;
            source.progressed();
        }
    }

    /**
     * The publisher said it ended its run, and everything up to its last sequence is delivered: a
     * server gone with it is no news, and nothing is missing to ask it for.
     */
    boolean nothingMissing()
    {
        return metrics.publisherEnded && !snapshotWanted && tracker.expected() > metrics.knownTail;
    }

    private void stopPull()
    {
        if (pullStarted)
        {
            pullStarted = false;
            source.stop();
        }
    }

    /** A live tick while recovering: buffered, or the sign that the pull has met live. */
    void onLiveQuote(final Quote quote)
    {
        final long sequence = quote.sequence();
        if (sequence < tracker.expected())
        {
            // The pull has overtaken live: live has nothing we lack, so go back to it, unless the pull
            // is still far from the head (live trails, and would bring the rest slowly).
            metrics.duplicatesDropped++;
            buffer.clear();
            if (liveTrails(sequence, quote.sendTimestamp()))
            {
                metrics.livePassed++;
            }
            else
            {
                end();
            }
        }
        else if (sequence == tracker.expected() && buffer.isEmpty() && !liveTrails(sequence, quote.sendTimestamp()))
        {
            delivery.deliver(quote, false); // the pull has caught up with live
            end();
        }
        else if (sequence == tracker.expected() && !snapshotWanted && !buffer.isEmpty() && sequence < buffer.firstSequence())
        {
            // Only with a B line: the trailing line brings the very tick we need, below what the other
            // line's ticks in the buffer start at. Delivered now; the pull's copy is then a duplicate.
            delivery.deliver(quote, false);
            mergeWithLive();
        }
        else
        {
            buffer.add(quote);
        }
    }

    /** A heartbeat showing the publisher's last sequence: a quiet feed we have caught up with ends the recovery. */
    void onLiveHeartbeat(final long lastSequence)
    {
        journalHead = Math.max(journalHead, lastSequence);
        if (buffer.isEmpty() && lastSequence == tracker.expected() - 1)
        {
            end();
        }
    }

    /** The stream was reset under us (the publisher is behind what we delivered): recovery is moot. */
    void abandon()
    {
        buffer.clear();
        snapshotWanted = false; // a snapshot of the old stream is moot; the next gap is an ordinary one
        journalHead = 0;
        if (state != State.IDLE)
        {
            end();
        }
    }

    // ---- what the source reports ----------------------------------------------------------------

    /** A recovered batch begins: its ticks' latency is read against one clock reading. */
    public void onBatchBegin(final long epoch, final long firstSequence, final int count)
    {
        heard();
        delivery.readClock();
    }

    /** A definition the pull brings: it applies from its sequence on, in delivery order. */
    public void onInstrument(
        final int instrumentId, final int priceExponent, final CharSequence symbol, final long fromSequence)
    {
        heard();
        delivery.definitions().onDefinition(instrumentId, priceExponent, symbol, fromSequence, tracker.expected() - 1);
    }

    /** The next tick from the journal. */
    public void onQuote(final Quote quote)
    {
        progress();
        definitionsHeard();
        if (state == State.IDLE || delivery.countReached())
        {
            return; // in flight when we stopped, or past the run's end
        }
        if (snapshotWanted)
        {
            return; // a session sends its snapshot first: this is the tail of an earlier one
        }
        final long sequence = quote.sequence();
        metrics.heard(sequence);
        if (sequence < tracker.expected())
        {
            metrics.duplicatesDropped++;
            return;
        }
        if (sequence > tracker.expected())
        {
            // The pull skipped something: start it again where we are.
            metrics.replayErrors++;
            state = State.REQUESTING;
            return;
        }
        silenceHidATail(sequence);
        delivery.deliver(quote, true);
        mergeWithLive();
    }

    public void onMalformed(final MalformedReason reason)
    {
        metrics.malformed(reason);
    }

    /**
     * A filtered pull's batch begins: what follows is ours, in sequence order, and nothing else of ours
     * comes up to its marker. Every definition in force came before it.
     */
    public void onFilteredBatch(final long epoch, final long upToSequence, final int count)
    {
        progress();
        definitionsHeard();
        delivery.readClock();
    }

    /**
     * A quote of a filtered pull: the sequences between the last one and it are not ours (the server
     * says so by sending it), so it is the next to deliver if it is not behind us.
     */
    public void onFilteredQuote(final Quote quote)
    {
        if (state == State.IDLE || delivery.countReached() || snapshotWanted)
        {
            return;
        }
        final long sequence = quote.sequence();
        metrics.heard(sequence);
        if (sequence < tracker.expected())
        {
            metrics.duplicatesDropped++;
            return;
        }
        metrics.filtered += sequence - tracker.expected(); // the server skipped them: not ours
        silenceHidATail(sequence);
        delivery.deliver(quote, true);
    }

    /** A pull after live fell silent brings a tick: the silence did hide a tail, counted as the gap it was. */
    private void silenceHidATail(final long sequence)
    {
        if (afterSilence)
        {
            afterSilence = false;
            silenceGapStart = sequence;
            recoveredBeforeSilenceGap = metrics.recovered;
            metrics.gapsDetected++;
        }
    }

    /** Nothing else of ours up to {@code upToSequence}: the stream stands after it, and may meet live there. */
    public void onFilteredBatchEnd(final long upToSequence)
    {
        if (state == State.IDLE || snapshotWanted)
        {
            return;
        }
        metrics.heard(upToSequence);
        if (upToSequence >= tracker.expected())
        {
            delivery.passOver(upToSequence);
        }
        mergeWithLive();
    }

    /**
     * A pull's first tick, marker or snapshot: the definitions in force came before it, so a filtered
     * subscriber can now place every id (one with no definition has none); said once, with the symbols
     * asked for that nothing is called (yet).
     */
    private void definitionsHeard()
    {
        final InstrumentSelection selection = delivery.selection();
        if (selection != null && !selection.isComplete())
        {
            selection.definitionsComplete();
            final List<String> missing = selection.notYetDefined();
            metrics.undefinedInstruments = missing.size();
            if (!missing.isEmpty())
            {
                statusListener.onInstrumentsNotDefined(missing);
            }
        }
    }

    /**
     * Part of the snapshot: the first message names its sequence and size, and the definitions sent
     * before it (those in force) apply from here, before its quotes are delivered.
     */
    public void onSnapshotBatch(final long epoch, final long snapshotSequence, final int instruments, final int count)
    {
        progress();
        if (state == State.IDLE || !snapshotWanted)
        {
            return;
        }
        if (this.snapshotSequence < 0)
        {
            this.snapshotSequence = snapshotSequence;
            snapshotExpected = instruments;
            snapshotReceived = 0;
            delivery.definitions().reach(snapshotSequence);
            definitionsHeard();
            journalHead = Math.max(journalHead, snapshotSequence);
        }
        if (snapshotReceived >= snapshotExpected)
        {
            snapshotTaken(); // an empty book: nothing follows
        }
    }

    public void onSnapshotQuote(final Quote quote)
    {
        if (state == State.IDLE || !snapshotWanted || snapshotSequence < 0)
        {
            return;
        }
        delivery.deliverSnapshot(quote);
        if (++snapshotReceived >= snapshotExpected)
        {
            snapshotTaken();
        }
    }

    /** The snapshot is whole: the stream goes on after its sequence, pulled and merged into live as any recovery. */
    private void snapshotTaken()
    {
        snapshotWanted = false;
        metrics.snapshot(snapshotSequence, snapshotReceived);
        delivery.snapshotTaken(snapshotSequence);
        if (tracker.expected() <= snapshotSequence)
        {
            tracker.expect(snapshotSequence + 1);
        }
        statusListener.onSnapshot(snapshotSequence, snapshotReceived);
        mergeWithLive();
    }

    public void onJournalHead(final long lastSequence)
    {
        heard();
        journalHead = Math.max(journalHead, lastSequence);
    }

    public void onPullProgress()
    {
        lastProgressNanos = nowNanos;
        heard();
    }

    /** A heartbeat on the pull's stream: the replay server saying where the journal's head is. */
    public void onHeartbeat(final long lastSequence, final long sendTimestamp, final FeedState state, final long epoch)
    {
        onJournalHead(lastSequence);
    }

    public void onSnapshotsUnavailable(final String reason)
    {
        metrics.replayErrors++;
        if (state == State.IDLE || !snapshotWanted)
        {
            return;
        }
        snapshotWanted = false;
        snapshotsUnavailable = true;
        if (tracker.started())
        {
            // --on-lost snapshot: the range is gone from the journal and no snapshot will come; count it lost.
            state = State.REQUESTING;
            statusListener.onRecoveryProblem(reason + "; going on without a snapshot (a range no longer retained is " +
                "counted lost)");
            return;
        }
        // --snapshot at start: join live from now, as a subscriber without --snapshot does.
        statusListener.onRecoveryProblem(reason + "; going on from live without a snapshot");
        if (buffer.isEmpty())
        {
            state = State.IDLE;
            return;
        }
        tracker.expect(buffer.firstSequence());
        state = State.REQUESTING;
        mergeWithLive();
    }

    public void onRefused(final boolean belowRetention, final long firstAvailable, final String reason)
    {
        metrics.replayErrors++;
        if (state != State.IDLE)
        {
            askAgainLater();
            if (belowRetention && firstAvailable > tracker.expected() && context.onLost() == LostPolicy.SNAPSHOT &&
                !snapshotsUnavailable)
            {
                // Gone from the journal: start again from a snapshot rather than count it lost.
                snapshotWanted = true;
                nextAttemptNanos = nowNanos;
                statusListener.onRecoveryProblem(reason + "; starting from a snapshot instead (--on-lost snapshot)");
                return;
            }
            if (belowRetention && firstAvailable > tracker.expected() && context.startAtFirstRetained() &&
                metrics.delivered == 0)
            {
                // Nothing delivered yet: the start was only where to begin, and the journal begins later.
                statusListener.onRecoveryProblem(reason + "; starting at the first retained sequence " + firstAvailable);
                tracker.expect(firstAvailable);
                mergeWithLive();
                return;
            }
            if (belowRetention && firstAvailable > tracker.expected() && context.lostIsFatal())
            {
                // Counting it lost would leave a hole the upstream does not have: end the run instead.
                metrics.failed = "sequences " + tracker.expected() + ".." + (firstAvailable - 1) + " are gone from " +
                    "the journal pulled from (" + reason + ")";
                return; // the agent ends the run on this duty cycle
            }
            if (belowRetention && firstAvailable > tracker.expected())
            {
                // Gone from the journal for good: count it lost, carry on from what is there.
                metrics.lost += firstAvailable - tracker.expected();
                statusListener.onLost(tracker.expected(), firstAvailable - 1);
                tracker.expect(firstAvailable);
                mergeWithLive();
            }
        }
        statusListener.onRecoveryProblem(reason);
    }

    /**
     * The journal will never hold {@code firstSequence..lastSequence} (sent live-only while the
     * publisher's journal disk was full). What we lack of it is lost: counted, reported, and the pull
     * goes on after it. Live ticks we buffered inside the range are ours, so only what lies before the
     * buffer is lost, and the buffer is then delivered.
     */
    public void onNotJournaled(final long firstSequence, final long lastSequence, final String reason)
    {
        metrics.replayErrors++;
        final long expected = tracker.expected();
        if (state != State.IDLE)
        {
            state = State.REQUESTING;
            if (firstSequence <= expected && expected <= lastSequence)
            {
                statusListener.onNotJournaledRange(firstSequence, lastSequence);
                final long lostTo = !buffer.isEmpty() && buffer.firstSequence() <= lastSequence + 1 ?
                    buffer.firstSequence() - 1 : lastSequence;
                if (lostTo >= expected)
                {
                    metrics.lost += lostTo - expected + 1;
                    statusListener.onNotJournaled(expected, lostTo);
                    tracker.expect(lostTo + 1);
                }
                mergeWithLive();
            }
        }
        statusListener.onRecoveryProblem(reason);
    }

    public boolean followsEpoch(final long epoch)
    {
        return metrics.followsEpoch(epoch);
    }

    public void onInterrupted(final String reason)
    {
        if (state != State.IDLE)
        {
            askAgainLater();
            statusListener.onRecoveryProblem(reason);
        }
    }

    // ---- the merge ------------------------------------------------------------------------------

    /** If the pull has reached the buffered live ticks, deliver them and go back to live. */
    private void mergeWithLive()
    {
        if (buffer.isEmpty())
        {
            return;
        }
        metrics.duplicatesDropped += buffer.dropBelow(tracker.expected());
        if (!buffer.isEmpty() && buffer.firstSequence() == tracker.expected())
        {
            if (liveTrails(buffer.lastSequence(), buffer.lastSendTimestamp()))
            {
                // Live trails the journal far behind its head: the pull brings these again, and faster.
                metrics.livePassed += buffer.size();
                buffer.clear();
                return;
            }
            delivery.readClock();
            while (!buffer.isEmpty() && !delivery.countReached())
            {
                buffer.poll(buffered);
                delivery.deliver(buffered, false);
            }
            end();
        }
    }

    /**
     * Whether live, whose newest tick is {@code sequence} sent at {@code sendTimestamp}, trails the
     * journal too far to go back to: further behind its head than
     * {@link SubscriberConfiguration#MERGE_LAG_TICKS}, or older than {@link SubscriberConfiguration#MERGE_LAG_NANOS}.
     */
    private boolean liveTrails(final long sequence, final long sendTimestamp)
    {
        return journalHead - sequence > SubscriberConfiguration.MERGE_LAG_TICKS ||
            delivery.epochNow() - sendTimestamp > SubscriberConfiguration.MERGE_LAG_NANOS;
    }

    private void end()
    {
        if (silenceGapStart > 0)
        {
            final long pulled = metrics.recovered - recoveredBeforeSilenceGap;
            metrics.gapTicks += pulled;
            statusListener.onGap(silenceGapStart, silenceGapStart + pulled - 1);
            silenceGapStart = 0;
        }
        afterSilence = false;
        if (startedNanos != 0 && metrics.liveAfterNanos == 0)
        {
            metrics.liveAfterNanos = Math.max(1, nowNanos - startedNanos);
        }
        recoveryNanos += nowNanos - recoveringSinceNanos;
        state = State.IDLE;
        metrics.recoveries++;
        statusListener.onRecovered(tracker.expected() - 1);
    }

    // ---- what is read of it ---------------------------------------------------------------------

    /** Time spent recovering, all recoveries together, including the one under way. */
    long recoveryNanos(final long nowNanos)
    {
        return recoveryNanos + (state != State.IDLE ? Math.max(0, nowNanos - recoveringSinceNanos) : 0);
    }

    /** Pulls that went to a server other than the first in {@code --replay-channel}. */
    long replayFailovers()
    {
        return source.failovers();
    }

    /** The replay server the last pull went to; null before any, or when recovering from a local journal. */
    String replayServer()
    {
        return source.server();
    }

    /** The highest sequence the journal pulled from said it holds (its head), 0 when none was heard. */
    long journalHead()
    {
        return journalHead;
    }

    long bufferOverwrites()
    {
        return buffer.overwritten();
    }

    long bufferRestarts()
    {
        return buffer.restarted();
    }

    void close()
    {
        source.close();
    }
}
