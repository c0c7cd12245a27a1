package io.feedhandler.journal;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.codecs.QuoteDigest;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal of quote batches of every size, across roll cycles: seek to any sequence (inside a batch
 * too), tails that start mid-batch, digests, verify and the per-quote counts.
 */
class JournalBatchTest
{
    @TempDir
    Path dir;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[QuoteBatchWriter.length(200)]);
    private final QuoteBatchWriter batch = new QuoteBatchWriter();

    /** Batches of 1 to 200 quotes, three five-minute cycles, a recorded hole; sequences 1 to last. */
    private long write(final Journal journal, final JournalWriter writer, final SetTimeProvider clock)
    {
        final SplittableRandom random = new SplittableRandom(11);
        long next = 1;
        for (int cycle = 0; cycle < 3; cycle++)
        {
            for (int i = 0; i < 150; i++)
            {
                final int size = i % 10 == 0 ? 200 : 1 + random.nextInt(i % 3 == 0 ? 1 : 40);
                batch.wrap(buffer, 0, 99, next);
                for (int q = 0; q < size; q++)
                {
                    batch.add(JournalTest.quote(next + q));
                }
                assertTrue(writer.append(buffer, 0, batch.length()));
                next += size;
                if (cycle == 1 && i == 70)
                {
                    for (int h = 0; h < 30; h++)
                    {
                        assertTrue(writer.recordNotJournaled(next++)); // sent live-only: a recorded hole
                    }
                }
            }
            clock.advanceMillis(TimeUnit.MINUTES.toMillis(5));
        }
        return next - 1;
    }

    @Test
    void everySequenceIsFoundInsideItsBatchAndTailsFromThereTrimTheBatch()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        try (Journal journal = Journal.open(dir, RollCycles.FIVE_MINUTELY, clock); JournalWriter writer = journal.newWriter())
        {
            final long last = write(journal, writer, clock);
            assertEquals(3, journal.cycleCount());
            assertEquals(1, journal.firstSequence());
            assertEquals(last, journal.lastSequence());
            assertEquals(last - 30, journal.quoteCount());
            assertEquals(450, journal.entryCount());

            final SplittableRandom random = new SplittableRandom(5);
            try (JournalReader reader = journal.newReader())
            {
                for (int i = 0; i < 300; i++)
                {
                    final long sequence = 1 + random.nextLong(last);
                    if (journal.notJournaled().contains(sequence))
                    {
                        assertFalse(reader.seek(sequence), "never journaled: " + sequence);
                        continue;
                    }
                    assertTrue(reader.seek(sequence), "seek " + sequence);
                    final long[] held = {0, 0};
                    reader.read((first, b, offset, length) ->
                    {
                        held[0] = first;
                        held[1] = first + QuoteBatchWriter.count(b, offset) - 1;
                        return true;
                    });
                    assertTrue(held[0] <= sequence && sequence <= held[1], sequence + " in " + held[0] + ".." + held[1]);
                }
                assertFalse(reader.seek(last + 1), "past the end");
            }

            // A tail from the middle of a batch hands on that batch with where it is wanted from.
            final long from = 1 + random.nextLong(last - 1000);
            final List<Long> seen = new ArrayList<>();
            final FeedDecoder decoder = new FeedDecoder(quote -> seen.add(quote.sequence()));
            try (JournalTail tail = new JournalTail(journal).from(journal.nextJournaled(from)))
            {
                while (seen.size() < 500 || tail.atNotJournaled())
                {
                    if (tail.atNotJournaled())
                    {
                        tail.from(tail.notJournaledLast() + 1);
                    }
                    tail.poll((first, b, offset, length) ->
                    {
                        final long wanted = tail.wantedFrom();
                        final UnsafeBuffer trimmed = new UnsafeBuffer(new byte[length]);
                        final QuoteBatchWriter trim = new QuoteBatchWriter().wrapTrimmed(trimmed, 0, b, offset, wanted);
                        decoder.decode(trimmed, 0, trim.length());
                        return true;
                    }, 10);
                }
            }
            long expected = journal.nextJournaled(from);
            for (final long sequence : seen)
            {
                expected = journal.nextJournaled(expected);
                assertEquals(expected, sequence);
                expected++;
            }

            assertEquals(digestOf(1, last, journal), journal.digest(1, last));
            assertEquals(digestOf(from, from + 777, journal), journal.digest(from, from + 777));
            final JournalVerifier.Result verified = JournalVerifier.verify(journal);
            assertTrue(verified.ok(), verified.toString());
            assertEquals(450, verified.entries());
            assertEquals(30, verified.notJournaled());
            assertTrue(JournalVerifier.verify(dir, JournalVerifier.Depth.START_UP).ok());
        }
    }

    private static long digestOf(final long from, final long to, final Journal journal)
    {
        final QuoteDigest digest = new QuoteDigest();
        for (long sequence = from; sequence <= to; sequence++)
        {
            if (!journal.notJournaled().contains(sequence))
            {
                final MutableQuote quote = JournalTest.quote(sequence);
                digest.update(quote);
            }
        }
        return digest.value();
    }
}
