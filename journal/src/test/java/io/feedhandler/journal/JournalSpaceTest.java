package io.feedhandler.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The disk guard's arithmetic, with the free space a test controls. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JournalSpaceTest
{
    private static final long RESERVE = 1_000_000;

    private final AtomicLong free = new AtomicLong();

    @Test
    void appendsMayUseWhatIsFreeAboveTheReserveAndNoMore()
    {
        free.set(RESERVE + 1_000);
        final JournalSpace space = new JournalSpace(free::get, RESERVE);
        assertTrue(space.tryConsume(600));
        assertTrue(space.tryConsume(400));
        assertFalse(space.tryConsume(1), "the budget is spent");
        assertEquals(1_000, space.consumedBytes(), "a refused append counts nothing");
    }

    @Test
    void theBudgetHoldsEvenWhenTheSamplerIsLate()
    {
        free.set(RESERVE + 1_000);
        final JournalSpace space = new JournalSpace(free::get, RESERVE);
        // The disk fills as we write, but no sample is taken: our own count stops us.
        for (int i = 0; i < 10; i++)
        {
            assertTrue(space.tryConsume(100));
            free.addAndGet(-100);
        }
        assertFalse(space.tryConsume(100));
        space.sample(); // a late sample agrees: nothing left above the reserve
        assertFalse(space.tryConsume(1));
    }

    @Test
    void anotherWriterOnTheFileSystemShrinksTheBudgetAtTheNextSample()
    {
        free.set(RESERVE + 10_000);
        final JournalSpace space = new JournalSpace(free::get, RESERVE);
        assertTrue(space.tryConsume(1_000));
        free.addAndGet(-1_000);          // ours
        free.addAndGet(-8_500);          // someone else's
        space.sample();
        assertTrue(space.tryConsume(500));
        assertFalse(space.tryConsume(1));
    }

    @Test
    void appendingResumesOnlyAtTwiceTheReserve()
    {
        free.set(RESERVE);
        final JournalSpace space = new JournalSpace(free::get, RESERVE);
        assertFalse(space.tryConsume(1));
        assertFalse(space.hasRoomToResume());
        free.set(2 * RESERVE - 1);
        space.sample();
        assertFalse(space.hasRoomToResume(), "hysteresis: a disk hovering at the reserve does not flap");
        free.set(2 * RESERVE);
        space.sample();
        assertTrue(space.hasRoomToResume());
        assertTrue(space.tryConsume(RESERVE));
        assertFalse(space.hasRoomToResume(), "spent again");
    }
}
