package io.feedhandler.journal;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.QuoteBook;
import io.feedhandler.codecs.Quote;
import org.agrona.DirectBuffer;

/**
 * A {@link QuoteBook} kept current by following the journal: the replay server's book, which it
 * answers snapshot requests from without reading the journal again, local snapshot recovery and
 * {@code feed journal book}. It starts at the journal's first retained sequence, steps over ranges
 * recorded as not journaled (as every reader does), and follows the journal as it grows, or stops at
 * {@code upTo}. Each entry's quotes are applied in place ({@link QuoteBook#applyBatch}), so keeping it
 * current allocates nothing per entry, and its memory is bounded by the number of instruments.
 * <p>
 * With an {@link InstrumentFilter} only the matching instruments are kept (each tick judged under the
 * definition it was published with): slower, for the tool. Not thread-safe.
 */
public final class JournalBook implements JournalEntryHandler, AutoCloseable
{
    private final Journal journal;
    private final QuoteBook book;
    private final long upTo;
    private final InstrumentFilter filter;
    private final InstrumentHistory.View definitions;
    private final FeedDecoder filtered;
    private JournalTail tail;
    private boolean caughtUp;

    /**
     * @param upTo the last sequence to apply; 0 to follow the journal as it grows.
     * @param filter the instruments to keep; null for all.
     */
    public JournalBook(final Journal journal, final int maxInstruments, final long upTo, final InstrumentFilter filter)
    {
        this.journal = journal;
        this.book = new QuoteBook(maxInstruments);
        this.upTo = upTo;
        this.filter = filter;
        this.definitions = filter == null ? null : journal.instruments().viewFrom(1);
        this.filtered = filter == null ? null : new FeedDecoder(new FeedHandler()
        {
            public void onQuote(final Quote quote)
            {
                definitions.advanceTo(quote.sequence());
                if (quote.sequence() >= tail.wantedFrom() && quote.sequence() <= limit() &&
                    filter.matches(definitions.get(quote.instrumentId()), quote.instrumentId()))
                {
                    book.apply(quote);
                }
            }
        });
    }

    /**
     * Apply what the journal holds next, at most {@code limit} entries.
     *
     * @return entries applied.
     * @throws JournalException when the journal is not contiguous (damage).
     */
    public int poll(final int limit)
    {
        if (tail == null)
        {
            final long first = journal.firstSequence();
            if (first == 0)
            {
                caughtUp = true; // nothing journaled yet
                return 0;
            }
            tail = new JournalTail(journal).from(journal.nextJournaled(first));
        }
        if (upTo > 0 && tail.nextSequence() > upTo)
        {
            caughtUp = true;
            return 0;
        }
        final int read = tail.poll(this, limit);
        if (read < limit && tail.atNotJournaled())
        {
            // Never journaled: nothing to apply; the book is as of the range's end once past it.
            tail.from(tail.notJournaledLast() + 1);
            return read + 1;
        }
        caughtUp = read < limit || (upTo > 0 && tail.nextSequence() > upTo);
        return read;
    }

    public boolean onEntry(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        if (sequence > limit())
        {
            return false; // past upTo: left unread
        }
        if (filter != null)
        {
            filtered.decode(buffer, offset, length);
        }
        else
        {
            book.applyBatch(buffer, offset, tail.wantedFrom(), limit());
        }
        return true;
    }

    private long limit()
    {
        return upTo > 0 ? upTo : Long.MAX_VALUE;
    }

    /** Whether the last poll reached the journal's end (or {@code upTo}): the book is as of the journal's head. */
    public boolean caughtUp()
    {
        return caughtUp;
    }

    /**
     * The sequence the book is as of: the last sequence read from the journal (up to {@code upTo}),
     * whether or not it quoted a kept instrument. 0 before anything was read.
     */
    public long sequence()
    {
        return tail == null ? 0 : Math.min(tail.nextSequence() - 1, limit());
    }

    public QuoteBook book()
    {
        return book;
    }

    /** Read the journal up to {@code upTo} (or its end) in one go: the tool's and the tests' way. */
    public JournalBook readToEnd()
    {
        do
        {
            poll(4096);
        }
        while (!caughtUp);
        return this;
    }

    public void close()
    {
        if (tail != null)
        {
            tail.close();
        }
    }
}
