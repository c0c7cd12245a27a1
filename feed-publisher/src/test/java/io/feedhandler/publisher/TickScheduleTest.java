package io.feedhandler.publisher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TickScheduleTest
{
    @Test
    void ticksAreDueAtAFixedRate()
    {
        final TickSchedule schedule = new TickSchedule(100_000, 1);
        schedule.start(1_000);
        assertEquals(1_000, schedule.dueNanos(0));
        assertEquals(11_000, schedule.dueNanos(1));
        assertEquals(1_000 + 10_000L * 1_000_000, schedule.dueNanos(1_000_000));
    }

    @Test
    void burstsShareADueTimeAndKeepTheAverageRate()
    {
        final TickSchedule schedule = new TickSchedule(1_000, 10);
        schedule.start(0);
        for (int i = 0; i < 10; i++)
        {
            assertEquals(0, schedule.dueNanos(i));
        }
        assertEquals(10_000_000, schedule.dueNanos(10));
        assertEquals(1_000_000_000, schedule.dueNanos(1_000));
    }

    @Test
    void unthrottledTicksAreAllDueNow()
    {
        final TickSchedule schedule = new TickSchedule(0, 1);
        schedule.start(5);
        assertEquals(5, schedule.dueNanos(1_000_000_000L));
    }

    @Test
    void badValuesAreNamed()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TickSchedule(-5, 1))
            .getMessage().contains("--rate -5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TickSchedule(5, 0))
            .getMessage().contains("--burst 0"));
    }
}
