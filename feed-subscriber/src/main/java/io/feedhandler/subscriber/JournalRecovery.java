package io.feedhandler.subscriber;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.Quote;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalEntryHandler;
import io.feedhandler.journal.JournalReader;
import io.feedhandler.journal.NotJournaledRanges;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

import java.nio.file.Path;

/**
 * Recovery straight from the journal on this host, read with a Chronicle tailer: no network, no
 * server. The journal is opened read-only, so it can be one a publisher in another process is
 * writing.
 */
public final class JournalRecovery implements RecoverySource, JournalEntryHandler, FeedHandler
{
    private final Journal journal;
    private final RecoveryHandler handler;
    private final FeedDecoder decoder = new FeedDecoder(this);
    private final String description;
    private JournalReader reader;
    private long nextSequence;
    private boolean active;
    private boolean positioned;

    public JournalRecovery(final Path journalDirectory, final RecoveryHandler handler)
    {
        this.journal = Journal.openReadOnly(journalDirectory);
        this.handler = handler;
        this.description = "journal " + journalDirectory;
    }

    public boolean start(final long fromSequence)
    {
        if (reader == null)
        {
            reader = journal.newReader();
        }
        if (endIfNotJournaled(fromSequence))
        {
            return true;
        }
        final long first = journal.firstSequence();
        if (first > 0 && fromSequence < first)
        {
            active = false;
            handler.onRecoveryRefused(true, first,
                "sequence " + fromSequence + " is no longer retained; the journal starts at " + first);
            return true;
        }
        nextSequence = fromSequence;
        positioned = reader.seek(fromSequence);
        active = true;
        return true;
    }

    public int poll(final int limit)
    {
        if (!active)
        {
            return 0;
        }
        if (!positioned && !(positioned = reader.seek(nextSequence)))
        {
            return endIfNotJournaled(nextSequence) ? 1 : 0;
        }
        final int read = reader.read(this, limit);
        if (read < limit && active && endIfNotJournaled(nextSequence))
        {
            return read + 1;
        }
        return read;
    }

    /** When {@code sequence} was never journaled, say so and end the pull. */
    private boolean endIfNotJournaled(final long sequence)
    {
        final NotJournaledRanges notJournaled = journal.notJournaled();
        final int range = notJournaled.find(sequence);
        if (range < 0)
        {
            return false;
        }
        active = false;
        final long first = notJournaled.first(range);
        final long last = notJournaled.last(range);
        handler.onRecoveryUnavailable(first, last, "sequences " + first + ".." + last +
            " were sent without being journaled (the publisher's journal disk was full, policy live-only)");
        return true;
    }

    public boolean onEntry(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        if (active && sequence > nextSequence && journal.notJournaled().contains(nextSequence))
        {
            return false; // a recorded hole: poll reports it and ends the pull
        }
        if (active) // the handler may stop us part way through a batch
        {
            decoder.decode(buffer, offset, length);
        }
        return true;
    }

    public void onQuote(final Quote quote)
    {
        nextSequence = quote.sequence() + 1;
        handler.onRecoveredQuote(quote);
    }

    public void onMalformed(final MalformedReason reason)
    {
        handler.onRecoveryMalformed();
    }

    public void stop()
    {
        active = false;
    }

    public String describe()
    {
        return description;
    }

    public void close()
    {
        CloseHelper.quietCloseAll(reader, journal);
    }
}
