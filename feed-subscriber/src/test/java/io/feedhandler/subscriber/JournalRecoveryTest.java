package io.feedhandler.subscriber;

import io.feedhandler.codecs.QuoteBatchWriter;

import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Quote;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recovery straight from a real journal on disk that has a range recorded as not journaled. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JournalRecoveryTest
{
    @TempDir
    Path dir;

    private final List<Long> recovered = new ArrayList<>();
    private final List<String> unavailable = new ArrayList<>();
    private final RecoverySource.Handler handler = new RecoverySource.Handler()
    {
        public void onQuote(final Quote quote)
        {
            recovered.add(quote.sequence());
        }

        public void onRefused(final boolean belowRetention, final long firstAvailable, final String reason)
        {
            unavailable.add("refused " + reason);
        }

        public void onNotJournaled(final long firstSequence, final long lastSequence, final String reason)
        {
            unavailable.add(firstSequence + ".." + lastSequence);
        }

        public void onInterrupted(final String reason)
        {
        }
    };

    @Test
    void thePullStopsAtARangeNeverJournaledSaysSoAndCanGoOnAfterIt()
    {
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter();
            JournalRecovery recovery = new JournalRecovery(dir, handler))
        {
            append(writer, 1, 10);
            for (long sequence = 11; sequence <= 20; sequence++)
            {
                assertTrue(writer.recordNotJournaled(sequence));
            }
            append(writer, 21, 10);

            recovery.start(5);
            while (recovery.poll(100) > 0)
            {
                assertTrue(recovered.size() <= 30);
            }
            assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), recovered);
            assertEquals(List.of("11..20"), unavailable);

            recovery.start(15);
            recovery.poll(100);
            assertEquals(List.of("11..20", "11..20"), unavailable, "asked inside the range: told at once");

            recovered.clear();
            recovery.start(21);
            while (recovery.poll(100) > 0)
            {
                assertTrue(recovered.size() <= 30);
            }
            assertEquals(10, recovered.size());
            assertEquals(21L, recovered.get(0));
        }
    }

    private static void append(final JournalWriter writer, final long first, final int count)
    {
        final FeedEncoder encoder = new FeedEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final MutableQuote quote = new MutableQuote();
        for (long sequence = first; sequence < first + count; sequence++)
        {
            quote.sequence = sequence;
            quote.instrumentId = 1;
            quote.bidPrice = 100;
            quote.askPrice = 101;
            quote.bidSize = 1;
            quote.askSize = 1;
            writer.append(buffer, 0, QuoteBatchWriter.single(buffer, 0, 0, quote));
        }
    }
}
