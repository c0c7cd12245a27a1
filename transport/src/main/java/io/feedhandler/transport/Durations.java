package io.feedhandler.transport;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 250us},
 * {@code 0}. One parser for the command line, the configuration files and the defaults, so a default
 * is written once, the way a user would write it.
 */
public final class Durations
{
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)?");

    private Durations()
    {
    }

    /**
     * @throws IllegalArgumentException when {@code text} is not a duration, or too long for a long of nanoseconds.
     */
    public static long toNanos(final String text)
    {
        final Matcher matcher = FORMAT.matcher(text.trim());
        if (!matcher.matches())
        {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 10s, 500ms, 2m)");
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
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return (long)nanos;
    }
}
