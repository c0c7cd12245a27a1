package io.feedhandler.publisher;

import io.aeron.Publication;
import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.sbe.FeedState;
import io.feedhandler.transport.FeedCounters;
import io.feedhandler.transport.RunLimit;
import org.agrona.BufferUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.util.function.IntSupplier;

/**
 * The publisher's duty cycle: take the ticks that are due from the source, give each the next
 * sequence, encode it once, pass it through the {@link JournalGate} (write-ahead: a tick is
 * replayable before anyone can see it live), then hand the same bytes to the {@link LiveSender}.
 * After the last tick, {@link EndOfRun} drains and lingers.
 */
public final class PublisherAgent implements Agent
{
    /** Where the publisher is in its life; each state's work is in {@link #doWork()}. */
    public enum State
    {
        AWAITING_SUBSCRIBER, PUBLISHING, DRAINING, LINGERING, DONE
    }

    private static final int MAX_TICKS_PER_DUTY_CYCLE = 256;

    private final PublisherContext context;
    private final NanoClock nanoClock;
    private final EpochNanoClock epochClock;
    private final TickSource source;
    private final TickSchedule schedule;
    private final FeedEncoder encoder = new FeedEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 64));
    private final MutableQuote quote = new MutableQuote();
    private final JournalGate journal;
    private final LiveSender live;
    private final EndOfRun endOfRun;
    private final PublisherMetrics metrics;

    private final RunLimit limit;
    private volatile State state = State.AWAITING_SUBSCRIBER;
    /** The last sequence given out on the journal (earlier runs included): the next tick gets the one after. */
    private long lastSeq;
    private long createdNanos;
    private long endNanos;
    private long nextDefinitionsNanos;
    private FeedCounters liveCounters;

    public PublisherAgent(
        final PublisherContext context,
        final Publication publication,
        final JournalWriter journal,
        final long lastJournaledSequence,
        final CountersReader counters,
        final NanoClock nanoClock,
        final EpochNanoClock epochClock,
        final IntSupplier activeReplaySessions)
    {
        this.context = context;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.source = context.source();
        this.schedule = context.schedule();
        this.journal = new JournalGate(journal, context.journalFullPolicy());
        this.live = new LiveSender(publication, buffer, epochClock, source.instruments());
        this.endOfRun = new EndOfRun(context, live, counters, activeReplaySessions);
        this.metrics = new PublisherMetrics(live, this.journal);
        this.limit = new RunLimit(context.count(), context.durationNanos());
        this.lastSeq = lastJournaledSequence;
    }

    public String roleName()
    {
        return "feed-publisher";
    }

    /** Show this agent's counters live in the driver's CnC file; set before the agent starts. */
    public PublisherAgent liveCounters(final FeedCounters liveCounters)
    {
        this.liveCounters = liveCounters;
        return this;
    }

    public void onStart()
    {
        journal.warm();
        createdNanos = nanoClock.nanoTime();
    }

    public int doWork()
    {
        final long now = nanoClock.nanoTime();
        if (liveCounters != null && liveCounters.due(now))
        {
            metrics.updateLiveCounters(liveCounters, lastSeq, state);
        }
        switch (state)
        {
            case AWAITING_SUBSCRIBER:
                return awaitSubscriber(now);
            case PUBLISHING:
                return publish(now) + housekeeping(now);
            case DRAINING:
            case LINGERING:
                final int work = endOfRun.doWork(now, lastSeq);
                state = endOfRun.phase() == EndOfRun.Phase.DRAINING ? State.DRAINING :
                    endOfRun.phase() == EndOfRun.Phase.LINGERING ? State.LINGERING : State.DONE;
                return work;
            default:
                throw new AgentTerminationException();
        }
    }

    /** Ask the publisher to finish: send what is pending, announce the end, and stop. */
    public void requestStop()
    {
        limit.requestStop();
    }

    private int awaitSubscriber(final long now)
    {
        if (!live.isConnected() && now - createdNanos < context.connectTimeoutNanos() && !limit.stopRequested())
        {
            return 0;
        }
        limit.start(now);
        schedule.start(now);
        live.sendDefinitions();
        nextDefinitionsNanos = now + context.definitionsIntervalNanos();
        live.startQuietClock(now);
        state = State.PUBLISHING;
        return 1;
    }

    private int publish(final long now)
    {
        int work = 0;
        if (live.hasPending())
        {
            if (!live.retryPending())
            {
                return 0;
            }
            work++;
        }
        if (journal.isHolding())
        {
            final int length = journal.releaseHeld(buffer);
            if (length == 0)
            {
                if (limit.reached(now, metrics.published()))
                {
                    journal.dropHeld(); // never sent, never journaled: it was not published
                    beginEndOfRun(now);
                    work++;
                }
                return work;
            }
            work++;
            if (!sent(now, length))
            {
                return work;
            }
        }

        // The wall clock read once per duty cycle, beside 'now', maps due times to epoch time. Mapping
        // afresh each cycle keeps stamps true to the wall clock that subscribers read, however far
        // the monotonic clock drifts from it over a long run.
        final long epochAtNow = epochClock.nanoTime();
        while (work < MAX_TICKS_PER_DUTY_CYCLE)
        {
            if (limit.reached(now, metrics.published()))
            {
                beginEndOfRun(now);
                break;
            }
            final long due = schedule.dueNanos(metrics.published());
            if (due > now)
            {
                break;
            }
            if (!source.next(quote, epochAtNow))
            {
                beginEndOfRun(now);
                break;
            }
            quote.sequence = lastSeq + 1;
            // Stamp the due time, not the time we got to it: downstream latency then counts any delay here.
            // Unthrottled ticks are due whenever they are sent.
            quote.sendTimestamp = schedule.rate() == 0 ? epochAtNow : epochAtNow - (now - due);
            final int length = encoder.encodeQuote(buffer, 0, quote);
            if (!journal.admit(buffer, length, quote.sequence))
            {
                break; // held (policy stop): nothing after it goes until the journal takes it
            }
            work++;
            if (!sent(now, length))
            {
                break;
            }
        }
        return work;
    }

    /**
     * The tick in {@link #quote} / {@link #buffer} is published: count it, then send it.
     *
     * @return false when its send is pending under back-pressure.
     */
    private boolean sent(final long now, final int length)
    {
        lastSeq = quote.sequence;
        metrics.published(quote);
        return live.send(now, length);
    }

    private int housekeeping(final long now)
    {
        int work = 0;
        if (live.quietFor(now, context.heartbeatIntervalNanos()))
        {
            live.sendHeartbeat(now, lastSeq, FeedState.LIVE);
            work++;
        }
        if (now >= nextDefinitionsNanos)
        {
            live.sendDefinitions();
            nextDefinitionsNanos = now + context.definitionsIntervalNanos();
            work++;
        }
        return work;
    }

    private void beginEndOfRun(final long now)
    {
        endNanos = now;
        endOfRun.begin(now);
        state = State.DRAINING;
    }

    public State state()
    {
        return state;
    }

    /** The journal's gate: its state and episodes, for the thread that watches it (and tests). */
    JournalGate journalGate()
    {
        return journal;
    }

    /** Ticks published in this run so far. */
    public long publishedCount()
    {
        return metrics.published();
    }

    /** The counters as one line while running; each number recent, not a consistent snapshot. */
    public String progress()
    {
        return metrics.progress(lastSeq, state);
    }

    /** A snapshot for the summary; exact once the agent has stopped. */
    public PublisherStats stats()
    {
        final long end = state == State.DRAINING || state == State.LINGERING || state == State.DONE ?
            endNanos : nanoClock.nanoTime();
        return metrics.stats(lastSeq, state == State.AWAITING_SUBSCRIBER ? 0 : Math.max(0, end - limit.startNanos()));
    }
}
