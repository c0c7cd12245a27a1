package io.feedhandler.cli;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a state, bounded: a test that waits for a process waits here for what the process does (a line,
 * a counter, a file), never for a fixed time, and fails with what it waited for when the time is up.
 */
final class Await
{
    /** How often a cheap condition (a string, a file, a counter) is looked at. */
    static final long POLL_MILLIS = 20;

    private Await()
    {
    }

    static void until(final BooleanSupplier condition, final long timeoutSeconds) throws InterruptedException
    {
        until(condition, timeoutSeconds, POLL_MILLIS, () -> "condition not met in " + timeoutSeconds + " s");
    }

    /** {@code pollMillis} longer where looking costs something (a process started, an HTTP request). */
    static void until(
        final BooleanSupplier condition, final long timeoutSeconds, final long pollMillis, final Supplier<String> why)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError(why.get());
            }
            Thread.sleep(pollMillis);
        }
    }
}
