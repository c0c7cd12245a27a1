package io.feedhandler.publisher;

import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.codecs.QuoteDigest;
import org.agrona.DirectBuffer;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;

/**
 * What a publisher counts of its run, and the three forms it is read in: the summary
 * ({@link #stats}), the status line while running ({@link #progress}) and the live counters in the
 * media driver's CnC file ({@link #updateLiveCounters}). Written only on the publisher's thread;
 * the other threads read recent values, not a consistent snapshot.
 */
final class PublisherMetrics
{
    private final QuoteDigest digest = new QuoteDigest();
    private final LiveSender live;
    private final JournalGate journal;
    private long published;
    private long firstSeq;
    private long lastSeq;
    private long batches;

    PublisherMetrics(final LiveSender live, final JournalGate journal)
    {
        this.live = live;
        this.journal = journal;
    }

    /** The batch encoded at {@code offset} of {@code buffer} is published in this run. */
    void published(final DirectBuffer buffer, final int offset)
    {
        final long first = QuoteBatchWriter.firstSequence(buffer, offset);
        final int count = QuoteBatchWriter.count(buffer, offset);
        if (published == 0)
        {
            firstSeq = first;
        }
        lastSeq = first + count - 1;
        published += count;
        batches++;
        QuoteBatchWriter.digest(digest, buffer, offset);
    }

    /** Batches published: with {@link #published()}, how well ticks were batched. */
    long batches()
    {
        return batches;
    }

    long published()
    {
        return published;
    }

    /**
     * @param journalLastSeq  the last sequence given out on the journal, earlier runs included.
     * @param publishingNanos from the first tick's due time to the end of publishing.
     */
    PublisherStats stats(final long journalLastSeq, final long publishingNanos)
    {
        return new PublisherStats(
            published, firstSeq, lastSeq, journalLastSeq, live.backPressured(), live.notConnected(), live.heartbeats(),
            digest.value(), publishingNanos, journal.fullEvents(), journal.notJournaled(), journal.state().name(),
            batches, live.lineB() != null ? new PublisherStats.LineB(live.lineB().channel(), live.lineBBackPressured(),
            live.lineBNotConnected()) : null);
    }

    String progress(final long journalLastSeq, final PublisherAgent.State state)
    {
        return "published=" + published + " lastSeq=" + journalLastSeq + " state=" + state + " backPressured=" +
            live.backPressured() + " notConnected=" + live.notConnected() + " journal=" + journal.state() +
            " journalFull=" + journal.fullEvents() + " notJournaled=" + journal.notJournaled();
    }

    void updateLiveCounters(final FeedCounters counters, final long journalLastSeq, final PublisherAgent.State state)
    {
        counters.set(FeedCounter.PUBLISHED, published);
        counters.set(FeedCounter.PUBLISHER_LAST_SEQUENCE, journalLastSeq);
        counters.set(FeedCounter.BACK_PRESSURED, live.backPressured());
        counters.set(FeedCounter.NOT_CONNECTED, live.notConnected());
        counters.set(FeedCounter.PUBLISHER_STATE, state.ordinal());
        counters.set(FeedCounter.JOURNAL_FULL, journal.fullEvents());
        counters.set(FeedCounter.NOT_JOURNALED, journal.notJournaled());
        counters.set(FeedCounter.JOURNAL_STATE, journal.state().ordinal());
        if (live.lineB() != null)
        {
            counters.set(FeedCounter.LINE_B_BACK_PRESSURED, live.lineBBackPressured());
            counters.set(FeedCounter.LINE_B_NOT_CONNECTED, live.lineBNotConnected());
        }
    }
}
