package io.feedhandler.journal;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.codecs.QuoteBook;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The book kept from the journal: as of any sequence (inside a batch too), across a recorded hole,
 * following the journal as it grows, equal to quotes applied one by one.
 */
class JournalBookTest
{
    @TempDir
    Path dir;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[QuoteBatchWriter.length(64)]);
    private final QuoteBatchWriter batch = new QuoteBatchWriter();

    /** Batches of 1 to 64 quotes up to {@code to}, with a hole of 10 recorded as not journaled at 500. */
    private long write(final JournalWriter writer, final long from, final long to, final SplittableRandom random)
    {
        long next = from;
        while (next <= to)
        {
            if (next == 500)
            {
                for (int i = 0; i < 10; i++)
                {
                    assertTrue(writer.recordNotJournaled(next++));
                }
                continue;
            }
            final int size = (int)Math.min(to - next + 1, 1 + random.nextInt(64));
            batch.wrap(buffer, 0, 7, next);
            for (int q = 0; q < size && next + q != 500; q++)
            {
                batch.add(JournalTest.quote(next + q));
            }
            assertTrue(writer.append(buffer, 0, batch.length()));
            next += batch.count();
        }
        return next - 1;
    }

    private static QuoteBook expected(final long upTo)
    {
        final QuoteBook book = new QuoteBook(100);
        for (long sequence = 1; sequence <= upTo; sequence++)
        {
            if (sequence < 500 || sequence >= 510)
            {
                book.apply(JournalTest.quote(sequence));
            }
        }
        return book;
    }

    @Test
    void theBookAsOfAnySequenceIsTheLatestQuoteOfEachInstrumentUpToIt()
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            final long last = write(writer, 1, 3000, new SplittableRandom(3));
            final SplittableRandom random = new SplittableRandom(9);
            for (int i = 0; i < 40; i++)
            {
                final long at = i == 0 ? last : i == 1 ? 3 : 1 + random.nextInt((int)last);
                try (JournalBook book = new JournalBook(journal, 100, at, null).readToEnd())
                {
                    final QuoteBook expected = expected(at);
                    assertTrue(book.caughtUp());
                    assertEquals(expected.size(), book.book().size(), "at " + at);
                    assertEquals(expected.digest(), book.book().digest(), "at " + at);
                    for (int id = 1; id <= 7; id++)
                    {
                        final MutableQuote want = (MutableQuote)expected.get(id);
                        if (want == null)
                        {
                            assertNull(book.book().get(id));
                            continue;
                        }
                        assertEquals(want.sequence(), book.book().get(id).sequence(), "instrument " + id + " at " + at);
                        assertTrue(book.book().get(id).sequence() <= at);
                    }
                }
            }
        }
    }

    @Test
    void aFollowingBookKeepsUpAsTheJournalGrowsAndStopsAtBoundInstruments()
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter();
            JournalBook following = new JournalBook(journal, 100, 0, null);
            JournalBook bounded = new JournalBook(journal, 3, 0, null))
        {
            following.poll(1000);
            assertTrue(following.caughtUp(), "an empty journal: nothing to catch up with");
            assertEquals(0, following.sequence());
            final SplittableRandom random = new SplittableRandom(4);
            long last = write(writer, 1, 1200, random);
            while (following.poll(7) > 0 || !following.caughtUp())
            {
                // a few entries a turn, as the replay server's duty cycle does
            }
            assertEquals(last, following.sequence());
            assertEquals(expected(last).digest(), following.book().digest());
            last = write(writer, last + 1, 2500, random);
            assertFalse(following.poll(1) == 0 && following.caughtUp());
            while (following.poll(1000) > 0 || !following.caughtUp())
            {
                // to the new head
            }
            assertEquals(last, following.sequence());
            assertEquals(expected(last).digest(), following.book().digest());

            bounded.readToEnd();
            assertEquals(3, bounded.book().size(), "bounded by instruments");
            assertTrue(bounded.book().untracked() > 0);
        }
    }

    @Test
    void aFilteredBookKeepsOnlyTheWantedInstruments()
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            final long last = write(writer, 1, 2000, new SplittableRandom(5));
            final InstrumentFilter filter = InstrumentFilter.of(java.util.List.of("2", "5"), journal.instruments());
            try (JournalBook book = new JournalBook(journal, 100, last, filter).readToEnd())
            {
                assertEquals(2, book.book().size());
                assertEquals(expected(last).get(2).sequence(), book.book().get(2).sequence());
                assertEquals(expected(last).get(5).sequence(), book.book().get(5).sequence());
            }
        }
    }
}
