package io.feedhandler.cli;

import picocli.CommandLine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes on the command line: {@code 64m}, {@code 512k}, {@code 1g} (binary units), or bytes. */
final class SizeConverter implements CommandLine.ITypeConverter<Long>
{
    private static final Pattern FORMAT = Pattern.compile("(\\d+)([kmg]?)(i?b)?");

    public Long convert(final String value)
    {
        final Matcher matcher = FORMAT.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches())
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size (examples: 64m, 512k, 1g)");
        }
        final int shift;
        switch (matcher.group(2))
        {
            case "k":
                shift = 10;
                break;
            case "m":
                shift = 20;
                break;
            case "g":
                shift = 30;
                break;
            default:
                shift = 0;
                break;
        }
        try
        {
            final long amount = Long.parseLong(matcher.group(1));
            if (amount > Long.MAX_VALUE >> shift)
            {
                throw new NumberFormatException();
            }
            return amount << shift;
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is too large a size");
        }
    }
}
