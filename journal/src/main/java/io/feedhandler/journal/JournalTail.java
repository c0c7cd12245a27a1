package io.feedhandler.journal;

import io.feedhandler.codecs.QuoteBatchWriter;
import org.agrona.DirectBuffer;

/**
 * Follows the journal from a sequence, in order, as far as it goes and on as it grows: the one
 * reader behind local recovery, the replay server's sessions, the replay tool and the digest. Each
 * entry (a quote batch) goes to the caller's handler, with the sequence it is wanted from: the first
 * entry of a tail that starts inside a batch holds quotes before it, which the handler leaves out
 * (see {@link #wantedFrom()}). A handler that cannot take an entry now (a back-pressured
 * publication) leaves it to be read again. The tail stops in front of a range recorded as not journaled (sent live-only
 * while the journal's disk was full) and says which ({@link #notJournaledFirst()}..
 * {@link #notJournaledLast()}): such sequences will never come, so nobody waits for them, and a
 * jump over anything not recorded is damage, never skipped.
 * <p>
 * Not thread-safe; allocates nothing per entry. The Chronicle reader inside is created on first use,
 * on the thread that reads.
 */
public final class JournalTail implements AutoCloseable, JournalEntryHandler
{
    private final Journal journal;
    private final NotJournaledRanges notJournaled;
    private JournalReader reader;
    private JournalEntryHandler handler;
    private long nextSequence;
    private boolean positioned;
    private long holeFirst;
    private long holeLast;
    private long wantedFrom;

    public JournalTail(final Journal journal)
    {
        this.journal = journal;
        this.notJournaled = journal.notJournaled();
    }

    /** Follow from {@code fromSequence}: the next entry handed on is that sequence. */
    public JournalTail from(final long fromSequence)
    {
        if (reader == null)
        {
            reader = journal.newReader();
        }
        nextSequence = fromSequence;
        holeFirst = 0;
        holeLast = 0;
        positioned = !inHole(fromSequence) && reader.seek(fromSequence);
        return this;
    }

    /**
     * Hand on the next entries, at most {@code limit}, stopping early when the handler declines one,
     * when the journal has nothing more yet, or in front of a recorded hole.
     *
     * @return the number of entries taken.
     * @throws JournalException when the journal is not contiguous (damage).
     */
    public int poll(final JournalEntryHandler handler, final int limit)
    {
        if (holeFirst > 0)
        {
            return 0;
        }
        if (!positioned && (inHole(nextSequence) || !(positioned = reader.seek(nextSequence))))
        {
            return 0;
        }
        this.handler = handler;
        final int read = reader.read(this, limit);
        if (read < limit && holeFirst == 0)
        {
            inHole(nextSequence); // out of entries: is the next sequence one that will never be written?
        }
        return read;
    }

    public boolean onEntry(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        final long last = sequence + (sequence > 0 ? QuoteBatchWriter.count(buffer, offset) : 0) - 1;
        if (sequence <= 0 || sequence > nextSequence || last < nextSequence)
        {
            if (sequence > nextSequence && inHole(nextSequence))
            {
                return false; // stop in front of the recorded hole: the entry is read again after it
            }
            throw new JournalException("journal is not contiguous: expected sequence " + nextSequence + ", found " +
                (sequence <= 0 ? "an entry that is not a quote batch" : "a batch of " + sequence + ".." + last));
        }
        wantedFrom = nextSequence; // the first entry of a tail that starts inside it holds earlier quotes
        if (!handler.onEntry(sequence, buffer, offset, length))
        {
            return false;
        }
        nextSequence = last + 1;
        return true;
    }

    /**
     * During the handler's call: the first sequence of the entry it is handed that it should take;
     * earlier quotes of that batch were taken before (the tail started inside the batch).
     */
    public long wantedFrom()
    {
        return wantedFrom;
    }

    /** The sequence the next entry handed on will carry. */
    public long nextSequence()
    {
        return nextSequence;
    }

    /** Whether the tail stands in front of a range that was never journaled. */
    public boolean atNotJournaled()
    {
        return holeFirst > 0;
    }

    /** First sequence of the range never journaled that the tail stands in front of; 0 if none. */
    public long notJournaledFirst()
    {
        return holeFirst;
    }

    /** Last sequence of that range (so far, if the publisher is still sending live-only); 0 if none. */
    public long notJournaledLast()
    {
        return holeLast;
    }

    private boolean inHole(final long sequence)
    {
        final int range = notJournaled.find(sequence);
        if (range < 0)
        {
            return false;
        }
        holeFirst = notJournaled.first(range);
        holeLast = notJournaled.last(range);
        return true;
    }

    public void close()
    {
        if (reader != null)
        {
            reader.close();
        }
    }
}
