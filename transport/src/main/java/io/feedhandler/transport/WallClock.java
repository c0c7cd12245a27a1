package io.feedhandler.transport;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Nanoseconds since the epoch from the host's real-time clock, without allocating: the publisher
 * stamps every tick with it and every subscriber reads it per tick, so latency is one clock on both
 * sides. {@code Instant.now()} (Agrona's {@link SystemEpochNanoClock}) allocates an {@code Instant}
 * per call that escape analysis does not always remove; this reads the same source the JDK's
 * {@code Instant.now()} reads ({@code jdk.internal.misc.VM.getNanoTimeAdjustment}, exported by the
 * launcher's JVM flags) and falls back to {@link SystemEpochNanoClock} when it cannot.
 */
public final class WallClock implements EpochNanoClock
{
    private static final long REBASE_SECONDS = 1024;
    private static final MethodHandle NANO_TIME_ADJUSTMENT = lookupNanoTimeAdjustment();

    private final EpochNanoClock fallback = new SystemEpochNanoClock();
    private long offsetSeconds = System.currentTimeMillis() / 1000 - REBASE_SECONDS;

    private static MethodHandle lookupNanoTimeAdjustment()
    {
        try
        {
            final Class<?> vm = Class.forName("jdk.internal.misc.VM");
            final MethodHandle handle = MethodHandles.lookup().findStatic(
                vm, "getNanoTimeAdjustment", MethodType.methodType(long.class, long.class));
            final long probe = (long)handle.invokeExact(System.currentTimeMillis() / 1000);
            return probe == -1 ? null : handle;
        }
        catch (final Throwable ex)
        {
            return null;
        }
    }

    /** Whether the allocation-free source is in use (false: falling back to {@code Instant.now()}). */
    public static boolean isAllocationFree()
    {
        return NANO_TIME_ADJUSTMENT != null;
    }

    public long nanoTime()
    {
        if (NANO_TIME_ADJUSTMENT == null)
        {
            return fallback.nanoTime();
        }
        try
        {
            long adjustment = (long)NANO_TIME_ADJUSTMENT.invokeExact(offsetSeconds);
            if (adjustment == -1)
            {
                // The offset drifted too far from now (after years, or a clock step): take a new one.
                offsetSeconds = System.currentTimeMillis() / 1000 - REBASE_SECONDS;
                adjustment = (long)NANO_TIME_ADJUSTMENT.invokeExact(offsetSeconds);
            }
            return offsetSeconds * 1_000_000_000L + adjustment;
        }
        catch (final Throwable ex)
        {
            return fallback.nanoTime();
        }
    }
}
