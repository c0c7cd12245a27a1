package io.feedhandler.replay.server;

import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.replay.ReplayMessages;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.feedhandler.journal.InstrumentFilter;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalBook;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
import io.feedhandler.journal.JournalException;
import io.feedhandler.journal.NotJournaledRanges;
import io.feedhandler.sbe.FilteredReplayRequestDecoder;
import io.feedhandler.sbe.MessageHeaderDecoder;
import io.feedhandler.sbe.ReplayErrorCode;
import io.feedhandler.sbe.ReplayRequestDecoder;
import io.feedhandler.sbe.ReplayStopDecoder;
import io.feedhandler.sbe.SnapshotRequestDecoder;
import io.feedhandler.transport.FeedChannels;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The replay server's duty cycle: take requests from the control channel, check each against the
 * journal, then give every session a turn of at most {@code maxBatch} ticks, starting
 * with a different session each cycle, so concurrent sessions progress at the same pace and one
 * cycle's work is bounded. A bad request is answered with an error naming the reason (when its
 * response channel can be reached) and counted; the server keeps serving the others.
 * <p>
 * A requester (the Aeron image its requests arrive on: one control publication of one client) that
 * asks more often than {@code maxRequestsPerSecond} is refused with TOO_MANY_REQUESTS, told once a
 * second at most; what it sends past that is dropped unanswered, before its response channel is even
 * read, so a flood costs little.
 */
public final class ReplayServerAgent implements Agent
{
    /** Control messages taken per duty cycle: bounds what a request storm adds to one cycle. */
    static final int CONTROL_POLL_LIMIT = 16;

    private final ReplayServerContext context;
    private final Aeron aeron;
    private final Journal journal;
    private final LongSupplier firstSequence;
    private final LongSupplier lastSequence;
    private final NanoClock clock;
    private final ReplayMessages messages = new ReplayMessages();
    private final ReplayServerCounters counters = new ReplayServerCounters();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ReplayRequestDecoder requestDecoder = new ReplayRequestDecoder();
    private final ReplayStopDecoder stopDecoder = new ReplayStopDecoder();
    private final SnapshotRequestDecoder snapshotDecoder = new SnapshotRequestDecoder();
    private final FilteredReplayRequestDecoder filteredDecoder = new FilteredReplayRequestDecoder();
    private final FragmentHandler controlHandler = new FragmentAssembler(this::onControlFragment);
    private final List<Session> sessions = new ArrayList<>();
    private final SessionFactory sessionFactory;
    private final RequesterRateLimit rateLimit;
    private final String tooManyRequestsMessage;
    private Subscription control;
    private int nextTurn;
    private ReplayErrorCode refusalCode;
    private long refusalFirst;
    private long refusalLast;
    private volatile int activeSessionCount;
    private long tokens;
    private long lastRefillNanos;
    private long nowNanos;
    private FeedCounters liveCounters;
    private boolean journalBoundsRead;
    private long journalFirst;
    private long journalLast;
    private long journalHead;
    private long journalHeadReadNanos;
    private boolean journalHeadRead;
    private final LongSupplier journalHeadSupplier = this::journalHead;
    /** The latest quote of every instrument, kept current by tailing the journal: what snapshots are taken from. */
    private JournalBook book;
    /** What a snapshot session waiting for the book reads: the book as it is then, null once it failed. */
    private final Supplier<JournalBook> currentBook = () -> book;
    private String bookFailure;
    private long bookIdleSinceNanos = Long.MIN_VALUE;

    public ReplayServerAgent(
        final ReplayServerContext context, final Aeron aeron, final Journal journal, final NanoClock clock)
    {
        // Sequences sent live-only count as issued: a request may start right after them.
        this(context, aeron, journal, journal::firstSequence, journal::lastIssuedSequence, clock, null);
    }

    /**
     * A server with no network and no journal (the fuzz tests): requests are checked against the
     * sequences the suppliers give, sessions come from {@code sessionFactory}, and control messages
     * are handed to {@link #onControlMessage}.
     */
    ReplayServerAgent(
        final ReplayServerContext context, final LongSupplier firstSequence, final LongSupplier lastSequence,
        final NanoClock clock, final SessionFactory sessionFactory)
    {
        this(context, null, null, firstSequence, lastSequence, clock, sessionFactory);
    }

