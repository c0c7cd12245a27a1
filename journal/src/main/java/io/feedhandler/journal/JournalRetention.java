package io.feedhandler.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Retention of a journal being written ({@code --retain-cycles}), for the publisher and the replica
 * alike: on a daemon thread of its own, off the hot path, since it lists and deletes files.
 */
public final class JournalRetention
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);

    private JournalRetention()
    {
    }

    /**
     * Keep at most {@code cyclesToKeep} cycle files of {@code journal}, checking every {@code intervalNanos}.
     *
     * @return the executor running it: shut it down when the journal closes.
     */
    public static ScheduledExecutorService start(final Journal journal, final int cyclesToKeep, final long intervalNanos)
    {
        final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "feed-journal-retention");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() ->
        {
            try
            {
                final int deleted = journal.retainCycles(cyclesToKeep);
                if (deleted > 0)
                {
                    LOG.info("retention: deleted {} journal cycle file(s); journal now starts at sequence {}",
                        deleted, journal.firstSequence());
                }
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("retention failed: {}", ex.getMessage());
            }
        }, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        return executor;
    }
}
