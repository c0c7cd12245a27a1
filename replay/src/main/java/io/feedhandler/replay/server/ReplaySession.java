package io.feedhandler.replay.server;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.exceptions.AeronException;
import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.FilteredBatchWriter;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.codecs.SnapshotWriter;
import io.feedhandler.journal.InstrumentFilter;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalBook;
import io.feedhandler.journal.JournalEntryHandler;
import io.feedhandler.journal.JournalTail;
import io.feedhandler.journal.NotJournaledRanges;
import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.replay.ReplayMessages;
import io.feedhandler.sbe.FeedState;
import io.feedhandler.sbe.ReplayEndReason;
import io.feedhandler.sbe.ReplayErrorCode;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One requester's replay: its own publication to the requester's channel, its own journal tail.
 * After {@code ReplayBegin} (with the journal's epoch) it sends the instrument definitions in force
 * at the first sequence, then the range: the journal's batches, their quotes copied as they are into
 * messages of up to {@link #MAX_MESSAGE_BYTES} (one journal entry per message would cost a send per
 * tick at low publishing rates), trimmed where the range starts inside a batch. A definition that
 * comes into force inside the range goes out just before the first tick it applies to. At most the
 * turn's budget of ticks per duty cycle; a requester that reads slowly back-pressures only its own
 * publication, and the message that did not go is offered again next turn, before anything new is
 * read. An open-ended session follows the journal as it grows until the requester stops it or goes
 * away. A refused request is a session too: it only delivers its error. A session that reaches
 * sequences recorded as not journaled (sent while the journal's disk was full) ends with a
 * {@code NOT_JOURNALED} error naming them, after the quotes before them.
 * <p>
 * A snapshot session starts from the server's {@link JournalBook} instead of a sequence: once the
 * book is as of the journal's head (it may still be catching up just after the server started), it
 * takes the book's quotes as of its sequence S (a copy: O(instruments), whatever the journal's
 * length), says {@code ReplayBegin} from S + 1, sends the definitions in force, the quotes as
 * {@code Snapshot} messages in sequence order, then goes on as an open-ended replay from S + 1.
 * <p>
 * A filtered session sends only the quotes of the requester's instruments, each matched under the
 * definition it was published with (the definitions this session sends anyway, so the requester and
 * the session agree on every id), as {@code FilteredBatch} messages: the matching quotes read in the
 * turn, and a marker, the last sequence read ("nothing else of yours up to here"). A turn that matched
 * nothing still sends its marker, so the requester sees progress. Its budget counts ticks read, not sent.
 */
final class ReplaySession implements JournalEntryHandler, ReplayServerAgent.Session
{
    /** Where a session is; each state's work is in {@link #doWork}. */
    enum State
    {
        CONNECTING, SNAPSHOT, STREAMING, ENDING, REFUSING, DONE
    }

    private final long correlationId;
    private long fromSequence;
    private final long toSequence;
    private final long registrationId;
    private final Aeron aeron;
    private final Journal journal;
    private final ReplayMessages messages;
    private final ReplayServerCounters counters;
    private final long timeoutNanos;
    private ReplayErrorCode refusal;
    private String refusalMessage;
    private long refusalFirst;
    private long refusalLast;

    /** Largest message a session sends: many journal entries' quotes, coalesced. */
    static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private State state;
    private ExclusivePublication publication;
    private JournalTail tail;
    private InstrumentHistory.Cursor definitions;
    private final QuoteBatchWriter batch = new QuoteBatchWriter();
    private final FeedEncoder definitionEncoder = new FeedEncoder();
    private final UnsafeBuffer definitionBuffer = new UnsafeBuffer(new byte[FeedEncoder.INSTRUMENT_LENGTH]);
    private UnsafeBuffer message;
    private int messageCapacityTicks;
    private int pendingLength;
    private List<InstrumentHistory.Definition> dueDefinitions = List.of();
    private int dueDefinitionsSent;
    private int turnBudget;
    private int turnTaken;
    private long deadlineNanos;
    private long lastSent;
    /** The next sequence to put in a message: the tail's, except after a range that ended inside an entry. */
    private long nextToSend;
    /** Where the journal's head is, as the server last read it; null for a refusal. */
    private final LongSupplier journalHead;
    private final UnsafeBuffer headBuffer = new UnsafeBuffer(new byte[FeedEncoder.HEARTBEAT_LENGTH]);
    private long nextHeadNanos;
    private ReplayEndReason endReason = ReplayEndReason.COMPLETED;
    /** The server's book as it is now (null once it has failed), for a snapshot session; null for a replay. */
    private Supplier<JournalBook> books;
    private final SnapshotWriter snapshotWriter = new SnapshotWriter();
    private MutableQuote[] snapshotQuotes;
    private long snapshotSequence;
    private int snapshotSent;
    private boolean snapshotBegun;
    private boolean stopRequested;
    /** What a filtered session sends; null for an unfiltered one. */
    private InstrumentFilter filter;
    /** Per instrument id, whether its ticks are wanted under the definition in force (1) or not (0). */
    private final Int2IntHashMap wanted = new Int2IntHashMap(-1);
    private final FilteredBatchWriter filtered = new FilteredBatchWriter();
    private int filteredCapacity;
    /** The first sequence the message being filled read; its marker is the last one read. */
    private long messageFrom;
    private long pendingLast;
    private int pendingTicks;

    private ReplaySession(
        final long correlationId, final long fromSequence, final long toSequence, final String responseChannel,
        final int responseStreamId, final Aeron aeron, final Journal journal, final ReplayMessages messages,
        final ReplayServerCounters counters, final long timeoutNanos, final long nowNanos,
        final ReplayErrorCode refusal, final String refusalMessage, final LongSupplier journalHead)
    {
        this.correlationId = correlationId;
        this.journalHead = journalHead;
        this.fromSequence = fromSequence;
        this.toSequence = toSequence;
        this.aeron = aeron;
        this.journal = journal;
        this.messages = messages;
        this.counters = counters;
        this.timeoutNanos = timeoutNanos;
        this.refusal = refusal;
        this.refusalMessage = refusalMessage;
        this.deadlineNanos = nowNanos + timeoutNanos;
        this.state = refusal == null ? State.CONNECTING : State.REFUSING;
        this.registrationId = aeron.asyncAddExclusivePublication(responseChannel, responseStreamId);
    }

    static ReplaySession serve(
        final long correlationId, final long fromSequence, final long toSequence, final String responseChannel,
        final int responseStreamId, final Aeron aeron, final Journal journal, final ReplayMessages messages,
        final ReplayServerCounters counters, final long timeoutNanos, final long nowNanos,
        final LongSupplier journalHead)
    {
        return new ReplaySession(correlationId, fromSequence, toSequence, responseChannel, responseStreamId, aeron,
            journal, messages, counters, timeoutNanos, nowNanos, null, null, journalHead);
    }

    static ReplaySession refuse(
        final long correlationId, final ReplayErrorCode code, final String message, final String responseChannel,
        final int responseStreamId, final Aeron aeron, final Journal journal, final ReplayMessages messages,
        final ReplayServerCounters counters, final long timeoutNanos, final long nowNanos)
    {
        return new ReplaySession(correlationId, 0, 0, responseChannel, responseStreamId, aeron, journal, messages,
            counters, timeoutNanos, nowNanos, code, message, null);
    }

    /** A snapshot of the server's book ({@code books}: as it is when the session connects), then the journal after it, open-ended. */
    static ReplaySession snapshot(
        final long correlationId, final String responseChannel, final int responseStreamId, final Aeron aeron,
        final Journal journal, final Supplier<JournalBook> books, final ReplayMessages messages,
        final ReplayServerCounters counters, final long timeoutNanos, final long nowNanos, final LongSupplier journalHead)
    {
        final ReplaySession session = new ReplaySession(correlationId, 0, 0, responseChannel, responseStreamId, aeron,
            journal, messages, counters, timeoutNanos, nowNanos, null, null, journalHead);
        session.books = books;
        return session;
    }

    /** The quotes of {@code filter}'s instruments of {@code from..to} (0: open-ended), with markers for the rest. */
    static ReplaySession filtered(
        final long correlationId, final long fromSequence, final long toSequence, final InstrumentFilter filter,
        final String responseChannel, final int responseStreamId, final Aeron aeron, final Journal journal,
        final ReplayMessages messages, final ReplayServerCounters counters, final long timeoutNanos, final long nowNanos,
        final LongSupplier journalHead)
    {
        final ReplaySession session = new ReplaySession(correlationId, fromSequence, toSequence, responseChannel,
            responseStreamId, aeron, journal, messages, counters, timeoutNanos, nowNanos, null, null, journalHead);
        session.filter = filter;
        return session;
    }

    /** A refusal that names a range of its own (NOT_JOURNALED) instead of the journal's extent. */
    static ReplaySession refuse(
        final long correlationId, final ReplayErrorCode code, final long first, final long last, final String message,
        final String responseChannel, final int responseStreamId, final Aeron aeron, final Journal journal,
        final ReplayMessages messages, final ReplayServerCounters counters, final long timeoutNanos,
        final long nowNanos)
    {
        final ReplaySession session = refuse(correlationId, code, message, responseChannel, responseStreamId, aeron,
            journal, messages, counters, timeoutNanos, nowNanos);
        session.refusalFirst = first;
        session.refusalLast = last;
        return session;
    }

    /** Why sequences {@code first..last} cannot be replayed, for the requester. */
    static String notJournaledMessage(final long first, final long last)
    {
        return NotJournaledRanges.explain(first, last) + ": they cannot be replayed";
    }

    public long correlationId()
    {
        return correlationId;
    }

    public boolean isDone()
    {
        return state == State.DONE;
    }

    public boolean isStreaming()
    {
        return state == State.CONNECTING || state == State.SNAPSHOT || state == State.STREAMING || state == State.ENDING;
    }

    public void requestStop()
    {
        stopRequested = true;
    }

    public int doWork(final long nowNanos, final int budget)
    {
        if (publication == null && !resolvePublication())
        {
            return timeout(nowNanos);
        }
        switch (state)
        {
            case CONNECTING:
                return connect(nowNanos);
            case SNAPSHOT:
                return sendSnapshot(nowNanos, budget);
            case STREAMING:
                return stream(nowNanos, budget);
            case ENDING:
                return end(nowNanos);
            case REFUSING:
                return refuse(nowNanos);
            default:
                return 0;
        }
    }

    private boolean resolvePublication()
    {
        try
        {
            publication = aeron.getExclusivePublication(registrationId);
        }
        catch (final AeronException ex)
        {
            counters.unreachableRequesters++;
            state = State.DONE;
        }
        return publication != null;
    }

    private int timeout(final long nowNanos)
    {
        if (nowNanos >= deadlineNanos && state != State.DONE)
        {
            counters.unreachableRequesters++;
            state = State.DONE;
            return 1;
        }
        return 0;
    }

    private int connect(final long nowNanos)
    {
        if (stopRequested)
        {
            state = State.DONE; // asked again, or gone: nothing was begun, so nothing to end
            return 1;
        }
        if (!publication.isConnected())
        {
            return timeout(nowNanos);
        }
        if (books != null && snapshotQuotes == null)
        {
            final JournalBook book = books.get();
            if (book == null)
            {
                // The server's book failed while this session waited for it: say so rather than wait on a closed book.
                refusal = ReplayErrorCode.NO_SNAPSHOTS;
                refusalMessage = "the server's book could not read the journal";
                counters.refusals[ReplayErrorCode.NO_SNAPSHOTS.ordinal()]++;
                state = State.REFUSING;
                return 1;
            }
            if (!book.caughtUp())
            {
                deadlineNanos = nowNanos + timeoutNanos; // the book is still reading the journal (a server just started)
                return 0;
            }
            // Taken once: the book moves on as the journal grows, the snapshot must not.
            snapshotSequence = book.sequence();
            snapshotQuotes = book.book().bySequence();
            fromSequence = snapshotSequence + 1;
        }
        final long head = journal.lastSequence();
        final int length = messages.begin(correlationId, fromSequence, toSequence, head, journal.epoch());
        if (publication.offer(messages.buffer(), 0, length) < 0)
        {
            return timeout(nowNanos);
        }
        tail = new JournalTail(journal).from(fromSequence);
        nextToSend = fromSequence;
        final int bytes = Math.min(MAX_MESSAGE_BYTES, publication.maxMessageLength());
        message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BitUtil.align(bytes, 64), 64));
        messageCapacityTicks = Math.min(QuoteBatchWriter.MAX_QUOTES, (bytes - QuoteBatchWriter.HEADER_LENGTH) /
            QuoteBatchWriter.ENTRY_LENGTH);
        filteredCapacity = FilteredBatchWriter.quotesThatFit(bytes);
        definitions = journal.instruments().cursor();
        dueDefinitions = definitions.start(fromSequence);
        decide(dueDefinitions);
        state = books != null ? State.SNAPSHOT : State.STREAMING;
        return 1;
    }

    /**
     * The definitions in force, then the snapshot's quotes, as many to a message as fit and at most the
     * turn's budget; a message that cannot go now is written again next turn. An empty book is one
     * message of no quotes, so the requester still learns the snapshot's sequence.
     */
    private int sendSnapshot(final long nowNanos, final int budget)
    {
        if (stopRequested || !publication.isConnected())
        {
            state = State.STREAMING; // streaming handles the stop and the requester's absence
            return 1;
        }
        deadlineNanos = nowNanos + timeoutNanos;
        if (!sendDueDefinitions())
        {
            return 0;
        }
        final int total = snapshotQuotes.length;
        final int capacity = SnapshotWriter.quotesThatFit(message.capacity());
        int sent = 0;
        while (snapshotSent < total || !snapshotBegun)
        {
            final int count = Math.min(capacity, total - snapshotSent);
            if (snapshotBegun && sent + count > budget && sent > 0)
            {
                break; // the rest next turn
            }
            final int length = snapshotWriter.write(message, 0, journal.epoch(), snapshotSequence, total,
                snapshotQuotes, snapshotSent, count);
            if (publication.offer(message, 0, length) < 0)
            {
                counters.backPressured++;
                return sent;
            }
            counters.bytesSent += length;
            counters.snapshotQuotesSent += count;
            snapshotBegun = true;
            snapshotSent += count;
            sent += Math.max(1, count);
        }
        if (snapshotSent == total)
        {
            counters.snapshots++;
            snapshotQuotes = new MutableQuote[0]; // sent: let the copies go
            state = State.STREAMING;
        }
        return sent;
    }

    private int stream(final long nowNanos, final int budget)
    {
        if (stopRequested)
        {
            endReason = ReplayEndReason.STOPPED;
            state = State.ENDING;
            return 1;
        }
        if (!publication.isConnected())
        {
            // The requester went away: give it a moment to come back, then end the session.
            return timeout(nowNanos);
        }
        deadlineNanos = nowNanos + timeoutNanos;
        if (!sendPending() || !sendDueDefinitions())
        {
            return 0; // back-pressured: only this session waits, and what it holds goes first next turn
        }
        sendHead(nowNanos);
        int sent = 0;
        turnBudget = budget;
        turnTaken = 0;
        while (turnTaken < turnBudget && (toSequence == 0 || nextToSend <= toSequence))
        {
            messageFrom = nextToSend;
            if (filter != null)
            {
                filtered.wrap(message, 0, journal.epoch());
            }
            else
            {
                batch.wrap(message, 0, journal.epoch(), nextToSend);
            }
            tail.poll(this, Integer.MAX_VALUE); // stops when the message is full, the turn is spent or a definition is due
            final int read = (int)(nextToSend - messageFrom);
            if (read == 0)
            {
                break;
            }
            if (filter != null)
            {
                filtered.upTo(nextToSend - 1);
                pendingLength = filtered.length();
                pendingTicks = filtered.count();
            }
            else
            {
                pendingLength = batch.length();
                pendingTicks = batch.count();
            }
            pendingLast = nextToSend - 1;
            turnTaken += read;
            sent += read;
            if (!sendPending() || !sendDueDefinitions())
            {
                break;
            }
        }
        if (toSequence != 0 && nextToSend > toSequence && pendingLength == 0)
        {
            state = State.ENDING;
        }
        else if (tail.atNotJournaled() && pendingLength == 0)
        {
            // Sequences that will never be journaled: the session ends on them, after what came before.
            refusal = ReplayErrorCode.NOT_JOURNALED;
            refusalFirst = tail.notJournaledFirst();
            refusalLast = tail.notJournaledLast();
            refusalMessage = notJournaledMessage(refusalFirst, refusalLast);
            counters.refusals[ReplayErrorCode.NOT_JOURNALED.ordinal()]++;
            state = State.REFUSING;
            sent++;
        }
        return sent;
    }

    /**
     * One journal entry: its quotes (from where the range wants them, up to where it ends) join the
     * message, when they fit in it and in the turn's budget; a definition that comes into force with
     * this entry closes the message first.
     */
    public boolean onEntry(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        final long from = tail.wantedFrom();
        final long entryLast = sequence + QuoteBatchWriter.count(buffer, offset) - 1;
        final long last = toSequence == 0 ? entryLast : Math.min(entryLast, toSequence);
        final int quotes = (int)(last - from + 1);
        final long read = nextToSend - messageFrom;
        final int held = filter != null ? filtered.count() : batch.count();
        final int capacity = filter != null ? filteredCapacity : messageCapacityTicks;
        if (read > 0 && (held + quotes > capacity || turnTaken + read >= turnBudget))
        {
            return false; // read again for the next message
        }
        if (read == 0)
        {
            final List<InstrumentHistory.Definition> due = definitions.reach(sequence);
            if (!due.isEmpty())
            {
                dueDefinitions = due;
                dueDefinitionsSent = 0;
                decide(due);
                if (!sendDueDefinitions())
                {
                    return false;
                }
            }
        }
        else if (definitions.isDue(sequence))
        {
            return false; // a definition comes into force here: it goes out before this entry, after this message
        }
        if (quotes > messageCapacityTicks)
        {
            return false; // cannot happen with the publisher's batch sizes; never send a message too long
        }
        final int entries =
            QuoteBatchWriter.entriesOffset(buffer, offset) + (int)(from - sequence) * QuoteBatchWriter.ENTRY_LENGTH;
        if (filter != null)
        {
            for (int i = 0, entry = entries; i < quotes; i++, entry += QuoteBatchWriter.ENTRY_LENGTH)
            {
                if (isWanted(buffer.getInt(entry + QuoteBatchWriter.INSTRUMENT_ID, ByteOrder.LITTLE_ENDIAN)))
                {
                    filtered.add(buffer, entry, from + i);
                }
            }
        }
        else
        {
            batch.addEntries(buffer, entries, quotes);
        }
        nextToSend = last + 1;
        return last == entryLast; // a range that ends inside this entry leaves the rest unread
    }

    /** Definitions about to go out (in force, or coming into force): a filtered session decides their ids by them. */
    private void decide(final List<InstrumentHistory.Definition> due)
    {
        if (filter == null)
        {
            return;
        }
        for (int i = 0; i < due.size(); i++)
        {
            final InstrumentHistory.Definition definition = due.get(i);
            final int id = definition.instrument().id();
            wanted.put(id, filter.matches(definition.instrument(), id) ? 1 : 0);
        }
    }

    /** Whether a tick of {@code instrumentId} is the requester's: by its definition, or by its id when it has none. */
    private boolean isWanted(final int instrumentId)
    {
        final int decided = wanted.get(instrumentId);
        return decided == -1 ? filter.matches(null, instrumentId) : decided == 1;
    }

    /**
     * Every {@link ReplayConfiguration#JOURNAL_HEAD_INTERVAL_NANOS}, between messages, a heartbeat
     * carrying the journal's last sequence: the requester learns how far its pull has to go (a
     * subscriber whose live stream trails far behind that head keeps pulling rather than wait for it).
     */
    private void sendHead(final long nowNanos)
    {
        if (journalHead == null || nowNanos - nextHeadNanos < 0)
        {
            return;
        }
        final int length = definitionEncoder.encodeHeartbeat(
            headBuffer, 0, journalHead.getAsLong(), 0, FeedState.LIVE, journal.epoch());
        if (publication.offer(headBuffer, 0, length) > 0)
        {
            nextHeadNanos = nowNanos + ReplayConfiguration.JOURNAL_HEAD_INTERVAL_NANOS;
        }
    }

    /** Offer the message held back by back-pressure, if any; true when nothing is held. */
    private boolean sendPending()
    {
        if (pendingLength == 0)
        {
            return true;
        }
        final long result = publication.offer(message, 0, pendingLength);
        if (result > 0)
        {
            lastSent = pendingLast;
            counters.ticksSent += pendingTicks;
            counters.bytesSent += pendingLength;
            pendingLength = 0;
            return true;
        }
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            counters.backPressured++;
        }
        return false;
    }

    /** Offer the definitions that must go before the next tick; true when all are out. */
    private boolean sendDueDefinitions()
    {
        while (dueDefinitionsSent < dueDefinitions.size())
        {
            final InstrumentHistory.Definition definition = dueDefinitions.get(dueDefinitionsSent);
            final int length = definitionEncoder.encodeInstrument(
                definitionBuffer, 0, definition.instrument(), definition.fromSequence());
            if (publication.offer(definitionBuffer, 0, length) < 0)
            {
                return false;
            }
            dueDefinitionsSent++;
        }
        return true;
    }

    private int end(final long nowNanos)
    {
        final int length = messages.end(correlationId, lastSent, endReason);
        if (publication.offer(messages.buffer(), 0, length) > 0)
        {
            counters.sessionsCompleted++;
            state = State.DONE;
            return 1;
        }
        return timeout(nowNanos);
    }

    private int refuse(final long nowNanos)
    {
        if (!publication.isConnected())
        {
            return timeout(nowNanos);
        }
        final boolean ownRange = refusal == ReplayErrorCode.NOT_JOURNALED;
        final int length = messages.error(correlationId, refusal,
            ownRange ? refusalFirst : journal.firstSequence(), ownRange ? refusalLast : journal.lastSequence(),
            refusalMessage);
        if (publication.offer(messages.buffer(), 0, length) > 0)
        {
            state = State.DONE;
            return 1;
        }
        return timeout(nowNanos);
    }

    /** Fail the session because the journal could not be read; tells the requester if it can. */
    public void fail(final String reason)
    {
        if (publication != null && publication.isConnected())
        {
            final int length = messages.error(correlationId, ReplayErrorCode.JOURNAL_ERROR, 0, 0, reason);
            publication.offer(messages.buffer(), 0, length);
        }
        state = State.DONE;
    }

    public void close()
    {
        CloseHelper.quietCloseAll(tail, publication);
        if (publication == null && state != State.DONE)
        {
            // Still being added: remove it once the driver has it, rather than leak it.
            try
            {
                final ExclusivePublication late = aeron.getExclusivePublication(registrationId);
                CloseHelper.quietClose(late);
            }
            catch (final AeronException ignored)
            {
                // it never came to be
            }
        }
        state = State.DONE;
    }
}
