package io.feedhandler.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntitlementsTest
{
    @TempDir
    Path dir;

    private Entitlements read(final String text) throws Exception
    {
        final Path file = dir.resolve("tokens");
        Files.writeString(file, text);
        return Entitlements.read(file);
    }

    @Test
    void eachTokenSeesItsSymbolsOrAll() throws Exception
    {
        final Entitlements entitlements = read("# comment\n\nalpha-token-1: AAPL, MSFT\nbeta-token-22: *\n");
        final Entitlements.Grant alpha = entitlements.grant("alpha-token-1");
        assertEquals(Set.of("AAPL", "MSFT"), alpha.symbols());
        assertTrue(alpha.allows("AAPL"));
        assertFalse(alpha.allows("NVDA"));
        assertTrue(entitlements.grant("beta-token-22").allows("NVDA"));
        assertNull(entitlements.grant("alpha-token-2"));
        assertNull(entitlements.grant(null));
    }

    @Test
    void aBadLineIsNamed()
    {
        assertEquals("bad --tokens '" + dir.resolve("tokens") + "' line 2: expected 'TOKEN: SYM,SYM,...' or 'TOKEN: *'",
            assertThrows(IllegalArgumentException.class, () -> read("good-token-1: AAPL\nno colon here\n")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> read("short: AAPL\n"));
        assertThrows(IllegalArgumentException.class, () -> read("good-token-1: AAPL,,MSFT\n"));
        assertThrows(IllegalArgumentException.class, () -> read("good-token-1: AAPL,*\n"));
        assertThrows(IllegalArgumentException.class, () -> read("good-token-1: AAPL\ngood-token-1: MSFT\n"));
        assertThrows(IllegalArgumentException.class, () -> read("# nothing\n"));
    }
}
