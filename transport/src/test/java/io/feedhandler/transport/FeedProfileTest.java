package io.feedhandler.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FeedProfileTest
{
    @Test
    void autoLeavesThreeQuartersOfTheCoresToTheRestOfTheHost()
    {
        assertEquals(FeedProfile.DEFAULT, FeedProfile.auto(2, 1), "a 2-core host backs off");
        assertEquals(FeedProfile.DEFAULT, FeedProfile.auto(3, 1));
        assertEquals(FeedProfile.COMPACT, FeedProfile.auto(4, 1), "one spinning thread on 4 cores");
        assertEquals(FeedProfile.DEFAULT, FeedProfile.auto(4, 2), "a publisher and its replay server: 2 hot threads");
        assertEquals(FeedProfile.COMPACT, FeedProfile.auto(8, 2));
        assertEquals(FeedProfile.LOW_LATENCY, FeedProfile.auto(12, 1), "the driver's sender and receiver spin too");
        assertEquals(FeedProfile.COMPACT, FeedProfile.auto(12, 2));
        assertEquals(FeedProfile.LOW_LATENCY, FeedProfile.auto(16, 2));
    }
}
