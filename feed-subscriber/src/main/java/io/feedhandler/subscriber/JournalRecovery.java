package io.feedhandler.subscriber;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalEntryHandler;
import io.feedhandler.journal.JournalTail;
import io.feedhandler.journal.NotJournaledRanges;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

import java.nio.file.Path;

/**
 * Recovery straight from the journal on this host, through a {@link JournalTail}: no network, no
 * server. The journal is opened read-only, so it can be one a publisher in another process is
 * writing. Journal bytes reach the handler in two hops: the tail, then the decoder.
 */
public final class JournalRecovery implements RecoverySource, JournalEntryHandler
{
    private final Journal journal;
    private final JournalTail tail;
    private final Handler handler;
    private final FeedDecoder decoder;
    private final String description;
    private boolean active;
    private long refusedFrom;

    public JournalRecovery(final Path journalDirectory, final Handler handler)
    {
        this.journal = Journal.openReadOnly(journalDirectory);
        this.tail = new JournalTail(journal);
        this.handler = handler;
        this.decoder = new FeedDecoder(handler);
        this.description = "journal " + journalDirectory;
    }

    public boolean start(final long fromSequence)
    {
        final long first = journal.firstSequence();
        refusedFrom = first > 0 && fromSequence < first ? fromSequence : 0; // told at the next poll
        active = refusedFrom == 0;
        if (active)
        {
            tail.from(fromSequence);
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
        if (!active)
        {
            return 0;
        }
        final int read = tail.poll(this, limit);
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
        decoder.decode(buffer, offset, length);
        return true;
    }

    public void stop()
    {
        active = false;
        refusedFrom = 0;
    }

    public String describe()
    {
        return description;
    }

    public void close()
    {
        CloseHelper.quietCloseAll(tail, journal);
    }
}
