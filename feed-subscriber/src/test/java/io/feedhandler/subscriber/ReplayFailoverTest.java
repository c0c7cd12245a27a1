package io.feedhandler.subscriber;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.IntPredicate;

import static io.feedhandler.subscriber.ReplayFailover.Verdict.ALL_BACKING_OFF;
import static io.feedhandler.subscriber.ReplayFailover.Verdict.NONE_CONNECTED;
import static io.feedhandler.subscriber.ReplayFailover.Verdict.READY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which replay server is asked, with time and connection state given. */
class ReplayFailoverTest
{
    private static final long MS = 1_000_000;
    private static final long WAIT = SubscriberConfiguration.REPLAY_CONNECT_WAIT_NANOS;
    private static final long MAX = SubscriberConfiguration.RECOVERY_RETRY_MAX_NANOS;

    private final boolean[] connected = {true, true, true};
    private final IntPredicate isConnected = server -> connected[server];
    private final ReplayFailover failover = new ReplayFailover(3,
        new RetryBackoff(SubscriberConfiguration.RECOVERY_RETRY_NANOS, MAX, new SplittableRandom(1)), WAIT);
    private long now = 1_000 * MS;

    @Test
    void theFirstConnectedServerInOrderIsAskedAndALaterOneCountsAsAFailover()
    {
        assertChosen(0);
        failover.asked(0);
        assertEquals(0, failover.failovers());

        now += WAIT;
        connected[0] = false;
        assertChosen(1);
        failover.asked(1);
        assertEquals(1, failover.failovers());
    }

    @Test
    void aServerNotConnectedIsUsedTheMomentItConnects()
    {
        connected[0] = false;
        connected[1] = false;
        connected[2] = false;
        assertEquals(NONE_CONNECTED, failover.choose(now, isConnected));
        now += 10 * MS;
        assertEquals(NONE_CONNECTED, failover.choose(now, isConnected));
        assertEquals(now + SubscriberConfiguration.RECOVERY_RETRY_NANOS, failover.nextAttemptNanos(now, isConnected));
        now += 10 * MS;
        connected[0] = true;
        assertChosen(0); // never penalized for not being there
        assertEquals(now, failover.nextAttemptNanos(now, isConnected));
    }

    @Test
    void justAfterStartALaterServerWaitsForAnEarlierOneStillConnecting()
    {
        connected[0] = false;
        assertEquals(NONE_CONNECTED, failover.choose(now, isConnected), "server 0 may connect in a moment");
        now += WAIT - MS;
        assertEquals(NONE_CONNECTED, failover.choose(now, isConnected));
        now += MS;
        assertChosen(1);
    }

    /** A partition heals: every server connects again within moments, in any order; the order still holds. */
    @Test
    void afterATimeWithNoServerConnectedALaterOneWaitsForAnEarlierOneAgain()
    {
        assertChosen(0);
        connected[0] = false;
        connected[1] = false;
        connected[2] = false;
        now += 10 * WAIT;
        assertEquals(NONE_CONNECTED, failover.choose(now, isConnected));
        now += 10 * WAIT;
        connected[1] = true; // the later one is back first
        assertEquals(NONE_CONNECTED, failover.choose(now, isConnected), "server 0 may connect in a moment");
        now += WAIT / 2;
        connected[0] = true;
        assertChosen(0);

        connected[0] = false;
        connected[1] = false;
        now += 10 * WAIT;
        assertEquals(NONE_CONNECTED, failover.choose(now, isConnected));
        connected[1] = true;
        assertEquals(NONE_CONNECTED, failover.choose(now, isConnected));
        now += WAIT;
        assertChosen(1); // server 0 did not come back in time: not waited for longer
    }

