package io.feedhandler.journal;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.Quote;

/**
 * Reads a whole journal and checks what the rest of the system assumes of it: every entry decodes as
 * a quote, and sequences run on by one with no repeat and no hole but those recorded as not
 * journaled ({@link NotJournaledRanges}: sent while the disk was full, policy live-only).
 */
public final class JournalVerifier
{
    /**
     * @param entries         entries read.
     * @param firstSequence   first sequence, 0 if empty.
     * @param lastGoodSequence last sequence before the first problem (or the last one).
     * @param firstBadSequence first sequence that is missing or does not decode, 0 when all is well.
     * @param problem         what is wrong, null when all is well.
     * @param notJournaled    sequences inside the journal's extent stepped over as recorded not journaled.
     */
    public record Result(
        long entries, long firstSequence, long lastGoodSequence, long firstBadSequence, String problem,
        long notJournaled)
    {
        public boolean ok()
        {
            return problem == null;
        }
    }

    private JournalVerifier()
    {
    }

    public static Result verify(final Journal journal)
    {
        final long[] entries = {0};
        final long[] first = {0};
        final long[] last = {0};
        final String[] problem = {null};
        final long[] bad = {0};
        final boolean[] decoded = {false};
        final long[] skipped = {0};
        final FeedDecoder decoder = new FeedDecoder(new FeedHandler()
        {
            public void onQuote(final Quote quote)
            {
                decoded[0] = true;
            }

            public void onMalformed(final MalformedReason reason)
            {
                decoded[0] = false;
                problem[0] = "entry does not decode (" + reason + ")";
            }
        });
        try (JournalReader reader = journal.newReader())
        {
            reader.toStart();
            boolean more = true;
            while (more && problem[0] == null)
            {
                more = reader.read((sequence, buffer, offset, length) ->
                {
                    entries[0]++;
                    long expected = last[0] == 0 ? sequence : last[0] + 1;
                    if (sequence > expected && journal.nextJournaled(expected) == sequence)
                    {
                        skipped[0] += sequence - expected; // a recorded hole: sent live-only, never journaled
                        expected = sequence;
                    }
                    decoded[0] = false;
                    decoder.decode(buffer, offset, length);
                    if (!decoded[0] || sequence <= 0)
                    {
                        bad[0] = last[0] == 0 ? Math.max(1, sequence) : last[0] + 1;
                        if (problem[0] == null)
                        {
                            problem[0] = "entry is not a quote";
                        }
                        return true;
                    }
                    if (sequence != expected)
                    {
                        bad[0] = expected;
                        problem[0] = "expected sequence " + expected + ", found " + sequence;
                        return true;
                    }
                    if (first[0] == 0)
                    {
                        first[0] = sequence;
                    }
                    last[0] = sequence;
                    return true;
                });
            }
        }
        catch (final RuntimeException ex)
        {
            bad[0] = last[0] + 1;
            problem[0] = "journal cannot be read after sequence " + last[0] + ": " + ex;
        }
        return new Result(entries[0], first[0], last[0], bad[0], problem[0], skipped[0]);
    }
}
