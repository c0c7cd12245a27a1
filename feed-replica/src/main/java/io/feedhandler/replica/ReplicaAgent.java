package io.feedhandler.replica;

import io.feedhandler.journal.ReplicaState;
import io.feedhandler.subscriber.SubscriberAgent;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;

/**
 * The replica's duty cycle: the subscriber's (live, recovery from the upstream, delivery into the
 * {@link ReplicaJournal}), then the journal's flush, so a batch holds what one cycle delivered, then,
 * every state interval, where the replica stands ({@code replica.state}, the live counters). A journal
 * that failed stops the subscriber: the run ends, and the last flush happens on close.
 */
final class ReplicaAgent implements Agent
{
    private final SubscriberAgent subscriber;
    private final ReplicaJournal journal;
    private final ReplicaState state;
    private final FeedCounters counters;
    private final NanoClock nanoClock;
    private final EpochNanoClock epochClock;
    private final long stateIntervalNanos;
    private long nextStateNanos;
    private boolean stopAsked;
    private volatile long upstreamHead;

    /** @param counters the replica's live counters; null for none (tests). */
    ReplicaAgent(
        final SubscriberAgent subscriber, final ReplicaJournal journal, final ReplicaState state,
        final FeedCounters counters, final NanoClock nanoClock, final EpochNanoClock epochClock,
        final long stateIntervalNanos)
    {
        this.subscriber = subscriber;
        this.journal = journal;
        this.state = state;
        this.counters = counters;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.stateIntervalNanos = stateIntervalNanos;
    }

    public String roleName()
    {
        return "feed-replica";
    }

    public void onStart()
    {
        subscriber.onStart();
        writeState(nanoClock.nanoTime(), null);
    }

    public int doWork()
    {
        int work = subscriber.doWork(); // ends the run (AgentTerminationException) once it is done
        work += journal.flush();
        if (journal.state() == ReplicaJournal.State.FAILED && !stopAsked)
        {
            stopAsked = true;
            subscriber.requestStop();
        }
        final long now = nanoClock.nanoTime();
        if (now - nextStateNanos >= 0)
        {
            writeState(now, null);
            work++;
        }
        return work;
    }

    private void writeState(final long nowNanos, final ReplicaState.State ending)
    {
        nextStateNanos = nowNanos + stateIntervalNanos;
        final long last = journal.lastSequence();
        final long head = Math.max(subscriber.upstreamHead(), last);
        upstreamHead = head;
        state.update(head, last, epochClock.nanoTime() / 1_000_000, ending != null ? ending : standing());
        if (counters != null)
        {
            counters.set(FeedCounter.REPLICA_LAST_SEQUENCE, last);
            counters.set(FeedCounter.REPLICA_UPSTREAM_HEAD, head);
            counters.set(FeedCounter.REPLICA_TRAILS, head - last);
            counters.set(FeedCounter.REPLICA_APPENDED, journal.appendedTicks);
        }
    }

    private ReplicaState.State standing()
    {
        switch (journal.state())
        {
            case AWAITING_EPOCH:
                return ReplicaState.State.AWAITING_UPSTREAM;
            case FAILED:
                return ReplicaState.State.FAILED;
            default:
                return ReplicaState.State.FOLLOWING;
        }
    }

    /** The upstream's head as of the last state write; may be read from any thread. */
    long upstreamHead()
    {
        return upstreamHead;
    }

    public void onClose()
    {
        journal.flush(); // what the last duty cycle delivered
        final boolean failed = journal.state() == ReplicaJournal.State.FAILED || subscriber.failure() != null ||
            subscriber.refusal() != null;
        writeState(nanoClock.nanoTime(), failed ? ReplicaState.State.FAILED : ReplicaState.State.STOPPED);
        subscriber.onClose();
    }
}
