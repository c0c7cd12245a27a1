package io.feedhandler.cli;

import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounterReader.Instance;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterViewTest
{
    private static final long NOW = 1_700_000_000_000L;

    @Test
    void prometheusTextNamesTotalsGaugesAndAges()
    {
        final String text = CounterView.prometheus(List.of(subscriber("a\"b", 42, NOW - 1500)), NOW);
        assertTrue(text.contains("# TYPE feed_subscriber_delivered_total counter\n"), text);
        assertTrue(text.contains("feed_subscriber_delivered_total{name=\"a\\\"b\",pid=\"7\"} 42\n"), text);
        assertTrue(text.contains("# TYPE feed_subscriber_lag gauge\n"), text);
        assertTrue(text.contains("feed_subscriber_last_heard_age_seconds{name=\"a\\\"b\",pid=\"7\"} 1.500\n"), text);
        assertTrue(text.startsWith("# HELP feed_processes"), text);
        assertEquals(1, text.split("# TYPE feed_subscriber_delivered_total").length - 1, "described once");
    }

    @Test
    void neverHeardIsNaNAndNever()
    {
        final Instance instance = subscriber("x", 0, 0);
        assertTrue(CounterView.prometheus(List.of(instance), NOW).contains("last_heard_age_seconds{name=\"x\",pid=\"7\"} NaN"));
        assertTrue(CounterView.table(List.of(instance), NOW).contains("never"));
    }

    @Test
    void tableShowsRoleNamePidAndEachCounter()
    {
        final String table = CounterView.table(List.of(subscriber("it-a", 1234567, NOW - 200)), NOW);
        assertTrue(table.startsWith("subscriber it-a  pid 7  /dev/shm/x\n"), table);
        assertTrue(table.contains("delivered") && table.contains("1,234,567"), table);
        assertTrue(table.contains("last_heard_age") && table.contains("0.2 s"), table);
    }

    private static Instance subscriber(final String name, final long delivered, final long lastHeardMillis)
    {
        final Map<FeedCounter, Long> values = new EnumMap<>(FeedCounter.class);
        values.put(FeedCounter.DELIVERED, delivered);
        values.put(FeedCounter.LAG, 3L);
        values.put(FeedCounter.LAST_HEARD, lastHeardMillis);
        return new Instance(Path.of("/dev/shm/x"), 7, FeedCounter.Role.SUBSCRIBER, name, values);
    }
}
