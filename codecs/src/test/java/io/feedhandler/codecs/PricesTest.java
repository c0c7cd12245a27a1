package io.feedhandler.codecs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PricesTest
{
    @Test
    void parsesDecimalsToMantissa()
    {
        assertEquals(10_125_000_000L, Prices.parse("101.25"));
        assertEquals(1, Prices.parse("0.00000001"));
        assertEquals(-50_000_000L, Prices.parse("-0.5"));
        assertEquals(4_200_000_000L, Prices.parse(" 42 "));
    }

    @Test
    void formatsMantissaAsDecimal()
    {
        assertEquals("101.25", Prices.format(10_125_000_000L));
        assertEquals("42.00", Prices.format(4_200_000_000L));
        assertEquals("0.00000001", Prices.format(1));
    }

    @Test
    void rejectsWhatCannotBeExact()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Prices.parse("1.000000001"))
            .getMessage().contains("1.000000001"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Prices.parse("abc"))
            .getMessage().contains("abc"));
        assertThrows(IllegalArgumentException.class, () -> Prices.parse("1e30"));
    }

    @Test
    void tickSizeFollowsTheExponent()
    {
        assertEquals(1_000_000L, Prices.tickSize(-2));
        assertEquals(1L, Prices.tickSize(-8));
        assertEquals(100_000_000L, Prices.tickSize(0));
        assertThrows(IllegalArgumentException.class, () -> Prices.tickSize(-9));
    }

    @Test
    void instrumentsCheckTheirSymbol()
    {
        assertThrows(IllegalArgumentException.class, () -> new Instrument(1, "", -2));
        assertThrows(IllegalArgumentException.class, () -> new Instrument(1, "SEVENTEEN_CHARS_X", -2));
        assertThrows(IllegalArgumentException.class, () -> new Instrument(1, "A B", -2));
        assertThrows(IllegalArgumentException.class, () -> new Instrument(0, "A", -2));
        assertEquals("AAPL", new Instrument(1, "AAPL", -2).symbol());
    }
}