    private ReplayServerAgent(
        final ReplayServerContext context, final Aeron aeron, final Journal journal,
        final LongSupplier firstSequence, final LongSupplier lastSequence, final NanoClock clock,
        final SessionFactory sessionFactory)
    {
        this.context = context;
        this.aeron = aeron;
        this.journal = journal;
        this.firstSequence = firstSequence;
        this.lastSequence = lastSequence;
        this.clock = clock;
        this.sessionFactory = sessionFactory != null ? sessionFactory : new AeronSessions();
        this.rateLimit = new RequesterRateLimit(context.maxRequestsPerSecond(), context.requesterCapacity());
        this.tooManyRequestsMessage = "more than " + context.maxRequestsPerSecond() +
            " requests a second from this requester; slow down";
    }

    public String roleName()
    {
        return "feed-replay-server";
    }

    /** Show this server's counters live in the driver's CnC file; set before the agent starts. */
    public ReplayServerAgent liveCounters(final FeedCounters liveCounters)
    {
        this.liveCounters = liveCounters;
        return this;
    }

    /**
     * The control subscription, added by the caller before the start: a publisher has the media driver
     * check the replay channel before it touches its journal. Otherwise the agent adds it on start.
     */
    public ReplayServerAgent control(final Subscription control)
    {
        this.control = control;
        return this;
    }

    public void onStart()
    {
        if (aeron != null && control == null)
        {
            control = aeron.addSubscription(context.replayChannel(), context.replayStreamId());
        }
        if (journal != null && context.snapshots())
        {
            book = new JournalBook(journal, context.maxSnapshotInstruments(), 0, null);
        }
    }

    /**
     * Keep the book current: a bounded read of what the journal gained (at start, the whole journal,
     * a turn at a time). A journal that cannot be read stops the book; snapshot requests are then
     * refused with the reason.
     */
    private int followJournal()
    {
        if (book == null || (bookIdleSinceNanos != Long.MIN_VALUE &&
            nowNanos - bookIdleSinceNanos < ReplayConfiguration.BOOK_IDLE_POLL_NANOS))
        {
            return 0; // nothing new at the last look: look again a little later, not every cycle of a spinning server
        }
        try
        {
            final int read = book.poll(ReplayConfiguration.BOOK_ENTRIES_PER_CYCLE);
            bookIdleSinceNanos = read == 0 ? nowNanos : Long.MIN_VALUE;
            return read;
        }
        catch (final JournalException | IllegalStateException | InternalError ex)
        {
            bookFailure = "the server's book could not read the journal: " + ex.getMessage();
            CloseHelper.quietClose(book);
            book = null;
            return 1;
        }
    }

    public int doWork()
    {
        nowNanos = clock.nanoTime();
        journalBoundsRead = false;
        int work = followJournal();
        work += control != null ? control.poll(controlHandler, CONTROL_POLL_LIMIT) : 0;
        final int size = sessions.size();
        if (size > 0)
        {
            refillTokens();
            final int first = nextTurn++ % size;
            for (int i = 0; i < size; i++)
            {
                final Session session = sessions.get((first + i) % size);
                try
                {
                    final int budget = (int)Math.min(context.maxBatch(), tokens);
                    final int sent = session.doWork(nowNanos, Math.max(budget, 0));
                    tokens -= sent;
                    work += sent;
                }
                catch (final JournalException | IllegalStateException | InternalError ex)
                {
                    // InternalError: a fault reading the mapped journal (its disk is full to the last page).
                    counters.refusals[ReplayErrorCode.JOURNAL_ERROR.ordinal()]++;
                    session.fail(ex.getMessage());
                }
            }
            work += removeFinishedSessions();
        }
        activeSessionCount = activeSessions();
        if (liveCounters != null && liveCounters.due(nowNanos))
        {
            updateLiveCounters();
        }
        return work;
    }

