package io.feedhandler.transport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks a context's {@code conclude()} makes of its values, each throwing an
 * {@link IllegalArgumentException} that names the option and the bad value in one line, the shape
 * the command line prints: {@code bad --option VALUE: must be ...}.
 */
public final class OptionChecks
{
    private OptionChecks()
    {
    }

    /** {@code value} must be at least {@code min}. */
    public static void atLeast(final String option, final long value, final long min)
    {
        if (value < min)
        {
            throw new IllegalArgumentException("bad " + option + " " + value + ": must be >= " + min);
        }
    }

    /** {@code value} must be within {@code min} to {@code max}, both included; {@code unit} follows the range. */
    public static void within(final String option, final long value, final long min, final long max, final String unit)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException("bad " + option + " " + value + ": must be " + min + " to " + max +
                (unit.isEmpty() ? "" : " " + unit));
        }
    }

    /** A time, in nanoseconds, that must be more than zero. */
    public static void positiveNanos(final String option, final long nanos)
    {
        if (nanos <= 0)
        {
            throw new IllegalArgumentException("bad " + option + " " + nanos + "ns: must be > 0");
        }
    }

    /** A time, in nanoseconds, that must not be negative (0 usually meaning none). */
    public static void notNegativeNanos(final String option, final long nanos)
    {
        if (nanos < 0)
        {
            throw new IllegalArgumentException("bad " + option + " " + nanos + "ns: must be >= 0");
        }
    }

    /** A directory that must exist, when given at all. */
    public static void existingDirectory(final String option, final Path directory)
    {
        if (directory != null && !Files.isDirectory(directory))
        {
            throw new IllegalArgumentException("bad " + option + " '" + directory + "': no such directory");
        }
    }
}
