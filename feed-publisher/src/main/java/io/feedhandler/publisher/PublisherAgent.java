package io.feedhandler.publisher;

import io.aeron.Publication;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.sbe.FeedState;
import io.feedhandler.transport.FeedCounters;
import io.feedhandler.transport.RunLimit;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.util.List;
import java.util.function.IntSupplier;

/**
 * The publisher's duty cycle, natural batching (the LMAX "smart batching" idea): take every tick
 * that is due from the source, up to the batch limit, give each the next sequence and encode them
 * into one {@code QuoteBatch}; pass the batch through the {@link JournalGate} (write-ahead: it is
 * replayable before anyone can see it live), then hand the same bytes to the {@link LiveSender}. At
 * low rates a batch is one tick, so batching adds no latency; at high rates one journal append and
 * one offer carry many ticks. After the last tick, {@link EndOfRun} drains and lingers.
 */
public final class PublisherAgent implements Agent
{
    /** Where the publisher is in its life; each state's work is in {@link #doWork()}. */
    public enum State
    {
        AWAITING_SUBSCRIBER, PUBLISHING, DRAINING, LINGERING, DONE
    }

    private final PublisherContext context;
    private final NanoClock nanoClock;
    private final EpochNanoClock epochClock;
    private final TickSource source;
    private final TickSchedule schedule;
    private final long epoch;
    private final int maxBatchTicks;
    private final UnsafeBuffer buffer;
    private final QuoteBatchWriter batch = new QuoteBatchWriter();
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

    /**
     * @param lineB       the B line ({@code --b-channel}): the same bytes, best effort; null for none.
     * @param epoch       the stream's epoch (the journal's identity), carried by every batch and heartbeat.
     * @param definitions the instrument definitions in force, repeated on the live stream for late joiners.
     */
    public PublisherAgent(
        final PublisherContext context,
        final Publication publication,
        final Publication lineB,
        final JournalWriter journal,
        final long lastJournaledSequence,
        final long epoch,
        final List<InstrumentHistory.Definition> definitions,
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
        this.epoch = epoch;
        this.maxBatchTicks = context.maxBatchTicks();
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            BitUtil.align(QuoteBatchWriter.length(maxBatchTicks), 64), 64));
        this.journal = new JournalGate(journal, context.journalFullPolicy());
        this.live = new LiveSender(publication, lineB, buffer, epochClock, epoch, definitions);
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
                final int published = publish(now) + housekeeping(now);
                if (published == 0)
                {
                    journal.touchAhead(); // nothing due: the next page's fault is paid now, not by a tick
                }
                return published;
            case DRAINING:
            case LINGERING:
                if (limit.stopRequested())
                {
                    endOfRun.cutShort(now); // SIGINT/SIGTERM: a short drain, no linger
                }
                final int work = endOfRun.doWork(now, lastSeq);
                state = endOfRun.phase() == EndOfRun.Phase.DRAINING ? State.DRAINING :
                    endOfRun.phase() == EndOfRun.Phase.LINGERING ? State.LINGERING : State.DONE;
                return work;
            default:
                throw new AgentTerminationException();
        }
    }

    /**
     * Ask the publisher to finish: send what is pending (for at most {@link EndOfRun#STOP_DRAIN_NANOS}),
     * announce the end, and stop, without lingering.
     */
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
        if (live.hasPending())
        {
            return live.retryPending() ? 1 : 0; // nothing new goes before it
        }
        if (journal.isHolding())
        {
            final int length = journal.releaseHeld(buffer);
            if (length > 0)
            {
                published(now, length);
                return 1;
            }
            if (limit.reached(now, metrics.published()))
            {
                journal.dropHeld(); // never sent, never journaled: it was not published
                beginEndOfRun(now);
                return 1;
            }
            return 0;
        }

        // The wall clock read once per duty cycle, beside 'now', maps due times to epoch time. Mapping
        // afresh each cycle keeps stamps true to the wall clock that subscribers read, however far
        // the monotonic clock drifts from it over a long run.
        final long epochAtNow = epochClock.nanoTime();
        final long published = metrics.published();
        final QuoteBatchWriter batch = this.batch.wrap(buffer, 0, epoch, lastSeq + 1);
        boolean ending = false;
        while (batch.count() < maxBatchTicks)
        {
            if (limit.reached(now, published + batch.count()))
            {
                ending = true;
                break;
            }
            final long due = schedule.dueNanos(published + batch.count());
            if (due > now)
            {
                break;
            }
            // Stamp the due time, not the time we got to it: downstream latency then counts any delay here.
            // Unthrottled ticks are due whenever they are sent.
            final long sendTimestamp = schedule.rate() == 0 ? epochAtNow : epochAtNow - (now - due);
            // A source without timestamps of its own stamps the exchange time before this publish time.
            if (!source.next(quote, sendTimestamp))
            {
                ending = true;
                break;
            }
            quote.sequence = batch.lastSequence() + 1;
            quote.sendTimestamp = sendTimestamp;
            batch.add(quote);
        }
        int work = 0;
        if (batch.count() > 0)
        {
            work++;
            if (journal.admit(buffer, batch.length(), batch.firstSequence(), batch.lastSequence()))
            {
                published(now, batch.length());
            }
            else
            {
                return work; // held (policy stop): nothing after it goes; heartbeats still show the last one sent
            }
        }
        if (ending)
        {
            beginEndOfRun(now);
            work++;
        }
        return work;
    }

    /** The batch in {@link #buffer} is journaled (or recorded as not): count it, then send it. */
    private void published(final long now, final int length)
    {
        lastSeq = QuoteBatchWriter.firstSequence(buffer, 0) + QuoteBatchWriter.count(buffer, 0) - 1;
        metrics.published(buffer, 0);
        live.send(now, length, QuoteBatchWriter.count(buffer, 0)); // under back-pressure it stays pending, first next time
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
