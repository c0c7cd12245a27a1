package io.feedhandler.subscriber;

import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.journal.SubscriberOffset;
import io.feedhandler.sbe.FeedState;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;

import java.util.List;

/**
 * What a subscriber counts, and the three forms it is read in: the summary ({@link #stats}), the
 * status line while running ({@link #progress}) and the live counters in the media driver's CnC file
 * ({@link #updateLiveCounters}). The counters are plain fields, written only on the subscriber's
 * thread by the part that sees the event (an increment, no atomic); the other forms read them.
 */
final class SubscriberMetrics
{
    long delivered;
    long firstSeq;
    long lastSeq;
    long recovered;
    long gapsDetected;
    long gapTicks;
    long duplicatesDropped;
    long malformed;
    final long[] malformedByReason = new long[MalformedReason.values().length];
    long heartbeats;
    long publisherLastSeq;
    boolean publisherEnded;
    long streamResets;
    /** Highest sequence heard of on any path: what the publisher has, as far as we know. */
    long knownTail;
    long recoveries;
    long replaySessions;
    long replayErrors;
    /** Pulls that could not start for the recovery timeout (no server reachable, or all backing off): said once each, retried. */
    long replayUnreachable;
    long lost;
    long liveRejoins;
    long staleEvents;
    /** Live ticks a pull went past (and delivered itself) because live trailed the journal far behind. */
    long livePassed;
    /** The epoch of the stream followed; 0 until one is heard (or taken from a stored offset). */
    long epoch;
    /** A durable subscriber's offset: the epoch followed is stored in it before any sequence of it. */
    private SubscriberOffset offset;
    private FeedStatusListener statusListener = FeedStatusListener.NONE;
    /** Why the run ended early (a lost range with {@link SubscriberContext#lostIsFatal}); null when it did not. */
    String failed;
    /** Whether a message of the followed epoch was heard: until then a stored offset's epoch is only expected. */
    private boolean epochHeard;
    /** Another epoch heard before the stored offset's: the offset is of another stream, the run is refused. */
    long refusedEpoch;
    /** Messages of other streams (another epoch) on the live channel and stream: dropped. */
    long otherStreamMessages;
    private long lastOtherEpoch;
    /** Snapshots taken whole, and the last one's sequence and size. */
    long snapshots;
    long snapshotSeq;
    long snapshotInstruments;
    /** Ticks a conflating subscriber did not deliver (superseded by a later quote of their instrument), and how often. */
    long conflated;
    long conflations;
    /** A filtered subscriber's ticks of other instruments: passed over, in sequence, never delivered. */
    long filtered;
    /** With no recovery, ticks of ids whose definitions had not arrived: not delivered (nothing can place them). */
    long unresolved;
    /** Symbols a filtered subscriber asked for that no definition in force named when it first heard them all. */
    int undefinedInstruments;
    /** The last sequence delivered or filtered: where the stream stands, whatever was delivered. */
    long position;
    /** A subscriber that started recovering (a snapshot, a starting sequence): how long until it was first live. */
    long liveAfterNanos;

    /** Whether a message of {@code messageEpoch} belongs to the stream followed (the first heard is followed). */
    boolean followsEpoch(final long messageEpoch)
    {
        if (messageEpoch == 0)
        {
            return true; // a version 1 publisher, which names no epoch
        }
        if (messageEpoch == epoch)
        {
            if (!epochHeard)
            {
                epochHeard = true;
                statusListener.onStreamFollowed(messageEpoch); // the expected stream, heard at last
            }
            return true;
        }
        if (epoch == 0)
        {
            epoch = messageEpoch;
            epochHeard = true;
            if (offset != null)
            {
                offset.storeEpoch(messageEpoch); // also upgrades a version 1 offset, which had none
            }
            statusListener.onStreamFollowed(messageEpoch);
            return true;
        }
        if (!epochHeard && refusedEpoch == 0)
        {
            refusedEpoch = messageEpoch; // the stored offset's stream is not the one heard
        }
        return false;
    }

    /**
     * A durable subscriber: the epoch followed goes into its offset. An offset that holds a position and
     * an epoch expects that stream: the first epoch heard must be it, or the offset belongs to another
     * stream (a replaced journal, a name reused) and the run is refused ({@link #refusedEpoch}).
     * An offset without an epoch (nothing delivered, or written by a version without epochs) follows
     * the first epoch heard and stores it.
     */
    void offset(final SubscriberOffset offset)
    {
        this.offset = offset;
        if (offset != null && offset.lastDelivered() > 0 && offset.epoch() != 0)
        {
            epoch = offset.epoch();
        }
    }