    /**
     * Tried every 10 ms through a partition longer than the wait: the wait is whole from the moment the
     * first server is back, not what is left of one begun at a try while none was there.
     */
    @Test
    void theWaitForAnEarlierServerStartsWhenTheFirstOneConnects()
    {
        connected[0] = false;
        connected[1] = false;
        connected[2] = false;
        final long healed = now + WAIT + WAIT / 2;
        for (; now < healed; now += 10 * MS)
        {
            assertEquals(NONE_CONNECTED, failover.choose(now, isConnected));
        }
        connected[1] = true;
        final long deadline = now + WAIT;
        for (; now < deadline; now += 10 * MS)
        {
            assertEquals(NONE_CONNECTED, failover.choose(now, isConnected), "server 0 may connect in a moment");
            assertEquals(Math.min(now + SubscriberConfiguration.RECOVERY_RETRY_NANOS, deadline),
                failover.nextAttemptNanos(now, isConnected), "server 1 is ready, but not asked before the wait ends");
        }
        connected[0] = true;
        assertChosen(0);
    }

    @Test
    void aRefusingServerBacksOffLongerAfterEachFailureAndIsForgivenOnSuccess()
    {
        final ReplayFailover single = new ReplayFailover(1,
            new RetryBackoff(SubscriberConfiguration.RECOVERY_RETRY_NANOS, MAX, new SplittableRandom(1)), WAIT);
        for (int failure = 1; failure <= 6; failure++)
        {
            assertEquals(READY, single.choose(now, isConnected));
            single.penalize(0, now, ReplayFailover.Why.REFUSED);
            assertEquals(ALL_BACKING_OFF, single.choose(now, isConnected));
            final long next = single.nextAttemptNanos(now, isConnected);
            final long ceiling = Math.min(MAX, SubscriberConfiguration.RECOVERY_RETRY_NANOS << (failure - 1));
            assertTrue(next - now >= ceiling / 2 && next - now <= ceiling, failure + ": " + (next - now));
            now = next;
        }
        assertEquals(6, single.failures(0));
        assertEquals(READY, single.choose(now, isConnected));
        single.succeeded(0);
        assertEquals(0, single.failures(0));
        single.penalize(0, now, ReplayFailover.Why.SILENT);
        assertTrue(single.nextAttemptNanos(now, isConnected) - now <= SubscriberConfiguration.RECOVERY_RETRY_NANOS,
            "back to the base delay");
    }

    @Test
    void aFailingServerIsLeftForTheNextAtOnceAndTakenBackWhenItsBackoffEnds()
    {
        for (final ReplayFailover.Why why : new ReplayFailover.Why[]{
            ReplayFailover.Why.SILENT, ReplayFailover.Why.STALLED, ReplayFailover.Why.INTERRUPTED})
        {
            assertChosen(0);
            failover.penalize(0, now, why);
            assertEquals(now, failover.nextAttemptNanos(now, isConnected), "server 1 is ready: " + why);
            assertChosen(1);
            now += MAX;
            failover.succeeded(0);
        }
    }

    @Test
    void aServerOfAnotherStreamBacksOffTheLongest()
    {
        assertChosen(0);
        failover.penalize(0, now, ReplayFailover.Why.OTHER_EPOCH);
        assertTrue(failover.backingOff(0, now + MAX - 1));
        assertFalse(failover.backingOff(0, now + MAX));
        assertChosen(1);
    }

    @Test
    void belowRetentionAsksEveryConnectedServerBeforeCountingAnythingLost()
    {
        failover.newRound(100);
        assertChosen(0);
        assertTrue(failover.belowRetention(0, 500, now, isConnected), "1 and 2 may hold more");
        assertChosen(1);
        assertTrue(failover.belowRetention(1, 200, now, isConnected), "2 may hold more");
        assertChosen(2);
        assertFalse(failover.belowRetention(2, 300, now, isConnected), "every server said so");
        assertEquals(200, failover.lowestRetained(), "lost is only what no server holds");

        failover.newRound(100); // a retry of the same pull: the same round
        assertEquals(200, failover.lowestRetained());
        failover.newRound(200); // the next pull, from what the servers hold: a new round
        assertEquals(0, failover.lowestRetained());

        connected[1] = false;
        connected[2] = false;
        failover.newRound(50);
        assertFalse(failover.belowRetention(0, 500, now, isConnected), "no other server to ask");
        assertEquals(500, failover.lowestRetained());
    }

    private void assertChosen(final int server)
    {
        assertEquals(READY, failover.choose(now, isConnected));
        assertEquals(server, failover.chosen());
    }
}
