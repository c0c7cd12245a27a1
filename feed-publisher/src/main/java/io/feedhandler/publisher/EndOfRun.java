package io.feedhandler.publisher;

import io.aeron.AeronCounters;
import io.aeron.Publication;
import io.feedhandler.sbe.FeedState;
import org.agrona.concurrent.status.CountersReader;

import java.util.function.IntSupplier;

/**
 * The end of a publisher's run, after its last tick: drain, then linger. Draining sends what is
 * pending and an {@code ENDED} heartbeat, and waits (bounded) until the media driver has sent
 * everything. Lingering keeps the stream open for receivers' retransmit requests, repeating the end
 * mark, and, while replay sessions are catching subscribers up, a little longer (bounded), so they can
 * finish: the end mark is what tells a caught-up subscriber it has everything. A stop from outside
 * (SIGINT/SIGTERM) {@link #cutShort cuts it short}.
 */
final class EndOfRun
{
    private static final long FINAL_HEARTBEAT_INTERVAL_NANOS = 100_000_000L;

    /** The most a drain takes once the run was stopped (SIGINT/SIGTERM): stopping is prompt. */
    static final long STOP_DRAIN_NANOS = 1_000_000_000L;

    /** Where the end of the run stands. */
    enum Phase
    {
        DRAINING, LINGERING, DONE
    }

    private final PublisherContext context;
    private final LiveSender sender;
    private final CountersReader counters;
    private final IntSupplier activeReplaySessions;
    private Phase phase = Phase.DRAINING;
    private long deadlineNanos;
    private long replayDrainDeadlineNanos;
    private long lastReplayBusyNanos;
    private int senderPositionCounterId = CountersReader.NULL_COUNTER_ID;
    private int lineBSenderPositionCounterId = CountersReader.NULL_COUNTER_ID;
    private boolean endAnnounced;
    private boolean cutShort;

    EndOfRun(
        final PublisherContext context,
        final LiveSender sender,
        final CountersReader counters,
        final IntSupplier activeReplaySessions)
    {
        this.context = context;
        this.sender = sender;
        this.counters = counters;
        this.activeReplaySessions = activeReplaySessions;
    }

    /** The last tick is behind us: start draining. */
    void begin(final long nowNanos)
    {
        deadlineNanos = nowNanos + context.drainTimeoutNanos();
        phase = Phase.DRAINING;
    }

    Phase phase()
    {
        return phase;
    }

    /**
     * Stopped from outside: the drain ends within {@link #STOP_DRAIN_NANOS} (the end mark still goes
     * out), and there is no linger: whoever stopped the publisher wants it gone, and a subscriber that
     * needs more asks the journal's replay server, or the next run.
     */
    void cutShort(final long nowNanos)
    {
        if (cutShort)
        {
            return;
        }
        cutShort = true;
        if (phase == Phase.DRAINING)
        {
            deadlineNanos = Math.min(deadlineNanos, nowNanos + STOP_DRAIN_NANOS);
        }
        else if (phase == Phase.LINGERING)
        {
            phase = Phase.DONE;
        }
    }

    int doWork(final long nowNanos, final long lastSequence)
    {
        switch (phase)
        {
            case DRAINING:
                return drain(nowNanos, lastSequence);
            case LINGERING:
                return linger(nowNanos, lastSequence);
            default:
                return 0;
        }
    }

    private int drain(final long nowNanos, final long lastSequence)
    {
        if (sender.hasPending() && !sender.retryPending() && nowNanos < deadlineNanos)
        {
            return 0;
        }
        sender.dropPending();
        if (!endAnnounced)
        {
            endAnnounced = true;
            sender.sendHeartbeat(nowNanos, lastSequence, FeedState.ENDED);
            senderPositionCounterId = findSenderPositionCounter(sender.publication());
            if (senderPositionCounterId == CountersReader.NULL_COUNTER_ID)
            {
                return beginLinger(nowNanos);
            }
            if (sender.lineB() != null)
            {
                lineBSenderPositionCounterId = findSenderPositionCounter(sender.lineB());
            }
        }
        final boolean lineASent = !sender.isConnected() || sent(senderPositionCounterId, sender.publication());
        final boolean lineBSent = sender.lineB() == null || !sender.lineB().isConnected() ||
            lineBSenderPositionCounterId == CountersReader.NULL_COUNTER_ID ||
            sent(lineBSenderPositionCounterId, sender.lineB());
        if (lineASent && lineBSent || nowNanos >= deadlineNanos)
        {
            return beginLinger(nowNanos);
        }
        return 0;
    }

    /** Whether the media driver has sent everything offered on {@code publication}. */
    private boolean sent(final int senderPositionCounterId, final Publication publication)
    {
        return counters.getCounterValue(senderPositionCounterId) >= publication.position();
    }

    private int beginLinger(final long nowNanos)
    {
        if (cutShort)
        {
            phase = Phase.DONE;
            return 1;
        }
        deadlineNanos = nowNanos + context.lingerNanos();
        replayDrainDeadlineNanos = nowNanos + Math.max(context.lingerNanos(), context.replayDrainTimeoutNanos());
        lastReplayBusyNanos = activeReplaySessions.getAsInt() > 0 ? nowNanos : nowNanos - context.lingerNanos();
        phase = Phase.LINGERING;
        return 1;
    }

    private int linger(final long nowNanos, final long lastSequence)
    {
        final boolean replaying = activeReplaySessions.getAsInt() > 0;
        if (replaying)
        {
            lastReplayBusyNanos = nowNanos;
        }
        // A subscriber that finished one catch-up may stall again and need another a few seconds
        // later: the linger runs from the last moment replay was busy, bounded by the drain timeout.
        final boolean quiet = !replaying && nowNanos - lastReplayBusyNanos >= context.lingerNanos();
        if ((nowNanos >= deadlineNanos && quiet) || nowNanos >= replayDrainDeadlineNanos)
        {
            phase = Phase.DONE;
            return 1;
        }
        if (sender.quietFor(nowNanos, FINAL_HEARTBEAT_INTERVAL_NANOS))
        {
            sender.sendHeartbeat(nowNanos, lastSequence, FeedState.ENDED);
            return 1;
        }
        return 0;
    }

    private int findSenderPositionCounter(final Publication publication)
    {
        final long registrationId = publication.originalRegistrationId();
        final int[] found = {CountersReader.NULL_COUNTER_ID};
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (typeId == AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID && keyBuffer.getLong(0) == registrationId)
            {
                found[0] = counterId;
            }
        });
        return found[0];
    }
}