    /**
     * Follow only the stream of {@code expected} (0: the first heard), as a stored offset's epoch is:
     * a replica's journal names the epoch it holds, and another one heard refuses the run.
     */
    void expectEpoch(final long expected)
    {
        if (expected != 0)
        {
            epoch = expected;
        }
    }

    /** Who hears {@link FeedStatusListener#onStreamFollowed}; set before anything is heard. */
    void statusListener(final FeedStatusListener statusListener)
    {
        this.statusListener = statusListener;
    }

    /** Whether the run is refused: the stored offset is of another stream than the one heard. */
    boolean refused()
    {
        return refusedEpoch != 0;
    }

    /** @return true when {@code otherEpoch} is a stream not reported just before. */
    boolean otherStream(final long otherEpoch)
    {
        otherStreamMessages++;
        final boolean report = otherEpoch != lastOtherEpoch;
        lastOtherEpoch = otherEpoch;
        return report;
    }

    void delivered(final long sequence, final boolean fromRecovery)
    {
        if (firstSeq == 0)
        {
            firstSeq = sequence;
        }
        lastSeq = sequence;
        position = Math.max(position, sequence);
        delivered++;
        if (fromRecovery)
        {
            recovered++;
        }
    }

    /** A tick of an instrument a filtered subscriber did not ask for, passed over. */
    void filtered(final long sequence)
    {
        filtered++;
        position = Math.max(position, sequence);
    }

    /** A filtered pull's marker: nothing of ours up to {@code sequence}. */
    void passedOver(final long sequence)
    {
        position = Math.max(position, sequence);
    }

    void snapshot(final long sequence, final int instruments)
    {
        snapshots++;
        snapshotSeq = sequence;
        snapshotInstruments = instruments;
    }

    void malformed(final MalformedReason reason)
    {
        malformed++;
        malformedByReason[reason.ordinal()]++;
    }

    /**
     * A heartbeat: the publisher's last sequence and whether it is running.
     *
     * @return true when this is the first heartbeat to say the publisher ended its run.
     */
    boolean heartbeat(final long lastSequence, final FeedState feedState)
    {
        heartbeats++;
        publisherLastSeq = Math.max(publisherLastSeq, lastSequence);
        heard(lastSequence);
        final boolean ended = feedState == FeedState.ENDED && !publisherEnded;
        publisherEnded = feedState == FeedState.ENDED;
        return ended;
    }

    void heard(final long sequence)
    {
        knownTail = Math.max(knownTail, sequence);
    }

    /** A snapshot for the summary. */
    SubscriberStats stats(
        final String name,
        final Delivery delivery,
        final LiveLines live,
        final LineArbiter arbiter,
        final Recovery recovery,
        final int instruments,
        final long runNanos,
        final long nowNanos,
        final long bookDigest,
        final String profile)
    {
        final boolean recovering = recovery != null && recovery.isActive();
        return new SubscriberStats(
            name, delivered, firstSeq, lastSeq, gapsDetected, gapTicks, recovered, recoveries,
            replaySessions, replayErrors, recovery != null ? recovery.replayFailovers() : 0, replayUnreachable,
            recovery != null ? recovery.replayServer() : null, lost, liveRejoins,
            recovery != null ? recovery.bufferOverwrites() : 0, recovery != null ? recovery.bufferRestarts() : 0,
            duplicatesDropped, malformed, malformedByReason.clone(), heartbeats, publisherLastSeq, publisherEnded,
            instruments, recovering ? SubscriberAgent.State.RECOVERING.name() : SubscriberAgent.State.LIVE.name(),
            live.silent() ? "STALE" : "OK", staleEvents, delivery.digest(), delivery.latency().live().copy(), runNanos,
            recovery != null ? recovery.recoveryNanos(nowNanos) : 0, epoch, otherStreamMessages, livePassed, bookDigest,
            snapshots, snapshotSeq, snapshotInstruments, conflated, conflations, liveAfterNanos,
            delivery.selection() != null, filtered, unresolved, undefinedInstruments,
            delivery.latency().steady().copy(), delivery.latency().recoveredAge().copy(), delivery.latency().warmupNanos(),
            profile, arbiter == null ? List.of() : List.of(lineStats(live, arbiter, Line.A), lineStats(live, arbiter, Line.B)),
            arbiter == null ? 0 : arbiter.covered());
    }

