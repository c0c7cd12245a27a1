package io.feedhandler.replay;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayChannelsTest
{
    private static final String A = "aeron:udp?endpoint=127.0.0.1:40901";
    private static final String B = "aeron:udp?endpoint=10.0.0.5:40457|tags=1,2";

    @Test
    void oneServerOrSeveralInOrder()
    {
        assertEquals(List.of(A), ReplayChannels.parse("--replay-channel", A));
        assertEquals(List.of(A, B), ReplayChannels.parse("--replay-channel", A + "," + B));
        assertEquals(List.of(B, A), ReplayChannels.parse("--replay-channel", B + ", " + A), "spaces after a comma");
        assertFalse(ReplayChannels.isList(A));
        assertFalse(ReplayChannels.isList(B), "a comma inside a URI does not make a list");
        assertTrue(ReplayChannels.isList(A + "," + B));
    }

    @Test
    void aBadEntryIsNamedWithItsPosition()
    {
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> ReplayChannels.parse("--replay-channel", A + ",aeron:udp?endpoint=127.0.0.1:4O902"));
        assertTrue(bad.getMessage().startsWith(
            "bad --replay-channel (server 2 of 2) 'aeron:udp?endpoint=127.0.0.1:4O902'"), bad.getMessage());

        final IllegalArgumentException single = assertThrows(IllegalArgumentException.class,
            () -> ReplayChannels.parse("--replay-channel", "aeron:udp?interface=127.0.0.1"));
        assertTrue(single.getMessage().startsWith("bad --replay-channel 'aeron:udp?interface=127.0.0.1'"),
            single.getMessage());
    }

    @Test
    void emptyListsEntriesAndDuplicatesAreRefused()
    {
        assertTrue(message("").contains("no replay server named"));
        assertTrue(message(" ").contains("no replay server named"));
        assertTrue(message("," + A).contains("(server 1 of 2)") && message("," + A).contains("an empty entry"),
            message("," + A));
        final String twice = message(A + "," + B + "," + A.replace("udp?", "udp?mtu=8192|"));
        assertTrue(twice.contains("(server 3 of 3)") && twice.contains("the same server as entry 1"), twice);
    }

    private static String message(final String text)
    {
        return assertThrows(IllegalArgumentException.class, () -> ReplayChannels.parse("--replay-channel", text))
            .getMessage();
    }
}
