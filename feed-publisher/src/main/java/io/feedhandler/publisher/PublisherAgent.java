package io.feedhandler.publisher;

import io.aeron.AeronCounters;
import io.aeron.Publication;
import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.Instrument;
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

import java.util.List;
import java.util.function.IntSupplier;
import java.util.concurrent.TimeUnit;

/**
 * The publisher's duty cycle: take the ticks that are due from the source, give each the next
 * sequence, encode it once, append it to the journal (write-ahead: a tick is replayable before
 * anyone can see it live), then offer the same bytes to the live stream.
 * <p>
 * A live offer that meets back-pressure is retried on the next duty cycle before any new tick, so
 * the live stream never skips a sequence the publisher could still send. An offer with no
 * subscriber connected is not retried: the tick is in the journal, which is where a late subscriber
 * gets it. Heartbeats carry the last sequence when the feed is quiet; instrument definitions are
 * repeated for subscribers that join late.
 * <p>
 * A tick the journal refuses (its disk is down to the reserve, or an append failed) is handled by
 * the {@link JournalFullPolicy}: {@code stop} holds it, sequenced and encoded, and sends nothing new
 * (heartbeats go on) until the journal takes it; {@code live-only} records it as not journaled and
 * sends it. Both come back to journaling by themselves when a sample finds space again; the hot
 * path only reads the writer's budget, and logging is left to {@link #journalState()} watchers.
 */
public final class PublisherAgent implements Agent
{
    /** Where the publisher is in its life; each state's work is in {@link #doWork()}. */
    public enum State
    {
        AWAITING_SUBSCRIBER, PUBLISHING, DRAINING, LINGERING, DONE
    }

    /** Whether ticks are journaled as they are sent. */
    public enum JournalState
    {
        /** Every tick is journaled before it is sent. */
        JOURNALING,
        /** Policy stop: the journal is full; nothing new is sent until it takes the held tick. */
        STOPPED,
        /** Policy live-only: ticks are sent and recorded as not journaled. */
        LIVE_ONLY
    }

