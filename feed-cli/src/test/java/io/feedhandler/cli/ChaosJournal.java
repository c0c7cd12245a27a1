package io.feedhandler.cli;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalTail;

import java.util.ArrayDeque;

/**
 * The journal's digest of one subscriber incarnation's range, extended as the incarnation delivers
 * more: {@code from} to {@code digestedTo}, chained as the subscriber chains its own, so each check
 * reads only what is new. A journal entry holds a batch of quotes; those of a batch beyond the
 * checked sequence wait for the next check.
 */
final class ChaosJournal implements AutoCloseable
{
    private final long from;
    private final JournalTail tail;
    private final QuoteDigest digest = new QuoteDigest();
    private final ArrayDeque<long[]> ahead = new ArrayDeque<>();
    private final FeedDecoder decoder;
    private long digestedTo;
    private boolean malformed;

    ChaosJournal(final Journal journal, final long from)
    {
        this.from = from;
        this.digestedTo = from - 1;
        this.tail = new JournalTail(journal).from(from);
        this.decoder = new FeedDecoder(new FeedHandler()
        {
            public void onQuote(final Quote quote)
            {
                if (quote.sequence() >= ChaosJournal.this.from)
                {
                    ahead.add(new long[] {quote.sequence(), quote.instrumentId(), quote.bidPrice(), quote.bidSize(),
                        quote.askPrice(), quote.askSize()});
                }
            }

            public void onMalformed(final MalformedReason reason)
            {
                malformed = true;
            }
        });
    }

    long from()
    {
        return from;
    }

    long digestedTo()
    {
        return digestedTo;
    }

    /**
     * The journal's digest of {@code from..to}, or null when the journal does not hold {@code to} yet.
     *
     * @throws IllegalStateException when the journal skips a sequence or an entry does not decode.
     */
    String digestTo(final long to)
    {
        if (to < digestedTo)
        {
            throw new IllegalArgumentException("already digested to " + digestedTo + ", asked for " + to);
        }
        while (digestedTo < to)
        {
            if (ahead.isEmpty())
            {
                final int read = tail.poll((first, buffer, offset, length) ->
                {
                    decoder.decode(buffer, offset, length);
                    return true;
                }, 64);
                if (malformed)
                {
                    throw new IllegalStateException("a journal entry after sequence " + digestedTo + " does not decode");
                }
                if (read == 0)
                {
                    return null;
                }
                continue;
            }
            final long[] quote = ahead.peek();
            if (quote[0] != digestedTo + 1)
            {
                throw new IllegalStateException("the journal has sequence " + quote[0] + " after " + digestedTo);
            }
            ahead.poll();
            digest.update(quote[0], (int)quote[1], quote[2], quote[3], quote[4], quote[5]);
            digestedTo = quote[0];
        }
        return digest.toHex();
    }

    public void close()
    {
        tail.close();
    }
}
