package io.feedhandler.subscriber;

import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.codecs.SummaryLine;
import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * What a subscriber did in one run.
 *
 * @param delivered         ticks handed to the listener.
 * @param firstSeq          first sequence delivered, 0 if none.
 * @param lastSeq           last sequence delivered, 0 if none.
 * @param gapsDetected      gaps seen (a jump in sequence, or a heartbeat past what we had).
 * @param gapTicks          sequences inside those gaps.
 * @param recovered         ticks delivered through the pull path (the journal).
 * @param recoveries        recoveries that merged back into live.
 * @param replaySessions    pulls started (replay requests sent, or journal reads begun).
 * @param replayErrors      pulls refused, interrupted or restarted.
 * @param replayFailovers   pulls that went to a replay server other than the first in {@code --replay-channel}
 *                          (an earlier one was unreachable, refusing, silent or backing off).
 * @param replayUnreachable pulls that could not start for the recovery timeout (no replay server reachable,
 *                          or every one backing off): each reported once ({@code ... still trying}) and retried.
 * @param replayServer      the replay server the last pull went to; null before any, or recovering from a journal.
 * @param lost              sequences the journal no longer held when asked: never delivered.
 * @param liveRejoins       times live fell silent and was rejoined.
 * @param bufferOverwrites  live ticks dropped from a full recovery buffer (replayed instead).
 * @param bufferRestarts    times live jumped past the buffered run while recovering, which started
 *                          again from the new tick (what it held is replayed instead).
 * @param duplicatesDropped sequences received again after delivery, dropped.
 * @param malformed         messages that failed to decode, dropped.
 * @param publisherLastSeq  highest sequence the publisher announced in a heartbeat.
 * @param state             LIVE or RECOVERING when the summary was taken.
 * @param feedStatus        STALE when live has been silent (no tick, no heartbeat) past the stale timeout, else OK.
 * @param staleEvents       times live went silent past the stale timeout.
 * @param latency           one-way latency of ticks delivered from live, publisher due time to delivery, nanoseconds.
 * @param runNanos          how long the subscriber ran.
 * @param recoveryNanos     time spent {@code RECOVERING} (pulling and merging), all recoveries together.
 * @param epoch             the epoch of the stream followed (its journal's history); 0 before one is heard.
 * @param otherPublisher    messages of another publisher (another epoch) on the same channel and
 *                          stream, dropped, never delivered.
 * @param bookDigest        the {@link io.feedhandler.codecs.BookDigest} of the final top of book
 *                          (every tracked instrument, in id order).
 * @param snapshots         snapshots delivered whole ({@code --snapshot}, {@code --on-lost snapshot}).
 * @param snapshotSeq       the last snapshot's sequence: the book was as of it, ticks after it followed.
 * @param snapshotInstruments quotes in the last snapshot (one per instrument).
 * @param conflated         ticks a conflating subscriber did not deliver: superseded, while it was
 *                          behind, by a later quote of their instrument.
 * @param conflations       times it conflated (delivered held quotes after skipping some).
 * @param liveAfterNanos    for a subscriber that started recovering (a snapshot, a starting sequence):
 *                          how long after its start it was first live; 0 otherwise, or not yet.
 * @param instrumentFiltered whether the subscriber took only some instruments ({@code --instrument}).
 * @param filtered          ticks of other instruments a filtered subscriber passed over (in sequence, never delivered).
 * @param unresolved        with no recovery, ticks a filtered subscriber could not place (their definitions had
 *                          not arrived): not delivered.
 * @param undefinedInstruments symbols asked for that no definition in force named when the subscriber first
 *                          heard them all (warned once): they match nothing until defined.
 * @param livePassed        live ticks a pull went past (and delivered itself) because live trailed
 *                          the journal: further behind its head than {@code MERGE_LAG_TICKS}, or
 *                          sent longer ago than {@code MERGE_LAG}.
 * @param steadyLatency     the same as {@code latency}, without the ticks of the warm-up ({@code warmupNanos}
 *                          after the first live tick).
 * @param recoveredAge      ticks delivered through recovery: their age at delivery (send time to delivery), nanoseconds.
 * @param warmupNanos       the warm-up left out of {@code steadyLatency}.
 * @param profile           the threading and idle profile the subscriber ran with.
 * @param lines             with a B line, what each line brought ({@link LineStats}, A then B); empty without.
 * @param lineGapsCovered   with a B line, holes in one line the other filled within the line wait (no gap, no pull).
 */
public record SubscriberStats(
    String name,
    long delivered,
    long firstSeq,
    long lastSeq,
    long gapsDetected,
    long gapTicks,
    long recovered,
    long recoveries,
    long replaySessions,
    long replayErrors,
    long replayFailovers,
    long replayUnreachable,
    String replayServer,
    long lost,
    long liveRejoins,
    long bufferOverwrites,
    long bufferRestarts,
    long duplicatesDropped,
    long malformed,
    long[] malformedByReason,
    long heartbeats,
    long publisherLastSeq,
    boolean publisherEnded,
    int instruments,
    String state,
    String feedStatus,
    long staleEvents,
    long digest,
    Histogram latency,
    long runNanos,
    long recoveryNanos,
    long epoch,
    long otherPublisher,
    long livePassed,
    long bookDigest,
    long snapshots,
    long snapshotSeq,
    long snapshotInstruments,
    long conflated,
    long conflations,
    long liveAfterNanos,
    boolean instrumentFiltered,
    long filtered,
    long unresolved,
    int undefinedInstruments,
    Histogram steadyLatency,
    Histogram recoveredAge,
    long warmupNanos,
    String profile,
    List<LineStats> lines,
    long lineGapsCovered)
{
    /**
     * One line of a redundant feed.
     *
     * @param line         {@code a} or {@code b}.
     * @param channel      the line's channel.
     * @param firstSeen    ticks this line brought first (delivered from it).
     * @param secondSeen   ticks this line brought after the other (dropped).
     * @param gaps         holes in what this line carried (a gap of the feed only when the other line missed it too).
     * @param gapTicks     sequences in those holes.
     * @param silentEvents times this line was silent past the stale timeout (rejoined).
     * @param silent       whether it is silent now.
     */
    public record LineStats(
        String line, String channel, long firstSeen, long secondSeen, long gaps, long gapTicks, long silentEvents,
        boolean silent)
    {
        SummaryLine toSummaryLine()
        {
            return new SummaryLine()
                .add("channel", channel)
                .add("firstSeen", firstSeen)
                .add("secondSeen", secondSeen)
                .add("gaps", gaps)
                .add("gapTicks", gapTicks)
                .add("silentEvents", silentEvents)
                .add("silent", silent);
        }
    }

    public SummaryLine toSummaryLine()
    {
        final SummaryLine malformedReasons = new SummaryLine();
        for (final MalformedReason reason : MalformedReason.values())
        {
            malformedReasons.add(reason.name(), malformedByReason[reason.ordinal()]);
        }
        final SummaryLine line = new SummaryLine()
            .add("role", "subscriber")
            .add("name", name)
            .add("delivered", delivered)
            .add("firstSeq", firstSeq)
            .add("lastSeq", lastSeq)
            .add("gapsDetected", gapsDetected)
            .add("recovered", recovered)
            .add("duplicatesDropped", duplicatesDropped)
            .add("malformed", malformed)
            .add("digest", QuoteDigest.toHex(digest))
            .add("bookDigest", QuoteDigest.toHex(bookDigest))
            .add("latencyNs", percentiles(latency))
            .add("steadyLatencyNs", percentiles(steadyLatency))
            .add("warmupMs", warmupNanos / 1_000_000)
            .add("recoveredAgeNs", percentiles(recoveredAge))
            .add("profile", profile)
            .add("gapTicks", gapTicks)
            .add("recoveries", recoveries)
            .add("replaySessions", replaySessions)
            .add("replayErrors", replayErrors)
            .add("replayFailovers", replayFailovers)
            .add("replayUnreachable", replayUnreachable)
            .add("lost", lost)
            .add("liveRejoins", liveRejoins)
            .add("bufferOverwrites", bufferOverwrites)
            .add("bufferRestarts", bufferRestarts)
            .add("malformedReasons", malformedReasons)
            .add("heartbeats", heartbeats)
            .add("publisherLastSeq", publisherLastSeq)
            .add("publisherEnded", publisherEnded)
            .add("instruments", instruments)
            .add("state", state)
            .add("feedStatus", feedStatus)
            .add("staleEvents", staleEvents)
            .add("durationMs", runNanos / 1_000_000)
            .add("recoveryMs", recoveryNanos / 1_000_000)
            .add("epoch", String.format("%016x", epoch))
            .add("otherPublisher", otherPublisher)
            .add("livePassed", livePassed)
            .add("conflated", conflated)
            .add("conflations", conflations);
        if (replayServer != null)
        {
            line.add("replayServer", replayServer);
        }
        if (liveAfterNanos > 0)
        {
            line.add("liveAfterMs", liveAfterNanos / 1_000_000);
        }
        if (instrumentFiltered)
        {
            line.add("filtered", filtered)
                .add("unresolved", unresolved)
                .add("undefinedInstruments", undefinedInstruments);
        }
        if (!lines.isEmpty())
        {
            final SummaryLine byLine = new SummaryLine();
            for (final LineStats stats : lines)
            {
                byLine.add(stats.line(), stats.toSummaryLine());
            }
            line.add("lines", byLine).add("lineGapsCovered", lineGapsCovered);
        }
        if (snapshots > 0)
        {
            line.add("snapshotSeq", snapshotSeq)
                .add("snapshotInstruments", snapshotInstruments)
                .add("snapshots", snapshots);
        }
        return line;
    }

    /**
     * {@code p50}, {@code p99}, {@code p999}, {@code max} and {@code count} (how many ticks they are of;
     * all 0 for none).
     */
    public static SummaryLine percentiles(final Histogram histogram)
    {
        return new SummaryLine()
            .add("p50", histogram.getValueAtPercentile(50))
            .add("p99", histogram.getValueAtPercentile(99))
            .add("p999", histogram.getValueAtPercentile(99.9))
            .add("max", histogram.getMaxValue())
            .add("count", histogram.getTotalCount());
    }
}