    private static SubscriberStats.LineStats lineStats(final LiveLines live, final LineArbiter arbiter, final Line line)
    {
        final LiveStream stream = live.line(line);
        return new SubscriberStats.LineStats(line.summaryName(), stream.channel(), arbiter.firstSeen(line),
            arbiter.secondSeen(line), arbiter.gaps(line), arbiter.gapTicks(line), stream.silentEvents(), stream.silent());
    }

    /**
     * The counters as one line, for a status log while running. Read from another thread without
     * synchronisation: each number is recent, not a consistent snapshot of all of them.
     */
    String progress(final SubscriberAgent.State state)
    {
        return "delivered=" + delivered + " firstSeq=" + firstSeq + " lastSeq=" + lastSeq + " state=" + state + " gaps=" + gapsDetected +
            " recovered=" + recovered + " duplicatesDropped=" + duplicatesDropped + " replaySessions=" +
            replaySessions + " replayErrors=" + replayErrors + " lost=" + lost + " malformed=" + malformed +
            " liveRejoins=" + liveRejoins + " streamResets=" + streamResets + " conflated=" + conflated + " filtered=" + filtered;
    }

    /** Copy the counters into the CnC file, for readers in other processes. */
    void updateLiveCounters(
        final FeedCounters counters, final LiveLines live, final LineArbiter arbiter, final Recovery recovery,
        final long nowNanos, final long epochNowNanos)
    {
        counters.set(FeedCounter.DELIVERED, delivered);
        counters.set(FeedCounter.SUBSCRIBER_LAST_SEQUENCE, lastSeq);
        counters.set(FeedCounter.GAPS, gapsDetected);
        counters.set(FeedCounter.RECOVERED, recovered);
        counters.set(FeedCounter.DUPLICATES_DROPPED, duplicatesDropped);
        counters.set(FeedCounter.MALFORMED, malformed);
        counters.set(FeedCounter.LOST, lost);
        counters.set(FeedCounter.REPLAY_SESSIONS, replaySessions);
        counters.set(FeedCounter.REPLAY_FAILOVERS, recovery != null ? recovery.replayFailovers() : 0);
        counters.set(FeedCounter.REPLAY_UNREACHABLE, replayUnreachable);
        counters.set(FeedCounter.STALE_EVENTS, staleEvents);
        counters.set(FeedCounter.RECOVERING, recovery != null && recovery.isActive() ? 1 : 0);
        counters.set(FeedCounter.STALE, live.silent() ? 1 : 0);
        counters.set(FeedCounter.LAG, Math.max(0, Math.max(knownTail, publisherLastSeq) - Math.max(lastSeq, position)));
        counters.set(FeedCounter.LAST_HEARD,
            live.heard() ? (epochNowNanos - (nowNanos - live.lastHeardNanos())) / 1_000_000 : 0);
        counters.set(FeedCounter.BUFFER_OVERWRITES, recovery != null ? recovery.bufferOverwrites() : 0);
        counters.set(FeedCounter.CONFLATED, conflated);
        counters.set(FeedCounter.CONFLATIONS, conflations);
        counters.set(FeedCounter.OTHER_PUBLISHER_MESSAGES, otherStreamMessages);
        if (arbiter != null)
        {
            counters.set(FeedCounter.LINE_A_FIRST, arbiter.firstSeen(Line.A));
            counters.set(FeedCounter.LINE_B_FIRST, arbiter.firstSeen(Line.B));
            counters.set(FeedCounter.LINE_A_GAPS, arbiter.gaps(Line.A));
            counters.set(FeedCounter.LINE_B_GAPS, arbiter.gaps(Line.B));
            counters.set(FeedCounter.LINE_A_SILENT, live.line(Line.A).silent() ? 1 : 0);
            counters.set(FeedCounter.LINE_B_SILENT, live.line(Line.B).silent() ? 1 : 0);
        }
    }

    /**
     * Live latency since the last call into the CnC file, then start the next interval: what
     * {@code feed metrics} exports as quantiles. A second's worth of ticks at most, so reading the
     * percentiles here (no allocation) costs microseconds a few times a second.
     */
    static void updateLatencyCounters(final FeedCounters counters, final DeliveryLatency latency)
    {
        final org.HdrHistogram.Histogram recent = latency.recent();
        if (recent.getTotalCount() > 0)
        {
            counters.set(FeedCounter.LATENCY_P50, recent.getValueAtPercentile(50));
            counters.set(FeedCounter.LATENCY_P99, recent.getValueAtPercentile(99));
            counters.set(FeedCounter.LATENCY_P999, recent.getValueAtPercentile(99.9));
            counters.set(FeedCounter.LATENCY_MAX, recent.getMaxValue());
            latency.resetRecent();
        }
    }
}
