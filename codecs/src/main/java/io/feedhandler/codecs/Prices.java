package io.feedhandler.codecs;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Fixed-point prices: a long mantissa at a fixed exponent of -8, the same constant the schema
 * declares for its Price composite. Doubles never reach the wire or the journal; these helpers
 * convert at the edges (CSV input, text output), never on the hot path.
 */
public final class Prices
{
    public static final int EXPONENT = -8;
    public static final long SCALE = 100_000_000L;

    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE).movePointLeft(8);

    private Prices()
    {
    }

    /**
     * Parse a decimal price such as {@code 101.25}.
     *
     * @throws IllegalArgumentException naming the text when it is not a number, has more than eight
     *                                  decimals or does not fit.
     */
    public static long parse(final String text)
    {
        final BigDecimal value;
        try
        {
            value = new BigDecimal(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not a price: '" + text + "'");
        }
        if (value.abs().compareTo(MAX) > 0)
        {
            throw new IllegalArgumentException("price out of range: '" + text + "'");
        }
        try
        {
            return value.setScale(-EXPONENT, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
        }
        catch (final ArithmeticException ex)
        {
            throw new IllegalArgumentException("price has more than " + -EXPONENT + " decimals: '" + text + "'");
        }
    }

    /** Render a mantissa as a plain decimal, without trailing zeros beyond two decimals. */
    public static String format(final long mantissa)
    {
        BigDecimal value = BigDecimal.valueOf(mantissa, -EXPONENT).stripTrailingZeros();
        if (value.scale() < 2)
        {
            value = value.setScale(2, RoundingMode.UNNECESSARY);
        }
        return value.toPlainString();
    }

    /** Mantissa of one tick for an instrument quoted in steps of 10^priceExponent. */
    public static long tickSize(final int priceExponent)
    {
        if (priceExponent < EXPONENT || priceExponent > 10)
        {
            throw new IllegalArgumentException("price exponent out of range [" + EXPONENT + ", 10]: " + priceExponent);
        }
        long tick = 1;
        for (int i = EXPONENT; i < priceExponent; i++)
        {
            tick *= 10;
        }
        return tick;
    }
}