    /**
     * The journal's last sequence for the sessions' head reports, read at most once per
     * {@link ReplayConfiguration#JOURNAL_HEAD_INTERVAL_NANOS}: each read opens a journal reader.
     */
    private long journalHead()
    {
        if (!journalHeadRead || nowNanos - journalHeadReadNanos >= ReplayConfiguration.JOURNAL_HEAD_INTERVAL_NANOS)
        {
            journalHead = lastSequence.getAsLong();
            journalHeadReadNanos = nowNanos;
            journalHeadRead = true;
        }
        return journalHead;
    }

    private void updateLiveCounters()
    {
        final FeedCounters c = liveCounters;
        c.set(FeedCounter.REPLAY_ACTIVE_SESSIONS, activeSessionCount);
        c.set(FeedCounter.REPLAY_REQUESTS, counters.requests);
        c.set(FeedCounter.REPLAY_REFUSED, counters.errors());
        c.set(FeedCounter.REPLAY_MALFORMED, counters.malformed);
        c.set(FeedCounter.REPLAYED, counters.ticksSent);
        c.set(FeedCounter.REPLAY_BACK_PRESSURED, counters.backPressured);
    }

    /** Token bucket for {@code maxReplayRate}: at most 10 ms of sending saved up. */
    private void refillTokens()
    {
        final long rate = context.maxReplayRate();
        if (rate == 0)
        {
            tokens = Long.MAX_VALUE;
            return;
        }
        if (lastRefillNanos == 0)
        {
            lastRefillNanos = nowNanos;
        }
        final long elapsed = nowNanos - lastRefillNanos;
        final long earned = elapsed * rate / 1_000_000_000L;
        if (earned > 0)
        {
            tokens = Math.min(tokens + earned, Math.max(1, rate / 100));
            lastRefillNanos = nowNanos;
        }
    }

