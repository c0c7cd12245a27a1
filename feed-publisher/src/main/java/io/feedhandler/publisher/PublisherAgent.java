package io.feedhandler.publisher;

import io.aeron.Publication;
import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.sbe.FeedState;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
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
    private final QuoteDigest digest = new QuoteDigest();
    private final JournalGate journal;
    private final LiveSender live;
    private final EndOfRun endOfRun;
    private final long firstSeq;

    private volatile boolean stopRequested;
    private volatile State state = State.AWAITING_SUBSCRIBER;
    private long lastSeq;
    private long createdNanos;
    private long startNanos;
    private long endNanos;
    private long nextDefinitionsNanos;
    private long published;
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
        this.lastSeq = lastJournaledSequence;
        this.firstSeq = lastJournaledSequence + 1;
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
            updateLiveCounters();
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
        stopRequested = true;
    }

    private int awaitSubscriber(final long now)
    {
        if (!live.isConnected() && now - createdNanos < context.connectTimeoutNanos() && !stopRequested)
        {
            return 0;
        }
        startNanos = now;
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
                if (limitReached(now))
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
            if (limitReached(now))
            {
                beginEndOfRun(now);
                break;
            }
            final long due = schedule.dueNanos(published);
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
        published++;
        digest.update(quote);
        return live.send(now, length);
    }

    private boolean limitReached(final long now)
    {
        return stopRequested ||
            (context.count() > 0 && published >= context.count()) ||
            (context.durationNanos() > 0 && now - startNanos >= context.durationNanos());
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

    private void updateLiveCounters()
    {
        final FeedCounters c = liveCounters;
        c.set(FeedCounter.PUBLISHED, published);
        c.set(FeedCounter.PUBLISHER_LAST_SEQUENCE, lastSeq);
        c.set(FeedCounter.BACK_PRESSURED, live.backPressured());
        c.set(FeedCounter.NOT_CONNECTED, live.notConnected());
        c.set(FeedCounter.PUBLISHER_STATE, state.ordinal());
        c.set(FeedCounter.JOURNAL_FULL, journal.fullEvents());
        c.set(FeedCounter.NOT_JOURNALED, journal.notJournaled());
        c.set(FeedCounter.JOURNAL_STATE, journal.state().ordinal());
    }

    public State state()
    {
        return state;
    }

    /** Whether ticks are being journaled now; written only when it changes. */
    public JournalState journalState()
    {
        return journal.state();
    }

    /** Times the journal refused a tick (disk down to the reserve, or an append failed). */
    public long journalFullEvents()
    {
        return journal.fullEvents();
    }

    /** First sequence the journal refused in the latest episode, 0 if none. */
    public long journalFullSequence()
    {
        return journal.fullSequence();
    }

    /** The journal's gate, for the thread that watches it. */
    JournalGate journalGate()
    {
        return journal;
    }

    /** Ticks published in this run so far. */
    public long publishedCount()
    {
        return published;
    }

    /** The counters as one line while running; each number recent, not a consistent snapshot. */
    public String progress()
    {
        return "published=" + published + " lastSeq=" + lastSeq + " state=" + state + " backPressured=" +
            live.backPressured() + " notConnected=" + live.notConnected() + " journal=" + journal.state() +
            " journalFull=" + journal.fullEvents() + " notJournaled=" + journal.notJournaled();
    }

    /** A snapshot for the summary; exact once the agent has stopped. */
    public PublisherStats stats()
    {
        final long end = state == State.DRAINING || state == State.LINGERING || state == State.DONE ?
            endNanos : nanoClock.nanoTime();
        return new PublisherStats(
            published, published == 0 ? 0 : firstSeq, published == 0 ? 0 : lastSeq, lastSeq,
            live.backPressured(), live.notConnected(), live.heartbeats(), digest.value(),
            startNanos == 0 ? 0 : Math.max(0, end - startNanos), journal.fullEvents(), journal.notJournaled(),
            journal.state().name());
    }
}
