package io.feedhandler.cli;

import io.feedhandler.transport.Durations;
import picocli.CommandLine;

import java.util.regex.Pattern;

/**
 * Durations on the command line and in config files: {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h},
 * {@code 250us}, {@code 100ns}. A number needs its unit (is "5" seconds or milliseconds?); only 0 may go
 * without one. Every duration option names this converter (a test walks the commands to check).
 */
final class DurationConverter implements CommandLine.ITypeConverter<Long>
{
    private static final Pattern ZERO = Pattern.compile("0+(\\.0*)?");
    private static final Pattern NO_UNIT = Pattern.compile("\\d+(\\.\\d+)?");

    public Long convert(final String value)
    {
        final String text = value.strip();
        if (NO_UNIT.matcher(text).matches() && !ZERO.matcher(text).matches())
        {
            throw new CommandLine.TypeConversionException("'" + value + "' has no unit: write " + text + "s, " + text +
                "ms, " + text + "us or " + text + "m");
        }
        try
        {
            return Durations.toNanos(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }
}
