package io.feedhandler.gateway;

import java.util.Collection;

/** The checks every request for instruments passes, by HTTP or by WebSocket message: entitled, and known. */
final class Subscriptions
{
    static final String NOT_ENTITLED = "not entitled to ";
    static final String UNKNOWN = "unknown instrument ";

    private Subscriptions()
    {
    }

    /** Why the symbols cannot be had: {@link #NOT_ENTITLED} or {@link #UNKNOWN} and the symbol; null when they can. */
    static String check(final Collection<String> symbols, final Entitlements.Grant grant, final Instruments instruments)
    {
        for (final String symbol : symbols)
        {
            if (!grant.allows(symbol))
            {
                return NOT_ENTITLED + printable(symbol);
            }
        }
        for (final String symbol : symbols)
        {
            if (!instruments.isDefined(symbol))
            {
                return UNKNOWN + printable(symbol);
            }
        }
        return null;
    }

    static String printable(final String text)
    {
        final String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?").replace('"', '\'').replace('\\', '/');
    }
}
