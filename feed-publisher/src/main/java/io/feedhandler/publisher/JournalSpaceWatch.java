package io.feedhandler.publisher;

import io.feedhandler.journal.JournalWriter;
import io.feedhandler.journal.NotJournaledRanges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Off the hot path, every disk check interval: samples the journal's free space (renewing the
 * writer's budget) and reports the publisher's journal state when it changes: one error line when
 * the journal fills (the alarm), one line when journaling resumes. Run on a thread of its own
 * ({@code feed-journal-space}), so the publisher's agent never logs or calls the file system for it.
 */
final class JournalSpaceWatch implements Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalSpaceWatch.class);

    private final JournalGate gate;
    private final JournalWriter writer;
    private final JournalFullPolicy policy;
    private JournalState reported = JournalState.JOURNALING;
    private long reportedEvents;
    private boolean sampleFailureReported;
    private boolean failureReported;

    JournalSpaceWatch(final JournalGate gate)
    {
        this.gate = gate;
        this.writer = gate.writer();
        this.policy = gate.policy();
    }

    public void run()
    {
        try
        {
            writer.space().sample();
            sampleFailureReported = false;
        }
        catch (final RuntimeException ex)
        {
            if (!sampleFailureReported)
            {
                sampleFailureReported = true;
                LOG.warn("cannot read the journal disk's free space (the last reading stands): {}", ex.getMessage());
            }
        }
        report();
    }

    /** Log a change of journal state since the last call; nothing when there is none. */
    void report()
    {
        final long events = gate.fullEvents();
        if (events != reportedEvents)
        {
            // Read after the count: the gate writes these before it. An episode that began and ended
            // between two calls is still reported, then its end below.
            reportedEvents = events;
            reported = gate.fullState();
            LOG.error(fullMessage(reported, gate.fullSequence()));
        }
        final JournalState state = gate.state();
        if (state != reported && (events == gate.fullEvents()))
        {
            if (state == JournalState.JOURNALING)
            {
                final NotJournaledRanges ranges = writer.notJournaled();
                final int count = ranges.count();
                LOG.warn("journal disk has room again ({} free): journaling resumed{}",
                    bytes(writer.space().lastUsableBytes()),
                    reported == JournalState.LIVE_ONLY && count > 0 ? "; sequences " +
                    ranges.first(count - 1) + ".." + ranges.last(count - 1) + " were sent without being journaled" :
                    ", no sequence skipped");
            }
            else if (state == JournalState.STOPPED)
            {
                LOG.error("JOURNAL FULL: the not-journaled ranges file is full ({} ranges): live-only cannot go on; " +
                    "publishing STOPPED at sequence {} until the journal has room", NotJournaledRanges.CAPACITY,
                    gate.fullSequence());
            }
            reported = state;
        }
        final Throwable failure = writer.failure();
        if (failure != null && !failureReported)
        {
            failureReported = true;
            LOG.error("journal append failed: {}; journaling will not resume in this run. Once the disk has room, " +
                "run 'feed journal verify' (the entry being written when the disk ran dry may be damaged) and " +
                "restart the publisher", failure.toString());
        }
    }

    private String fullMessage(final JournalState state, final long sequence)
    {
        final String why = writer.failure() != null ? "an append failed (" + writer.failure() + ")" :
            "the journal's disk is down to its reserve (--min-free-disk " + bytes(writer.space().minFreeBytes()) +
            "; " + bytes(writer.space().lastUsableBytes()) + " free at the last reading)";
        final String resume = "resumes when " + bytes(2 * writer.space().minFreeBytes()) + " are free";
        if (state == JournalState.LIVE_ONLY)
        {
            return "JOURNAL FULL: " + why + "; policy live-only: sending live WITHOUT journaling from sequence " +
                sequence + " (recorded in " + writer.notJournaled().file() + "; replay refuses it with " +
                "NOT_JOURNALED); " + resume;
        }
        return "JOURNAL FULL: " + why + "; policy " + policy.cliName() + ": publishing STOPPED at sequence " +
            sequence + (policy == JournalFullPolicy.LIVE_ONLY ? " (the not-journaled ranges file is full)" : "") +
            " (nothing is sent that the journal does not hold; heartbeats go on); " + resume;
    }

    static String bytes(final long bytes)
    {
        if (bytes >= 1L << 30)
        {
            return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double)(1L << 30));
        }
        if (bytes >= 1L << 20)
        {
            return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double)(1L << 20));
        }
        return bytes >= 1L << 10 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
