package io.feedhandler.replica;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.JournalException;
import io.feedhandler.journal.JournalIdentity;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.ForwardingStatusListener;
import io.feedhandler.subscriber.QuoteListener;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what the replica's subscriber delivers into entries of the replica's journal: each delivered
 * quote, in sequence order, into a quote batch of the followed epoch (all of its fields, so each
 * entry of 52 bytes is the upstream's); each definition with the sequence it applies from, written
 * ahead of the first batch it applies to; each range the upstream never journaled, recorded as not
 * journaled. So any range of the replica's journal holds what the upstream's does, and digests
 * equal. Batches are cut when full and once per duty cycle ({@link #flush()}).
 * <p>
 * The journal gets its identity (the upstream's stream and epoch) when the subscriber first hears
 * the stream, before the first append. Anything it cannot journal (the disk's reserve reached, an
 * append failed, the upstream's stream went backwards) makes it {@link State#FAILED}: nothing more
 * is written and the replica ends. Every status event also goes on to {@code delegate} (the log).
 * <p>
 * The subscriber's thread only. Allocates nothing per quote; a definition allocates.
 */
final class ReplicaJournal extends ForwardingStatusListener implements QuoteListener
{
    enum State
    {
        /** A new journal: no identity until the upstream's epoch is heard. */
        AWAITING_EPOCH,
        JOURNALING,
        /** Nothing more is written; {@link #failure()} says why. */
        FAILED
    }

    private final Path directory;
    private final JournalWriter writer;
    private final InstrumentHistory history;
    private final String channel;
    private final int streamId;
    private final String upstream;
    private final int maxBatchTicks;
    private final UnsafeBuffer buffer;
    private final QuoteBatchWriter batch = new QuoteBatchWriter();
    private final List<InstrumentHistory.Definition> definitions = new ArrayList<>();
    private boolean batchOpen;
    private long epoch;
    private volatile State state;
    private volatile String failure;
    /** The range the upstream said it never journaled, being passed: its ticks got live are recorded, not appended. */
    private long notJournaledFirst = Long.MAX_VALUE;
    private long notJournaledLast = Long.MIN_VALUE;
    private volatile long lastSequence;
    long appendedTicks;
    long entries;
    long notJournaledTicks;

    /**
     * @param identity the journal's identity; null for a new journal (written when the stream is heard).
     * @param upstream the upstream replay server, named in a new journal's identity.
     */
    ReplicaJournal(
        final Path directory, final JournalWriter writer, final InstrumentHistory history,
        final JournalIdentity identity, final String channel, final int streamId, final String upstream,
        final long lastSequence, final int maxBatchTicks, final FeedStatusListener delegate)
    {
        super(delegate);
        this.directory = directory;
        this.writer = writer;
        this.history = history;
        this.channel = channel;
        this.streamId = streamId;
        this.upstream = upstream;
        this.maxBatchTicks = maxBatchTicks;
        this.lastSequence = lastSequence;
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(QuoteBatchWriter.length(maxBatchTicks)));
        this.epoch = identity != null ? identity.epoch() : 0;
        this.state = identity != null ? State.JOURNALING : State.AWAITING_EPOCH;
    }

    // ---- what the subscriber delivers -------------------------------------------------------------

    public void onQuote(final Quote quote)
    {
        if (state != State.JOURNALING)
        {
            if (state == State.AWAITING_EPOCH)
            {
                fail("the upstream's stream names no epoch (a version 1 publisher): a replica cannot tell its " +
                    "history from another's");
            }
            return;
        }
        final long sequence = quote.sequence();
        if (sequence >= notJournaledFirst && sequence <= notJournaledLast)
        {
            flush();
            record(sequence); // the upstream steps over it, so this journal does too
            return;
        }
        if (batchOpen && sequence != batch.lastSequence() + 1)
        {
            flush();
        }
        if (!batchOpen)
        {
            batch.wrap(buffer, 0, epoch, sequence);
            batchOpen = true;
        }
        batch.add(quote);
        if (batch.count() >= maxBatchTicks)
        {
            flush();
        }
    }

    /**
     * Write what is waiting: definitions first (write-ahead, as the publisher does), then the batch.
     *
     * @return 1 when something was written, else 0.
     */
    int flush()
    {
        if (state == State.FAILED)
        {
            return 0;
        }
        int work = 0;
        if (!definitions.isEmpty())
        {
            try
            {
                history.recordReplicated(definitions);
            }
            catch (final JournalException ex)
            {
                fail("instrument definitions cannot be recorded: " + ex.getMessage());
                return 1;
            }
            definitions.clear();
            work = 1;
        }
        if (!batchOpen)
        {
            return work;
        }
        batchOpen = false;
        final long first = batch.firstSequence();
        final long last = batch.lastSequence();
        final boolean appended;
        try
        {
            appended = writer.append(buffer, 0, batch.length());
        }
        catch (final JournalException ex)
        {
            fail("sequences " + first + ".." + last + " cannot be appended: " + ex.getMessage());
            return 1;
        }
        if (!appended)
        {
            fail("the journal refused sequences " + first + ".." + last + " (" + (writer.failure() != null ?
                "the append failed: " + writer.failure() : "its disk is down to --min-free-disk") + ")");
            return 1;
        }
        appendedTicks += last - first + 1;
        entries++;
        lastSequence = last;
        return 1;
    }

    private void record(final long sequence)
    {
        try
        {
            if (!writer.recordNotJournaled(sequence))
            {
                fail("sequence " + sequence + " cannot be recorded as not journaled: the ranges file is full");
                return;
            }
        }
        catch (final JournalException ex)
        {
            fail(ex.getMessage());
            return;
        }
        notJournaledTicks++;
        lastSequence = sequence;
    }

    private void fail(final String reason)
    {
        if (state != State.FAILED)
        {
            state = State.FAILED;
            failure = "journal " + directory.toAbsolutePath() + ": " + reason;
        }
    }

    // ---- what the subscriber says about the stream ----------------------------------------------------

    public void onStreamFollowed(final long epoch)
    {
        if (state == State.AWAITING_EPOCH)
        {
            try
            {
                // Before the first append: the journal never holds ticks it cannot name the history of.
                JournalIdentity.replica(channel, streamId, epoch, upstream).write(directory);
                this.epoch = epoch;
                state = State.JOURNALING;
            }
            catch (final JournalException ex)
            {
                fail(ex.getMessage());
            }
        }
        delegate.onStreamFollowed(epoch);
    }

    public void onInstrument(final Instrument instrument, final long fromSequence)
    {
        flush(); // the ticks before it go first: a definition falls between batches
        definitions.add(new InstrumentHistory.Definition(fromSequence, instrument));
        delegate.onInstrument(instrument, fromSequence);
    }

    public void onNotJournaledRange(final long firstSequence, final long lastSequence)
    {
        flush();
        notJournaledFirst = firstSequence;
        notJournaledLast = lastSequence;
        delegate.onNotJournaledRange(firstSequence, lastSequence);
    }

    /** The part of a never-journaled range this replica did not get live: recorded, as the upstream has it. */
    public void onNotJournaled(final long fromSequence, final long toSequence)
    {
        flush();
        for (long sequence = fromSequence; sequence <= toSequence && state != State.FAILED; sequence++)
        {
            record(sequence);
        }
        delegate.onNotJournaled(fromSequence, toSequence);
    }

    public void onLost(final long fromSequence, final long toSequence)
    {
        fail("sequences " + fromSequence + ".." + toSequence + " were lost: the journal would have a hole its " +
            "upstream does not have");
        delegate.onLost(fromSequence, toSequence);
    }

    public void onStreamReset(final long lastDelivered, final long publisherLastSequence)
    {
        fail("the upstream's stream went back from sequence " + lastDelivered + " to " + publisherLastSequence +
            " (its journal was replaced?): this journal's history parts from it");
        delegate.onStreamReset(lastDelivered, publisherLastSequence);
    }

    public void onDefinitionsOverflow(final int instrumentId, final int capacity)
    {
        fail("the definition of instrument " + instrumentId + " was not kept (" + capacity + " instruments tracked)");
        delegate.onDefinitionsOverflow(instrumentId, capacity);
    }

    // ---- what is read of it ------------------------------------------------------------------------

    State state()
    {
        return state;
    }

    /** Why nothing more is journaled, as one line; null while journaling. */
    String failure()
    {
        return failure;
    }

    /** The last sequence appended or recorded as not journaled; 0 for an empty journal. */
    long lastSequence()
    {
        return lastSequence;
    }

    /** The epoch of the journal's history; 0 until the upstream is heard. */
    long epoch()
    {
        return epoch;
    }
}
