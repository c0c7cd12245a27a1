package io.feedhandler.codecs;

import java.util.Objects;

/**
 * Reference data for one instrument: the id quotes carry, its symbol (ASCII, at most
 * {@link #MAX_SYMBOL_LENGTH} characters) and its tick precision.
 */
public final class Instrument
{
    public static final int MAX_SYMBOL_LENGTH = 16;

    private final int id;
    private final String symbol;
    private final int priceExponent;

    public Instrument(final int id, final String symbol, final int priceExponent)
    {
        if (id < 1)
        {
            throw new IllegalArgumentException("instrument id must be >= 1: " + id);
        }
        if (symbol.isEmpty() || symbol.length() > MAX_SYMBOL_LENGTH || !isPrintableAscii(symbol))
        {
            throw new IllegalArgumentException(
                "symbol must be 1-" + MAX_SYMBOL_LENGTH + " printable ASCII characters: '" + symbol + "'");
        }
        Prices.tickSize(priceExponent);
        this.id = id;
        this.symbol = symbol;
        this.priceExponent = priceExponent;
    }

    public int id()
    {
        return id;
    }

    public String symbol()
    {
        return symbol;
    }

    public int priceExponent()
    {
        return priceExponent;
    }

    public boolean equals(final Object o)
    {
        return o instanceof Instrument && ((Instrument)o).id == id && ((Instrument)o).priceExponent == priceExponent &&
            ((Instrument)o).symbol.equals(symbol);
    }

    public int hashCode()
    {
        return Objects.hash(id, symbol, priceExponent);
    }

    public String toString()
    {
        return symbol + "(" + id + ")";
    }

    private static boolean isPrintableAscii(final String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c <= ' ' || c > '~')
            {
                return false;
            }
        }
        return true;
    }
}
