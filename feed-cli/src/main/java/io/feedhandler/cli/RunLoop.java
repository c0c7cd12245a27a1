package io.feedhandler.cli;

import io.feedhandler.codecs.SummaryLine;
import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * How every long-running command runs (publish, subscribe, replay-server, driver, metrics), written
 * once: open the {@link ShutdownSignal} first, so a stopped process still ends with its summary; start
 * the role; log the configuration and the start line (scripts wait for some, e.g.
 * {@link SubscribeCommand#READY}); wait for the end, logging {@code status: ...} every status
 * interval; print the summary line last on stdout; then a failure is rethrown (exit 1) or the run's
 * exit code returned. After SIGINT/SIGTERM ({@link Signals}) the run is asked to stop, ends as usual,
 * and the process exits 130/143 once the summary is out; a signal before or during the start (a
 * journal check, say) stops the start, and the summary says {@code "interrupted":"start-up"}.
 */
final class RunLoop
{
    /** How often the loop looks whether the run has ended. */
    static final long POLL_MILLIS = 100;

    private final Logger log;
    private final ConfigOptions config;
    private final long statusIntervalNanos;

    /**
     * @param log                 the command's logger: the lines carry its name, as they always have.
     * @param statusIntervalNanos how often to log the run's counters; 0 = never.
     */
    RunLoop(final Logger log, final ConfigOptions config, final long statusIntervalNanos)
    {
        this.log = log;
        this.config = config;
        this.statusIntervalNanos = statusIntervalNanos;
    }

    /** @param launch starts the run; called once the shutdown signal is in place. */
    int run(final Supplier<Run> launch) throws Exception
    {
        return run(launch, SummaryLine::new);
    }

    /**
     * @param launch     starts the run; called once the shutdown signal is in place.
     * @param notStarted the summary line of a run that SIGINT/SIGTERM stopped before it started (its
     *                   fields, each nothing yet); the loop adds {@code "interrupted":"start-up"}.
     */
    int run(final Supplier<Run> launch, final Supplier<SummaryLine> notStarted) throws Exception
    {
        try (ShutdownSignal signal = new ShutdownSignal())
        {
            final AtomicReference<Run> started = new AtomicReference<>();
            signal.onSignal(() ->
            {
                final Run run = started.get();
                if (run != null)
                {
                    run.stop.run();
                }
            });
            Run launched = null;
            RuntimeException startFailure = null;
            if (!signal.signalled())
            {
                try
                {
                    launched = launch.get();
                }
                catch (final RuntimeException ex)
                {
                    startFailure = ex;
                }
            }
            if (launched == null && (startFailure == null || signal.signalled()))
            {
                // Stopped before it started (a long journal check, say): that is no failure and no damage.
                log.info("{} before the start{}: nothing was started", Signals.name(),
                    startFailure == null ? "" : " (" + startFailure.getMessage() + ")");
                System.out.println(notStarted.get().add("interrupted", "start-up"));
                System.out.flush();
                return FeedMain.EXIT_OK;
            }
            if (startFailure != null)
            {
                throw startFailure;
            }
            try (Run run = launched)
            {
                started.set(run);
                if (signal.signalled())
                {
                    run.stop.run(); // it came while starting: the run stops at once, and ends as usual
                }
                return loop(run);
            }
        }
    }

    private int loop(final Run run) throws Exception
    {
        log.info("{}", config.describe());
        log.info("{}", run.startLine());
        final long startNanos = System.nanoTime();
        long nextStatus = startNanos + statusIntervalNanos;
        while (!run.completion.awaitCompletion(POLL_MILLIS, TimeUnit.MILLISECONDS))
        {
            run.whileRunning(System.nanoTime() - startNanos);
            if (statusIntervalNanos > 0 && System.nanoTime() - nextStatus >= 0)
            {
                nextStatus += statusIntervalNanos;
                log.info("status: {}", run.progress.get());
            }
        }
        System.out.println(run.summary());
        System.out.flush();
        final Throwable failure = run.failure.get();
        if (failure != null)
        {
            throw new RuntimeException(run.name + " failed: " + failure, failure);
        }
        return run.exitCode();
    }

    /** Waits up to a timeout for the end of a run: true once it has ended. */
    @FunctionalInterface
    interface Completion
    {
        boolean awaitCompletion(long timeout, TimeUnit unit) throws InterruptedException;
    }

    /**
     * A started role as the loop drives it: the role's own methods, by reference, and what the command
     * says about it (start line, summary, exit code).
     */
    abstract static class Run implements AutoCloseable
    {
        private final String name;
        private final AutoCloseable role;
        private final Runnable stop;
        private final Completion completion;
        private final Supplier<String> progress;
        private final Supplier<Throwable> failure;

        /**
         * @param name       what failed, in "NAME failed: ..." (exit 1).
         * @param role       closed when the run is over, after the summary.
         * @param stop       what SIGINT/SIGTERM does: ask the role to end (it then ends as usual).
         * @param completion waits for the role's end.
         * @param progress   its counters, for the status line.
         * @param failure    why it ended early, or null.
         */
        Run(final String name, final AutoCloseable role, final Runnable stop, final Completion completion,
            final Supplier<String> progress, final Supplier<Throwable> failure)
        {
            this.name = name;
            this.role = role;
            this.stop = stop;
            this.completion = completion;
            this.progress = progress;
            this.failure = failure;
        }

        /** Logged once the role runs, after the configuration. */
        abstract String startLine();

        /** Printed last on stdout, once the role has ended. */
        abstract SummaryLine summary();

        /**
         * Called every {@link #POLL_MILLIS} while the role runs, off its thread: for what the command watches
         * (a subscriber that has heard from no publisher says so).
         *
         * @param runningNanos how long the role has run.
         */
        void whileRunning(final long runningNanos)
        {
        }

        /** The exit code of a run that did not fail; a run that says otherwise logs why first. */
        int exitCode()
        {
            return FeedMain.EXIT_OK;
        }

        public void close() throws Exception
        {
            role.close();
        }
    }
}
