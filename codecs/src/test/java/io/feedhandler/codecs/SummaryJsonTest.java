package io.feedhandler.codecs;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryJsonTest
{
    @Test
    void readsBackWhatSummaryLineWrites()
    {
        final String line = new SummaryLine()
            .add("role", "sub\"scriber\n\\")
            .add("delivered", 5)
            .add("lastSeq", Long.MIN_VALUE)
            .add("ok", true)
            .add("latencyNs", new SummaryLine().add("p50", 1).add("p99", 2))
            .toString();
        final SummaryJson json = SummaryJson.parse(line);
        assertEquals(List.of("role", "delivered", "lastSeq", "ok", "latencyNs"), List.copyOf(json.fields().keySet()));
        assertEquals("sub\"scriber\n\\", json.get("role"));
        assertEquals(5L, json.get("delivered"));
        assertEquals(Long.MIN_VALUE, json.get("lastSeq"));
        assertEquals(Boolean.TRUE, json.get("ok"));
        assertEquals(Map.of("p50", 1L, "p99", 2L), json.get("latencyNs"));
    }

    @Test
    void findsAFieldAtAnyDepthInTheLinesOrder()
    {
        final SummaryJson json = SummaryJson.parse(
            "{\"role\":\"publisher\",\"replay\":{\"requests\":3,\"refused\":{\"NOT_JOURNALED\":1}}," +
            "\"list\":[{\"deep\":\"x\"}],\"requests\":9,\"gone\":null}");
        assertEquals(3L, json.find("requests"), "the first in the line, nested or not");
        assertEquals(1, json.number("NOT_JOURNALED", -1));
        assertEquals("x", json.text("deep", ""));
        assertEquals(-1, json.number("role", -1), "not a number");
        assertEquals("", json.text("requests", ""), "not a string");
        assertEquals(-1, json.number("absent", -1));
        assertNull(json.find("gone"));
        assertEquals(1, json.object("refused").number("NOT_JOURNALED", -1), "a nested object, by its key");
        assertEquals(Map.of(), json.object("requests").fields(), "not an object");
        assertEquals(Map.of(), json.object("absent").fields());
        assertTrue(json.fields().containsKey("gone"));
    }

    @Test
    void readsEveryKindOfValue()
    {
        final SummaryJson json = SummaryJson.parse(
            " {\"a\" : [1, -0, 2.5, -1e3, 1E+2, 12345678901234567890, true, false, null, \"\\u00e9\\/\\t\", [], {}] }\n");
        assertEquals(Arrays.asList(1L, 0L, 2.5, -1000.0, 100.0, 1.2345678901234567e19, true, false, null, "\u00e9/\t",
            List.of(), Map.of()), json.get("a"));
        assertEquals(Map.of(), SummaryJson.parse("{}").fields());
    }

    @Test
    void refusesWhatIsNotOneJsonObject()
    {
        for (final String bad : List.of(
            "", "[]", "\"text\"", "{", "}", "{\"a\":1", "{\"a\":1}}", "{\"a\":1} x", "{\"a\":1,}", "{,}",
            "{a:1}", "{'a':1}", "{\"a\"1}", "{\"a\":}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}",
            "{\"a\":+1}", "{\"a\":-}", "{\"a\":tru}", "{\"a\":True}", "{\"a\":nul}", "{\"a\":[1,]}", "{\"a\":[1 2]}",
            "{\"a\":\"x}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"tab\there\"}",
            "{\"a\":1,\"a\":2}", "{\"a\":NaN}", "{\"a\":1}\u00a0", "[summary] {\"a\":1}"))
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> SummaryJson.parse(bad),
                bad);
            assertTrue(ex.getMessage().startsWith("not a JSON summary line: "), ex.getMessage());
        }
    }

    @Test
    void refusesNestingDeeperThanASummaryHas()
    {
        final String deep = "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}";
        assertThrows(IllegalArgumentException.class, () -> SummaryJson.parse(deep));
        final String fine = "{\"a\":" + "[".repeat(50) + "]".repeat(50) + "}";
        assertEquals(1, SummaryJson.parse(fine).fields().size());
    }

    @Test
    void namesWhereItStopped()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> SummaryJson.parse("{\"delivered\":5,\"digest\":abc}"));
        assertTrue(ex.getMessage().contains("at character 24"), ex.getMessage());
        assertTrue(ex.getMessage().contains("unexpected 'a'"), ex.getMessage());
    }
}
