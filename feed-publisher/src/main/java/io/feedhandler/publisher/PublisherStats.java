package io.feedhandler.publisher;

import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.codecs.SummaryLine;

/**
 * What a publisher did in one run.
 *
 * @param published       ticks sequenced and journaled in this run.
 * @param firstSeq        first sequence of this run, 0 if none.
 * @param lastSeq         last sequence of this run, 0 if none.
 * @param journalLastSeq  last sequence in the journal (earlier runs included).
 * @param backPressured   ticks whose live send met back-pressure at least once (then retried).
 * @param notConnected    ticks journaled while no subscriber was connected (replay serves them).
 * @param heartbeats      heartbeats sent.
 * @param digest          {@link QuoteDigest} over this run's ticks.
 * @param publishingNanos time from the first tick's due time to the end of publishing.
 * @param journalFull     times the journal refused a tick (disk down to the reserve, or an append failed): the alarm.
 * @param notJournaled    ticks sent live without being journaled (policy live-only).
 * @param journalState    JOURNALING, STOPPED or LIVE_ONLY when the snapshot was taken.
 * @param batches         messages the ticks went out in (natural batching: one tick each at low rates).
 * @param lineB           the B line's counts ({@code --b-channel}); null without one.
 */
public record PublisherStats(
    long published,
    long firstSeq,
    long lastSeq,
    long journalLastSeq,
    long backPressured,
    long notConnected,
    long heartbeats,
    long digest,
    long publishingNanos,
    long journalFull,
    long notJournaled,
    String journalState,
    long batches,
    LineB lineB)
{
    /**
     * The B line of a run: the same messages on a second channel, best effort.
     *
     * @param channel       where it was sent.
     * @param backPressured ticks it did not take (back-pressure): skipped on B, sent on A and journaled.
     * @param notConnected  ticks sent while no subscriber was connected on B.
     */
    public record LineB(String channel, long backPressured, long notConnected)
    {
    }

    /** Whether the run ended with the journal full under policy stop: ticks were left unpublished. */
    public boolean endedStopped()
    {
        return JournalState.STOPPED.name().equals(journalState);
    }

    /** Achieved rate over the publishing time. */
    public long ratePerSecond()
    {
        return publishingNanos == 0 ? 0 : (long)(published * 1e9 / publishingNanos);
    }

    public SummaryLine toSummaryLine()
    {
        final SummaryLine line = new SummaryLine()
            .add("role", "publisher")
            .add("published", published)
            .add("firstSeq", firstSeq)
            .add("lastSeq", lastSeq)
            .add("backPressured", backPressured)
            .add("digest", QuoteDigest.toHex(digest))
            .add("notConnected", notConnected)
            .add("heartbeats", heartbeats)
            .add("journalLastSeq", journalLastSeq)
            .add("durationMs", publishingNanos / 1_000_000)
            .add("ratePerSec", ratePerSecond())
            .add("journalFull", journalFull)
            .add("notJournaled", notJournaled)
            .add("journalState", journalState)
            .add("batches", batches);
        if (lineB != null)
        {
            line.add("lineB", new SummaryLine()
                .add("channel", lineB.channel())
                .add("backPressured", lineB.backPressured())
                .add("notConnected", lineB.notConnected()));
        }
        return line;
    }
}
