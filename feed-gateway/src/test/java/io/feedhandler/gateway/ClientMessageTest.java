package io.feedhandler.gateway;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientMessageTest
{
    @Test
    void readsTheMessagesClientsSend()
    {
        final ClientMessage subscribe = ClientMessage.parse(
            " {\"type\":\"subscribe\", \"instruments\":[\"AAPL\",\"MSFT\"], \"from\":42, \"snapshot\":true} ");
        assertEquals("subscribe", subscribe.text("type"));
        assertEquals(List.of("AAPL", "MSFT"), subscribe.symbols("instruments"));
        assertEquals(42, subscribe.number("from", -1));
        assertTrue(subscribe.flag("snapshot"));
        assertEquals(List.of("AAPL", "MSFT"), ClientMessage.parse("{\"instruments\":\"AAPL, MSFT\"}").symbols("instruments"));
        assertNull(ClientMessage.parse("{}").symbols("instruments"));
        assertEquals(-1, ClientMessage.parse("{\"from\":\"7\"}").number("from", -1));
    }

    @Test
    void refusesAnythingElse()
    {
        for (final String bad : new String[]{"", "[]", "{", "{\"a\":}", "{\"a\":1}x", "{\"a\":{\"b\":1}}",
            "{\"a\":1,\"a\":2}", "{\"a\":99999999999999999999}", "{\"a\":\"\\u0041\"}", "{\"a\":[1]}", "garbage",
            "{\"a\":\"" + "x".repeat(300) + "\"}", "{\"a\":tru}"})
        {
            assertThrows(IllegalArgumentException.class, () -> ClientMessage.parse(bad), bad);
        }
    }
}