    private int removeFinishedSessions()
    {
        int removed = 0;
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            final Session session = sessions.get(i);
            if (session.isDone())
            {
                session.close();
                sessions.remove(i);
                removed++;
            }
        }
        return removed;
    }

    private void onControlFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        onControlMessage(buffer, offset, length, requesterOf(header));
    }

    /**
     * Who sent a control message: the image it arrived on, named by the correlation id the driver
     * gave it. One image is one control publication of one client; the sender cannot pick the id, so
     * it cannot pass for another requester, and every new publication costs it a new connection.
     */
    private static long requesterOf(final Header header)
    {
        final Object image = header.context();
        return image instanceof Image ? ((Image)image).correlationId() : header.sessionId();
    }

    /** One control message from {@code requester}: a request or a stop; anything else is counted malformed. */
    void onControlMessage(final DirectBuffer buffer, final int offset, final int length, final long requester)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            counters.malformed++;
            return;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            counters.malformed++;
            return;
        }
        final int blockLength = header.blockLength();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (header.templateId())
        {
            case ReplayRequestDecoder.TEMPLATE_ID:
                if (!ReplayMessages.isCompleteRequest(buffer, offset, length, blockLength))
                {
                    counters.malformed++;
                    return;
                }
                requestDecoder.wrap(buffer, bodyOffset, blockLength, header.version());
                onRequest(requester, false);
                break;
            case FilteredReplayRequestDecoder.TEMPLATE_ID:
                if (!ReplayMessages.isCompleteFilteredRequest(buffer, offset, length, blockLength))
                {
                    counters.malformed++;
                    return;
                }
                filteredDecoder.wrap(buffer, bodyOffset, blockLength, header.version());
                onRequest(requester, true);
                break;
            case SnapshotRequestDecoder.TEMPLATE_ID:
                if (!ReplayMessages.isCompleteSnapshotRequest(buffer, offset, length, blockLength))
                {
                    counters.malformed++;
                    return;
                }
                snapshotDecoder.wrap(buffer, bodyOffset, blockLength, header.version());
                onSnapshotRequest(requester);
                break;
            case ReplayStopDecoder.TEMPLATE_ID:
                if (blockLength < ReplayStopDecoder.BLOCK_LENGTH ||
                    MessageHeaderDecoder.ENCODED_LENGTH + blockLength > length)
                {
                    counters.malformed++;
                    return;
                }
                stopDecoder.wrap(buffer, bodyOffset, blockLength, header.version());
                counters.stops++;
                onStop(stopDecoder.correlationId());
                break;
            default:
                counters.malformed++;
        }
    }

    /** A replay, or ({@code filtered}) a replay of some instruments with markers for the rest. */
    private void onRequest(final long requester, final boolean filtered)
    {
        final RequesterRateLimit.Verdict verdict = rateVerdict(requester);
        if (verdict == null)
        {
            return;
        }
        final long correlationId = filtered ? filteredDecoder.correlationId() : requestDecoder.correlationId();
        final long from = filtered ? filteredDecoder.fromSequence() : requestDecoder.fromSequence();
        final long to = filtered ? filteredDecoder.toSequence() : requestDecoder.toSequence();
        final int responseStreamId = filtered ? filteredDecoder.responseStreamId() : requestDecoder.responseStreamId();
        final String instruments = filtered ? filteredDecoder.instruments() : null; // read before the channel: wire order
        final String responseChannel = filtered ? filteredDecoder.responseChannel() : requestDecoder.responseChannel();
        if (!answerable(responseChannel, responseStreamId))
        {
            return;
        }
        counters.requests++;

        String refusal = verdict == RequesterRateLimit.Verdict.REFUSED ? tooManyRequests() : check(from, to);
        InstrumentFilter filter = null;
        if (refusal == null && filtered)
        {
            try
            {
                // Symbols not (yet) defined are served: they may be defined later, and match nothing until then.
                filter = InstrumentFilter.parse(List.of(instruments.split(",", -1)));
            }
            catch (final IllegalArgumentException ex)
            {
                refusalCode = ReplayErrorCode.UNKNOWN_INSTRUMENT;
                refusal = ex.getMessage();
            }
        }
        if (refusal != null)
        {
            refuse(correlationId, refusal, responseChannel, responseStreamId);
            return;
        }
        counters.sessionsStarted++;
        if (filter != null)
        {
            counters.filteredSessions++;
            sessions.add(sessionFactory.filtered(correlationId, from, to, filter, responseChannel, responseStreamId,
                nowNanos));
        }
        else
        {
            sessions.add(sessionFactory.serve(correlationId, from, to, responseChannel, responseStreamId, nowNanos));
        }
    }

    /** A snapshot, then the journal after it: refused like a replay when the server is full or flooded. */
    private void onSnapshotRequest(final long requester)
    {
        final RequesterRateLimit.Verdict verdict = rateVerdict(requester);
        if (verdict == null)
        {
            return;
        }
        final long correlationId = snapshotDecoder.correlationId();
        final int responseStreamId = snapshotDecoder.responseStreamId();
        final String responseChannel = snapshotDecoder.responseChannel();
        if (!answerable(responseChannel, responseStreamId))
        {
            return;
        }
        counters.requests++;
        String refusal = null;
        if (verdict == RequesterRateLimit.Verdict.REFUSED)
        {
            refusal = tooManyRequests();
        }
        else if (book == null)
        {
            refusalCode = ReplayErrorCode.NO_SNAPSHOTS;
            refusal = bookFailure != null ? bookFailure : "this replay server keeps no book (--no-snapshots)";
        }
        else if (activeSessions() >= context.maxSessions())
        {
            refusalCode = ReplayErrorCode.TOO_MANY_SESSIONS;
            refusal = "already serving " + context.maxSessions() + " sessions; try again later";
        }
        if (refusal != null)
        {
            refuse(correlationId, refusal, responseChannel, responseStreamId);
            return;
        }
        counters.sessionsStarted++;
        sessions.add(sessionFactory.snapshot(correlationId, responseChannel, responseStreamId, nowNanos));
    }

    /**
     * The requester's standing with the rate limit, or null when it was told within the last second: then
     * the request is dropped before its channel is decoded (so a flood costs little), counted, not answered.
     */
    private RequesterRateLimit.Verdict rateVerdict(final long requester)
    {
        final RequesterRateLimit.Verdict verdict = rateLimit.onRequest(requester, nowNanos);
        counters.requestersEvicted = rateLimit.evictions();
        if (verdict == RequesterRateLimit.Verdict.REFUSED_QUIETLY)
        {
            counters.requests++;
            counters.refusals[ReplayErrorCode.TOO_MANY_REQUESTS.ordinal()]++;
            counters.unanswered++;
            return null;
        }
        return verdict;
    }

    /** Whether an answer can be sent where the request asks; if not it is refused, typed and counted, but not answered. */
    private boolean answerable(final String responseChannel, final int responseStreamId)
    {
        try
        {
            FeedChannels.validate("responseChannel", responseChannel);
            FeedChannels.validateStreamId("responseStreamId", responseStreamId);
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            counters.requests++;
            counters.refusals[ReplayErrorCode.BAD_RESPONSE_CHANNEL.ordinal()]++;
            counters.unanswered++;
            return false;
        }
    }

    /** Refuse with {@link #refusalCode}, in a session that sends the error, unless holding all the refusals it may. */
    private void refuse(final long correlationId, final String refusal, final String responseChannel,
        final int responseStreamId)
    {
        counters.refusals[refusalCode.ordinal()]++;
        if (sessions.size() < 2 * context.maxSessions())
        {
            sessions.add(sessionFactory.refuse(correlationId, refusalCode, refusal, responseChannel, responseStreamId,
                nowNanos));
        }
        else
        {
            counters.unanswered++; // holding all the sessions and refusals it may: counted, not answered
        }
    }

    private String tooManyRequests()
    {
        refusalCode = ReplayErrorCode.TOO_MANY_REQUESTS;
        return tooManyRequestsMessage;
    }

    /** @return why the request is refused (and sets {@link #refusalCode}), or null to serve it. */
    private String check(final long from, final long to)
    {
        if (!journalBoundsRead)
        {
            // Once per duty cycle at most: each read opens a journal reader, and a storm of requests
            // must not multiply that.
            journalFirst = firstSequence.getAsLong();
            journalLast = lastSequence.getAsLong();
            journalBoundsRead = true;
        }
        final long first = journalFirst;
        final long last = journalLast;
        if (from < 1 || to < 0 || (to != 0 && to < from))
        {
            refusalCode = ReplayErrorCode.REVERSED_RANGE;
            return "bad range " + from + ".." + (to == 0 ? "live" : Long.toString(to)) +
                ": sequences start at 1 and the range must not run backwards";
        }
        final NotJournaledRanges notJournaled = journal != null ? journal.notJournaled() : null;
        final int range = notJournaled != null ? notJournaled.find(from) : -1;
        if (range >= 0)
        {
            refusalCode = ReplayErrorCode.NOT_JOURNALED;
            refusalFirst = notJournaled.first(range);
            refusalLast = notJournaled.last(range);
            return ReplaySession.notJournaledMessage(refusalFirst, refusalLast);
        }
        if (from > last + 1 || (to != 0 && to > last))
        {
            refusalCode = ReplayErrorCode.BEYOND_HEAD;
            return "range " + from + ".." + (to == 0 ? "live" : Long.toString(to)) +
                " is beyond the journal's last sequence " + last;
        }
        if (first > 0 && from < first)
        {
            refusalCode = ReplayErrorCode.BELOW_RETENTION;
            return "sequence " + from + " is no longer retained; the journal starts at " + first;
        }
        if (context.maxRange() > 0 && (to == 0 ? last - from + 1 : to - from + 1) > context.maxRange())
        {
            refusalCode = ReplayErrorCode.RANGE_TOO_LARGE;
            return "range of " + ((to == 0 ? last : to) - from + 1) + " sequences exceeds the maximum " +
                context.maxRange();
        }
        if (activeSessions() >= context.maxSessions())
        {
            refusalCode = ReplayErrorCode.TOO_MANY_SESSIONS;
            return "already serving " + context.maxSessions() + " sessions; try again later";
        }
        return null;
    }

    private int activeSessions()
    {
        int active = 0;
        for (int i = 0; i < sessions.size(); i++)
        {
            if (sessions.get(i).isStreaming())
            {
                active++;
            }
        }
        return active;
    }

    private void onStop(final long correlationId)
    {
        for (int i = 0; i < sessions.size(); i++)
        {
            if (sessions.get(i).correlationId() == correlationId)
            {
                sessions.get(i).requestStop();
            }
        }
    }

    /** Sessions in the list now, streaming or delivering a refusal; the agent's thread only. */
    int sessionsHeld()
    {
        return sessions.size();
    }

    /** Sessions streaming (or connecting, or ending) now; the agent's thread only. */
    int streamingSessions()
    {
        return activeSessions();
    }

    /** Requesters the flood limit remembers now; the agent's thread only. */
    int requestersTracked()
    {
        return rateLimit.tracked();
    }

    /** Sessions under way (streaming, connecting or ending), as of the last duty cycle; any thread. */
    public int sessionCount()
    {
        return activeSessionCount;
    }

    public ReplayServerCounters counters()
    {
        return counters;
    }

    public void onClose()
    {
        for (final Session session : sessions)
        {
            session.close();
        }
        sessions.clear();
        CloseHelper.quietCloseAll(control, book);
    }

    /** A request being answered: a replay streaming, or a refusal on its way. */
    interface Session
    {
        long correlationId();

        /** Move the session on, sending at most {@code budget} entries; returns the work done. */
        int doWork(long nowNanos, int budget);

        /** Connecting, streaming or ending: counts against {@code maxSessions}. */
        boolean isStreaming();

        boolean isDone();

        void requestStop();

        /** The journal could not be read: tell the requester if possible, and end. */
        void fail(String reason);

        void close();
    }

    /** Opens sessions: over Aeron in the server; the fuzz tests open ones that touch no network. */
    interface SessionFactory
    {
        Session serve(long correlationId, long from, long to, String responseChannel, int responseStreamId,
            long nowNanos);

        Session refuse(long correlationId, ReplayErrorCode code, String message, String responseChannel,
            int responseStreamId, long nowNanos);

        /** A snapshot from the server's book, then the journal after it. */
        Session snapshot(long correlationId, String responseChannel, int responseStreamId, long nowNanos);

        /**
         * The quotes of {@code filter}'s instruments, with markers for the rest. Stand-ins that send nothing
         * (the fuzz tests') serve it as the range it covers.
         */
        default Session filtered(long correlationId, long from, long to, InstrumentFilter filter, String responseChannel,
            int responseStreamId, long nowNanos)
        {
            return serve(correlationId, from, to, responseChannel, responseStreamId, nowNanos);
        }
    }

    private final class AeronSessions implements SessionFactory
    {
        public Session serve(
            final long correlationId, final long from, final long to, final String responseChannel,
            final int responseStreamId, final long nowNanos)
        {
            return ReplaySession.serve(correlationId, from, to, responseChannel, responseStreamId, aeron, journal,
                messages, counters, context.connectTimeoutNanos(), nowNanos, journalHeadSupplier);
        }

        public Session filtered(
            final long correlationId, final long from, final long to, final InstrumentFilter filter,
            final String responseChannel, final int responseStreamId, final long nowNanos)
        {
            return ReplaySession.filtered(correlationId, from, to, filter, responseChannel, responseStreamId, aeron,
                journal, messages, counters, context.connectTimeoutNanos(), nowNanos, journalHeadSupplier);
        }

        public Session snapshot(
            final long correlationId, final String responseChannel, final int responseStreamId, final long nowNanos)
        {
            return ReplaySession.snapshot(correlationId, responseChannel, responseStreamId, aeron, journal, currentBook, messages,
                counters, context.connectTimeoutNanos(), nowNanos, journalHeadSupplier);
        }

        public Session refuse(
            final long correlationId, final ReplayErrorCode code, final String message, final String responseChannel,
            final int responseStreamId, final long nowNanos)
        {
            if (code == ReplayErrorCode.NOT_JOURNALED)
            {
                // The refusal names the unjournaled range found by check(), not the journal's extent.
                return ReplaySession.refuse(correlationId, code, refusalFirst, refusalLast, message, responseChannel,
                    responseStreamId, aeron, journal, messages, counters, context.connectTimeoutNanos(), nowNanos);
            }
            return ReplaySession.refuse(correlationId, code, message, responseChannel, responseStreamId, aeron,
                journal, messages, counters, context.connectTimeoutNanos(), nowNanos);
        }
    }
}
