package io.feedhandler.codecs;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BookDigestTest
{
    @Test
    void definitionIsPinned()
    {
        // A contract between processes and releases (subscribers' bookDigest, feed journal book).
        final BookDigest digest = new BookDigest();
        assertEquals("9e3779b97f4a7c15", digest.toHex(), "the empty book");
        digest.update(1, 10_000_000_000L, 100, 10_001_000_000L, 200);
        digest.update(7, 5_000_000_000L, 300, 5_002_000_000L, 400);
        assertEquals(reference(), digest.value());
        assertEquals(PINNED, digest.toHex());
    }

    private static final String PINNED = "73163568f711bb99";

    /** The definition written out: MurmurHash3's fmix64 chained over each level's fields. */
    private static long reference()
    {
        long h = 0x9E3779B97F4A7C15L;
        for (final long v : new long[]{1, 10_000_000_000L, 100, 10_001_000_000L, 200, 7, 5_000_000_000L, 300,
            5_002_000_000L, 400})
        {
            h ^= v;
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            h ^= h >>> 33;
        }
        return h;
    }

    @Test
    void instrumentsMustComeInIdOrder()
    {
        final BookDigest digest = new BookDigest().update(5, 1, 1, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> digest.update(5, 1, 1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> digest.update(4, 1, 1, 2, 1));
        assertEquals(new BookDigest().update(5, 1, 1, 2, 1).value(), digest.reset().update(5, 1, 1, 2, 1).value());
    }

    @Test
    void aBookIsItsLatestQuotesWhateverOrderTheyCameInAndSequencesDoNotCount()
    {
        final QuoteBook inOrder = new QuoteBook(100);
        final QuoteBook oneByOne = new QuoteBook(100);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[QuoteBatchWriter.length(1000)]);
        final QuoteBatchWriter batch = new QuoteBatchWriter().wrap(buffer, 0, 1, 1);
        final SplittableRandom random = new SplittableRandom(3);
        for (long sequence = 1; sequence <= 1000; sequence++)
        {
            final MutableQuote quote = FeedCodecTest.quote(sequence);
            quote.instrumentId = 1 + random.nextInt(40);
            quote.bidPrice += sequence * 1_000_000L; // every tick moves its instrument's book
            quote.askSize += sequence;
            batch.add(quote);
            oneByOne.apply(quote);
        }
        inOrder.applyBatch(buffer, 0, 1, 1000);
        assertEquals(oneByOne.digest(), inOrder.digest());
        assertEquals(1000, inOrder.lastSequence());

        final QuoteBook upTo500 = new QuoteBook(100);
        upTo500.applyBatch(buffer, 0, 1, 500);
        final QuoteBook from501 = new QuoteBook(100);
        from501.applyBatch(buffer, 0, 1, 500);
        from501.applyBatch(buffer, 0, 501, 1000);
        assertNotEquals(upTo500.digest(), inOrder.digest());
        assertEquals(inOrder.digest(), from501.digest(), "a batch applied in two parts");

        final MutableQuote[] bySequence = inOrder.bySequence();
        for (int i = 1; i < bySequence.length; i++)
        {
            assertEquals(true, bySequence[i - 1].sequence < bySequence[i].sequence);
        }
        final MutableQuote[] byInstrument = inOrder.byInstrument();
        for (int i = 1; i < byInstrument.length; i++)
        {
            assertEquals(true, byInstrument[i - 1].instrumentId < byInstrument[i].instrumentId);
        }

        // The same prices set by other sequences: the same book.
        final QuoteBook again = new QuoteBook(100);
        for (final MutableQuote quote : inOrder.byInstrument())
        {
            quote.sequence += 7_000;
            again.apply(quote);
        }
        assertEquals(inOrder.digest(), again.digest());
    }

    @Test
    void theBookIsBoundedByInstruments()
    {
        final QuoteBook book = new QuoteBook(2);
        for (int id = 1; id <= 5; id++)
        {
            final MutableQuote quote = FeedCodecTest.quote(id);
            quote.instrumentId = id;
            book.apply(quote);
        }
        assertEquals(2, book.size());
        assertEquals(3, book.untracked());
        assertNull(book.get(3));
        assertEquals(5, book.lastSequence());
    }
}