    private static final int MAX_TICKS_PER_DUTY_CYCLE = 256;
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long FINAL_HEARTBEAT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PublisherContext context;
    private final Publication publication;
    private final JournalWriter journal;
    private final CountersReader counters;
    private final NanoClock nanoClock;
    private final EpochNanoClock epochClock;
    private final TickSource source;
    private final TickSchedule schedule;
    private final List<Instrument> instruments;
    private final FeedEncoder encoder = new FeedEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 64));
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 64));
    private final MutableQuote quote = new MutableQuote();
    private final QuoteDigest digest = new QuoteDigest();
    private final long firstSequence;
    private final IntSupplier activeReplaySessions;

    private volatile boolean stopRequested;
    private volatile State state = State.AWAITING_SUBSCRIBER;
    private long lastSequence;
    private int pendingLength;
    private boolean pendingBackPressured;
    private long createdNanos;
    private long startNanos;
    private long endNanos;
    private long lastSendNanos;
    private long nextDefinitionsNanos;
    private long stateDeadlineNanos;
    private long replayDrainDeadlineNanos;
    private long lastReplayBusyNanos;
    private int senderPositionCounterId = CountersReader.NULL_COUNTER_ID;
    private volatile JournalState journalState = JournalState.JOURNALING;
    private int heldLength;
    private volatile long journalFullEvents;
    private volatile long journalFullSequence;
    private volatile JournalState journalFullState = JournalState.JOURNALING;

    private long published;
    private long backPressured;
    private long notConnected;
    private long heartbeats;
    private long notJournaled;
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
        this.activeReplaySessions = activeReplaySessions;
        this.context = context;
        this.publication = publication;
        this.journal = journal;
        this.counters = counters;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.source = context.source();
        this.schedule = context.schedule();
        this.instruments = source.instruments();
        this.lastSequence = lastJournaledSequence;
        this.firstSequence = lastJournaledSequence + 1;
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
                return drain(now);
            case LINGERING:
                return linger(now);
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
        if (!publication.isConnected() && now - createdNanos < context.connectTimeoutNanos() && !stopRequested)
        {
            return 0;
        }
        startNanos = now;
        schedule.start(now);
        sendDefinitions();
        nextDefinitionsNanos = now + context.definitionsIntervalNanos();
        lastSendNanos = now;
        state = State.PUBLISHING;
        return 1;
    }

    private int publish(final long now)
    {
        int work = 0;
        if (pendingLength > 0)
        {
            if (!offerPending())
            {
                return 0;
            }
            work++;
        }
        if (heldLength > 0)
        {
            if (!journalHeld(now))
            {
                if (limitReached(now))
                {
                    heldLength = 0; // never sent, never journaled: it was not published
                    beginDrain(now);
                    work++;
                }
                return work;
            }
            work++;
            if (!offerPending())
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
                beginDrain(now);
                break;
            }
            final long due = schedule.dueNanos(published);
            if (due > now)
            {
                break;
            }
            if (!source.next(quote, epochAtNow))
            {
                beginDrain(now);
                break;
            }
            quote.sequence = lastSequence + 1;
            // Stamp the due time, not the time we got to it: downstream latency then counts any delay here.
            // Unthrottled ticks are due whenever they are sent.
            quote.sendTimestamp = schedule.rate() == 0 ? epochAtNow : epochAtNow - (now - due);
            final int length = encoder.encodeQuote(buffer, 0, quote);
            if (!journal(length))
            {
                heldLength = length; // policy stop: this tick waits for the journal, nothing after it goes
                break;
            }
            sent(now, length);
            work++;
            if (!offerPending())
            {
                break;
            }
        }
        return work;
    }

    /** The tick in {@link #quote} / {@link #buffer} is published: count it, then offer it. */
    private void sent(final long now, final int length)
    {
        lastSequence = quote.sequence;
        published++;
        digest.update(quote);
        lastSendNanos = now;
        pendingLength = length;
    }

    /**
     * Journal the encoded tick, or deal with a journal that will not take it.
     *
     * @return true when the tick may go live: journaled, or (live-only) recorded as not journaled.
     */
    private boolean journal(final int length)
    {
        final long sequence = quote.sequence;
        if (journalState == JournalState.JOURNALING)
        {
            return journal.append(buffer, 0, length) || onJournalFull(sequence);
        }
        // LIVE_ONLY (STOPPED holds its tick and never gets here).
        if (journal.canResume() && journal.append(buffer, 0, length))
        {
            journalState = JournalState.JOURNALING;
            return true;
        }
        if (journal.recordNotJournaled(sequence))
        {
            notJournaled++;
            return true;
        }
        // The ranges file is full: what cannot be recorded is not sent.
        journalFullSequence = sequence;
        journalState = JournalState.STOPPED;
        return false;
    }

    private boolean onJournalFull(final long sequence)
    {
        final boolean liveOnly =
            context.journalFullPolicy() == JournalFullPolicy.LIVE_ONLY && journal.recordNotJournaled(sequence);
        journalFullSequence = sequence;
        journalFullState = liveOnly ? JournalState.LIVE_ONLY : JournalState.STOPPED;
        journalFullEvents++;
        journalState = journalFullState;
        if (liveOnly)
        {
            notJournaled++;
        }
        return liveOnly;
    }

    /** Policy stop: journal the held tick once there is room; then it is published. */
    private boolean journalHeld(final long now)
    {
        if (!journal.canResume() || !journal.append(buffer, 0, heldLength))
        {
            return false;
        }
        journalState = JournalState.JOURNALING;
        sent(now, heldLength);
        heldLength = 0;
        return true;
    }

    private boolean limitReached(final long now)
    {
        return stopRequested ||
            (context.count() > 0 && published >= context.count()) ||
            (context.durationNanos() > 0 && now - startNanos >= context.durationNanos());
    }

    /** @return true when the pending tick is dealt with (sent, or left to the journal). */
    private boolean offerPending()
    {
        final long result = publication.offer(buffer, 0, pendingLength);
        if (result > 0)
        {
            pendingLength = 0;
            pendingBackPressured = false;
            return true;
        }
        if (result == Publication.NOT_CONNECTED)
        {
            notConnected++;
            pendingLength = 0;
            pendingBackPressured = false;
            return true;
        }
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            if (!pendingBackPressured)
            {
                backPressured++;
                pendingBackPressured = true;
            }
            return false;
        }
        throw new IllegalStateException("live stream failed: " + Publication.errorString(result));
    }

    private int housekeeping(final long now)
    {
        int work = 0;
        if (now - lastSendNanos >= context.heartbeatIntervalNanos())
        {
            sendHeartbeat(FeedState.LIVE);
            lastSendNanos = now;
            work++;
        }
        if (now >= nextDefinitionsNanos)
        {
            sendDefinitions();
            nextDefinitionsNanos = now + context.definitionsIntervalNanos();
            work++;
        }
        return work;
    }

    private void beginDrain(final long now)
    {
        endNanos = now;
        stateDeadlineNanos = now + DRAIN_TIMEOUT_NANOS;
        state = State.DRAINING;
    }

    private int drain(final long now)
    {
        if (pendingLength > 0 && !offerPending() && now < stateDeadlineNanos)
        {
            return 0;
        }
        pendingLength = 0;
        if (senderPositionCounterId == CountersReader.NULL_COUNTER_ID)
        {
            sendHeartbeat(FeedState.ENDED);
            lastSendNanos = now;
            senderPositionCounterId = findSenderPositionCounter();
            if (senderPositionCounterId == CountersReader.NULL_COUNTER_ID)
            {
                return beginLinger(now);
            }
        }
        final long sent = counters.getCounterValue(senderPositionCounterId);
        if (sent >= publication.position() || now >= stateDeadlineNanos || !publication.isConnected())
        {
            return beginLinger(now);
        }
        return 0;
    }

    private int beginLinger(final long now)
    {
        stateDeadlineNanos = now + context.lingerNanos();
        replayDrainDeadlineNanos = now + Math.max(context.lingerNanos(), context.replayDrainTimeoutNanos());
        lastReplayBusyNanos = activeReplaySessions.getAsInt() > 0 ? now : now - context.lingerNanos();
        state = State.LINGERING;
        return 1;
    }

    /**
     * Keep the stream open a little for receivers' retransmit requests, repeating the end mark, and
     * while replay sessions are still catching subscribers up (bounded), so they can finish: the
     * end mark is what tells a caught-up subscriber it has everything.
     */
    private int linger(final long now)
    {
        final boolean replaying = activeReplaySessions.getAsInt() > 0;
        if (replaying)
        {
            lastReplayBusyNanos = now;
        }
        // A subscriber that finished one catch-up may stall again and need another a few seconds
        // later: the linger runs from the last moment replay was busy, bounded by the drain timeout.
        final boolean quiet = !replaying && now - lastReplayBusyNanos >= context.lingerNanos();
        if ((now >= stateDeadlineNanos && quiet) || now >= replayDrainDeadlineNanos)
        {
            state = State.DONE;
            return 1;
        }
        if (now - lastSendNanos >= FINAL_HEARTBEAT_INTERVAL_NANOS)
        {
            sendHeartbeat(FeedState.ENDED);
            lastSendNanos = now;
            return 1;
        }
        return 0;
    }

    private int findSenderPositionCounter()
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

    private void sendHeartbeat(final FeedState feedState)
    {
        final int length = encoder.encodeHeartbeat(controlBuffer, 0, lastSequence, epochClock.nanoTime(), feedState);
        if (publication.offer(controlBuffer, 0, length) > 0)
        {
            heartbeats++;
        }
    }

    private void updateLiveCounters()
    {
        final FeedCounters c = liveCounters;
        c.set(FeedCounter.PUBLISHED, published);
        c.set(FeedCounter.PUBLISHER_LAST_SEQUENCE, lastSequence);
        c.set(FeedCounter.BACK_PRESSURED, backPressured);
        c.set(FeedCounter.NOT_CONNECTED, notConnected);
        c.set(FeedCounter.PUBLISHER_STATE, state.ordinal());
        c.set(FeedCounter.JOURNAL_FULL, journalFullEvents);
        c.set(FeedCounter.NOT_JOURNALED, notJournaled);
        c.set(FeedCounter.JOURNAL_STATE, journalState.ordinal());
    }

    private void sendDefinitions()
    {
        final List<Instrument> instruments = this.instruments;
        for (int i = 0, size = instruments.size(); i < size; i++)
        {
            final int length = encoder.encodeInstrument(controlBuffer, 0, instruments.get(i));
            publication.offer(controlBuffer, 0, length);
        }
    }

    public State state()
    {
        return state;
    }

    /** Whether ticks are being journaled now; written only when it changes. */
    public JournalState journalState()
    {
        return journalState;
    }

    /** Times the journal refused a tick (disk down to the reserve, or an append failed). */
    public long journalFullEvents()
    {
        return journalFullEvents;
    }

    /** What the latest episode turned to: STOPPED or LIVE_ONLY (JOURNALING before any). */
    public JournalState journalFullState()
    {
        return journalFullState;
    }

    /** First sequence the journal refused in the latest episode, 0 if none. */
    public long journalFullSequence()
    {
        return journalFullSequence;
    }

    /** Ticks published in this run so far. */
    public long publishedCount()
    {
        return published;
    }

    /** The counters as one line while running; each number recent, not a consistent snapshot. */
    public String progress()
    {
        return "published=" + published + " lastSeq=" + lastSequence + " state=" + state + " backPressured=" +
            backPressured + " notConnected=" + notConnected + " journal=" + journalState + " journalFull=" +
            journalFullEvents + " notJournaled=" + notJournaled;
    }

    /** A snapshot for the summary; exact once the agent has stopped. */
    public PublisherStats stats()
    {
        final long end = state == State.DRAINING || state == State.LINGERING || state == State.DONE ?
            endNanos : nanoClock.nanoTime();
        return new PublisherStats(
            published, published == 0 ? 0 : firstSequence, published == 0 ? 0 : lastSequence, lastSequence,
            backPressured, notConnected, heartbeats, digest.value(),
            startNanos == 0 ? 0 : Math.max(0, end - startNanos), journalFullEvents, notJournaled, journalState.name());
    }
}
