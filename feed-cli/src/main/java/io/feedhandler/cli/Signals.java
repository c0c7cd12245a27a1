package io.feedhandler.cli;

import io.feedhandler.transport.ExitCleanup;
import sun.misc.Signal;

import java.util.concurrent.TimeUnit;

/**
 * SIGINT and SIGTERM, handled by the feed rather than by the JVM's shutdown, from the first moment of
 * {@link FeedMain#main} to the last. The JVM's own handling starts a shutdown at once: shutdown hooks
 * race the work (Chronicle then fails with "Shutdown in progress", which once read as a damaged
 * journal), a second signal does nothing, and a signal before the command set up its handling was
 * lost. Here:
 * <ul>
 *     <li>the first signal asks the command to stop ({@link #onStop}): a long-running command ends its
 *     work promptly, prints its summary line, and {@link FeedMain#main} exits 130 (SIGINT) or 143
 *     (SIGTERM). A command that has no stop action (a one-shot query) exits at once with that code.
 *     One that does not end within {@link #STOP_TIMEOUT_SECONDS} is ended as by a second signal;</li>
 *     <li>a second signal ends the process at once (after removing its temporary directories, see
 *     {@link ExitCleanup}).</li>
 * </ul>
 * Between start and the command's own handling, a signal is only recorded; the command sees it
 * ({@link #received()}) before it starts anything.
 * <p>
 * A process started in the background by a non-interactive shell has SIGINT ignored, and an ignored
 * signal stays ignored (the JVM will not take it over): such a process still stops on SIGTERM.
 */
final class Signals
{
    /** The most a stop may take before the process ends regardless. */
    static final long STOP_TIMEOUT_SECONDS = 20;

    /** Recorded, nothing else: the command looks at {@link #received()} before it starts. */
    private static final Runnable DEFERRED = () -> { };

    private static volatile boolean installed;
    private static volatile int received; // the first signal's number, 0 before
    private static volatile Runnable stopAction = DEFERRED;
    private static volatile Runnable forcedExitAction;

    private Signals()
    {
    }

    /** Take over SIGINT and SIGTERM; a signal from now on is recorded until a command says what to do. */
    static void install()
    {
        final sun.misc.SignalHandler handler = signal -> onSignal(signal.getNumber(), signal.getName());
        for (final String name : new String[]{"INT", "TERM"})
        {
            try
            {
                Signal.handle(new Signal(name), handler);
            }
            catch (final IllegalArgumentException ex)
            {
                // not available here (e.g. -Xrs): the JVM's handling stays
            }
        }
        installed = true;
    }

    /** Whether {@link #install()} ran (not in tests that run a command in-process). */
    static boolean installed()
    {
        return installed;
    }

    static boolean received()
    {
        return received != 0;
    }

    /** 130 after SIGINT, 143 after SIGTERM, 0 when no signal came. */
    static int exitCode()
    {
        return received == 0 ? 0 : 128 + received;
    }

    /** "SIGINT" or "SIGTERM", for messages; empty when none came. */
    static String name()
    {
        return received == 2 ? "SIGINT" : received == 15 ? "SIGTERM" : received == 0 ? "" : "signal " + received;
    }

    /**
     * What the first signal does from now on: stop the command's work (it then ends as usual, summary
     * first). Runs at once when the signal came already. Null: exit at once (a one-shot command).
     */
    static void onStop(final Runnable action)
    {
        stopAction = action;
        if (action != null && received())
        {
            action.run();
        }
        else if (action == null && received() && installed)
        {
            exitSoon();
        }
    }

    /**
     * The command's work is over: a signal from now on exits at once. One that came already stays
     * recorded, for {@link FeedMain#main} to exit with.
     */
    static void release()
    {
        stopAction = received() ? DEFERRED : null;
    }

    /** What a forced exit (second signal, or a stop that took too long) does first, e.g. kill child processes. */
    static void onForcedExit(final Runnable action)
    {
        forcedExitAction = action;
    }

    private static void onSignal(final int number, final String name)
    {
        if (received != 0)
        {
            System.err.println("feed: second SIG" + name + ": exiting now");
            System.err.flush();
            forceExit();
            return;
        }
        received = number;
        final Runnable action = stopAction;
        if (action == null)
        {
            exitSoon();
            return;
        }
        action.run();
        watchdog();
    }

    /** System.exit on a thread of its own: shutdown hooks (and {@link ExitCleanup}) run, the signal thread returns. */
    private static void exitSoon()
    {
        final Thread exit = new Thread(() -> System.exit(exitCode()), "feed-signal-exit");
        exit.setDaemon(true);
        exit.start();
    }

    private static void watchdog()
    {
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                TimeUnit.SECONDS.sleep(STOP_TIMEOUT_SECONDS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            System.err.println("feed: still stopping " + STOP_TIMEOUT_SECONDS + " s after " + name() + ": exiting now");
            System.err.flush();
            forceExit();
        }, "feed-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void forceExit()
    {
        try
        {
            final Runnable action = forcedExitAction;
            if (action != null)
            {
                action.run();
            }
            ExitCleanup.removeAll();
        }
        finally
        {
            Runtime.getRuntime().halt(exitCode());
        }
    }
}
