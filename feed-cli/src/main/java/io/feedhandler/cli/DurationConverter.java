package io.feedhandler.cli;

import io.feedhandler.transport.Durations;
import picocli.CommandLine;

/** Durations on the command line: {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 250us}; a bare number is seconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Long>
{
    public Long convert(final String value)
    {
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
