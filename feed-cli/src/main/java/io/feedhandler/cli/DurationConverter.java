package io.feedhandler.cli;

import picocli.CommandLine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations on the command line: {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 250us}; a bare number is seconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Long>
{
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)?");

    public Long convert(final String value)
    {
        final Matcher matcher = FORMAT.matcher(value.trim());
        if (!matcher.matches())
        {
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration (examples: 10s, 500ms, 2m)");
        }
        final double amount = Double.parseDouble(matcher.group(1));
        final String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        final double nanos;
        switch (unit)
        {
            case "ns":
                nanos = amount;
                break;
            case "us":
                nanos = amount * 1e3;
                break;
            case "ms":
                nanos = amount * 1e6;
                break;
            case "m":
                nanos = amount * 60e9;
                break;
            case "h":
                nanos = amount * 3600e9;
                break;
            default:
                nanos = amount * 1e9;
                break;
        }
        if (nanos >= Long.MAX_VALUE)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is too long a duration");
        }
        return (long)nanos;
    }
}
