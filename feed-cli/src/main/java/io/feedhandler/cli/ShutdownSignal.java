package io.feedhandler.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGINT/SIGTERM handling for long-running commands: the signal runs the command's stop action,
 * then holds the JVM open (bounded) until the command has printed its summary and closed, so a
 * stopped process still ends with its summary line. Open it before the resources it must outlive.
 */
final class ShutdownSignal implements AutoCloseable
{
    private static final long MAX_WAIT_SECONDS = 20;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile Runnable stopAction;
    private volatile boolean signalled;

    ShutdownSignal()
    {
        hook = new Thread(() ->
        {
            signalled = true;
            final Runnable action = stopAction;
            if (action != null)
            {
                action.run();
            }
            try
            {
                finished.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "feed-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** What a signal should do; run at once if the signal already came. */
    void onSignal(final Runnable action)
    {
        stopAction = action;
        if (signalled)
        {
            action.run();
        }
    }

    boolean signalled()
    {
        return signalled;
    }

    /** The command is done and closed: let the JVM exit. */
    public void close()
    {
        finished.countDown();
        if (!signalled)
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ignored)
            {
                // the JVM is already shutting down: the hook has run or is running
            }
        }
    }
}
