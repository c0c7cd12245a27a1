package io.feedhandler.replica;

import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.subscriber.SubscriberStats;

/**
 * What a replica reports when it ends (and while it runs): its journal against its upstream, and the
 * subscriber and replay server it is made of, nested.
 *
 * @param startSeq        the first sequence this run asked for: the journal's last + 1 (1 for a new journal).
 * @param journalLastSeq  the journal's last sequence, appended or recorded as not journaled.
 * @param upstreamHead    the highest sequence the upstream is known to have.
 * @param epoch           the epoch of the history it holds (the upstream's); 0 before it was heard.
 * @param state           AWAITING_UPSTREAM, FOLLOWING, FAILED or STOPPED ({@link io.feedhandler.journal.ReplicaState.State}).
 * @param failed          why it stopped journaling, or null.
 * @param refused         why the run was refused (another stream's epoch heard), or null.
 * @param replay          its replay server's counters; null when the server never started (the upstream not heard).
 */
public record ReplicaStats(
    SubscriberStats subscriber,
    long startSeq,
    long journalFirstSeq,
    long journalLastSeq,
    long appendedTicks,
    long entries,
    long notJournaled,
    long upstreamHead,
    long epoch,
    String state,
    String failed,
    String refused,
    SummaryLine replay)
{
    /** Sequences the journal lacks of what the upstream has. */
    public long trailsBy()
    {
        return Math.max(0, upstreamHead - journalLastSeq);
    }

    public SummaryLine toSummaryLine()
    {
        final SummaryLine line = new SummaryLine()
            .add("role", "replica")
            .add("delivered", subscriber.delivered())
            .add("firstSeq", subscriber.firstSeq())
            .add("lastSeq", subscriber.lastSeq())
            .add("digest", QuoteDigest.toHex(subscriber.digest()))
            .add("startSeq", startSeq)
            .add("journalFirstSeq", journalFirstSeq)
            .add("journalLastSeq", journalLastSeq)
            .add("appendedTicks", appendedTicks)
            .add("entries", entries)
            .add("notJournaled", notJournaled)
            .add("upstreamHead", upstreamHead)
            .add("trailsBy", trailsBy())
            .add("epoch", String.format("%016x", epoch))
            .add("state", state);
        if (failed != null)
        {
            line.add("failed", failed);
        }
        if (refused != null)
        {
            line.add("refused", refused);
        }
        if (replay != null)
        {
            line.add("replay", replay);
        }
        return line.add("subscriber", subscriber.toSummaryLine());
    }
}
