package io.feedhandler.subscriber;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalBook;
import io.feedhandler.journal.JournalEntryHandler;
import io.feedhandler.journal.JournalTail;
import io.feedhandler.journal.NotJournaledRanges;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.List;

/**
 * Recovery straight from the journal on this host, through a {@link JournalTail}: no network, no
 * server. The journal is opened read-only, so it can be one a publisher in another process is
 * writing. Journal bytes reach the handler in two hops: the tail, then the decoder.
 * <p>
 * A snapshot from a local journal is built by reading it ({@link JournalBook}, a bounded number of
 * entries per poll): there is no server keeping a book, so it costs a read of the retained journal
 * (tens of millions of ticks a second), then the book's quotes as of its last sequence S are handed on
 * and the tail goes on from S + 1.
 */
public final class JournalRecovery implements RecoverySource, JournalEntryHandler
{
    private final Journal journal;
    private final JournalTail tail;
    private final Handler handler;
    private final FeedDecoder decoder;
    private final String description;
    private final InstrumentHistory.Cursor definitions;
    private final QuoteBatchWriter trimmed = new QuoteBatchWriter();
    private final UnsafeBuffer trimBuffer = new UnsafeBuffer(new byte[0]);
    private List<InstrumentHistory.Definition> dueDefinitions = List.of();
    private final int maxInstruments;
    private boolean active;
    private boolean epochChecked;
    private long refusedFrom;
    private JournalBook building;

    public JournalRecovery(final Path journalDirectory, final Handler handler)
    {
        this(journalDirectory, handler, SubscriberConfiguration.MAX_INSTRUMENTS);
    }

    /** @param maxInstruments most instruments a snapshot's book keeps, as the subscriber's top of book. */
    public JournalRecovery(final Path journalDirectory, final Handler handler, final int maxInstruments)
    {
        this.maxInstruments = maxInstruments;
        this.journal = Journal.openReadOnly(journalDirectory);
        this.tail = new JournalTail(journal);
        this.handler = handler;
        this.decoder = new FeedDecoder(handler);
        this.description = "journal " + journalDirectory;
        this.definitions = journal.instruments().cursor();
    }

    public boolean startSnapshot()
    {
        stop();
        building = new JournalBook(journal, maxInstruments, 0, null); // read at the next polls
        return true;
    }

    /** Read on into the book; once it is as of the journal's end, hand on the snapshot and tail on from after it. */
    private int buildSnapshot(final int limit)
    {
        final int read = building.poll(limit);
        if (!building.caughtUp())
        {
            if (read > 0)
            {
                handler.onPullProgress(); // a long journal takes longer to read than the recovery timeout allows a silent pull
            }
            return Math.max(read, 1);
        }
        final long sequence = building.sequence();
        final MutableQuote[] quotes = building.book().bySequence();
        CloseHelper.quietClose(building);
        building = null;
        start(sequence + 1);
        handOn(dueDefinitions); // in force after the snapshot: they apply to its quotes too
        handler.onJournalHead(sequence);
        handler.onSnapshotBatch(journal.epoch(), sequence, quotes.length, quotes.length);
        for (final MutableQuote quote : quotes)
        {
            handler.onSnapshotQuote(quote);
        }
        return read + 1;
    }

    public boolean start(final long fromSequence)
    {
        final long first = journal.firstSequence();
        refusedFrom = first > 0 && fromSequence < first ? fromSequence : 0; // told at the next poll
        active = refusedFrom == 0;
        epochChecked = false;
        if (active)
        {
            tail.from(fromSequence);
            journal.instruments().refresh();
            dueDefinitions = definitions.start(fromSequence); // told at the next poll, before any tick
        }
        return true;
    }

    public int poll(final int limit)
    {
        if (refusedFrom > 0)
        {
            final long first = journal.firstSequence();
            final long from = refusedFrom;
            refusedFrom = 0;
            handler.onRefused(true, first, "sequence " + from + " is no longer retained; the journal starts at " + first);
            return 1;
        }
        if (building != null)
        {
            return buildSnapshot(limit);
        }
        if (!active)
        {
            return 0;
        }
        if (!epochChecked)
        {
            epochChecked = true;
            if (!handler.followsEpoch(journal.epoch()))
            {
                // Another journal's history (a replaced journal, another stream's): nothing of it is delivered.
                active = false;
                handler.onRefused(false, 0, description + " is of epoch " + String.format("%016x", journal.epoch()) +
                    ", another stream than this subscriber follows; nothing of it is taken");
                return 1;
            }
        }
        handOn(dueDefinitions);
        final int read = tail.poll(this, limit);
        if (read < limit)
        {
            handler.onJournalHead(tail.nextSequence() - 1); // read to the end: that is the head
        }
        if (tail.atNotJournaled())
        {
            active = false;
            final long first = tail.notJournaledFirst();
            final long last = tail.notJournaledLast();
            handler.onNotJournaled(first, last, NotJournaledRanges.explain(first, last));
            return read + 1;
        }
        return read;
    }

    public boolean onEntry(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        handOn(definitions.reach(sequence));
        final long wanted = tail.wantedFrom();
        if (wanted > sequence)
        {
            // The pull starts inside this batch: only its quotes from there on, so none comes twice.
            final int bytes = QuoteBatchWriter.length(QuoteBatchWriter.count(buffer, offset));
            if (trimBuffer.capacity() < bytes)
            {
                trimBuffer.wrap(new byte[bytes]);
            }
            trimmed.wrapTrimmed(trimBuffer, 0, buffer, offset, wanted);
            decoder.decode(trimBuffer, 0, trimmed.length());
            return true;
        }
        decoder.decode(buffer, offset, length);
        return true;
    }

    /** Definitions the pull reaches, handed on before the ticks they apply to. */
    private void handOn(final List<InstrumentHistory.Definition> due)
    {
        if (due.isEmpty())
        {
            return;
        }
        for (final InstrumentHistory.Definition definition : due)
        {
            final Instrument instrument = definition.instrument();
            handler.onInstrument(instrument.id(), instrument.priceExponent(), instrument.symbol(),
                definition.fromSequence());
        }
        dueDefinitions = List.of();
    }

    public void stop()
    {
        active = false;
        refusedFrom = 0;
        if (building != null)
        {
            CloseHelper.quietClose(building);
            building = null;
        }
    }

    public String describe()
    {
        return description;
    }

    public void close()
    {
        CloseHelper.quietCloseAll(building, tail, journal);
    }
}
