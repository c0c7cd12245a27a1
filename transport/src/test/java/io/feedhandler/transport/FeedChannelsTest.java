package io.feedhandler.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which live-stream channels the feed takes: multicast, unicast, and multi-destination-cast (MDC). */
class FeedChannelsTest
{
    @Test
    void multicastAndUnicastAreTakenByBothEnds()
    {
        for (final String channel : new String[]{
            TransportConfiguration.CHANNEL,
            "aeron:udp?endpoint=239.255.91.3:41000|interface=10.77.0.2",
            "aeron:udp?endpoint=10.1.2.3:41000",
            "aeron:ipc"})
        {
            assertDoesNotThrow(() -> FeedChannels.validatePublication("--channel", channel), channel);
            assertDoesNotThrow(() -> FeedChannels.validateSubscription("--channel", channel), channel);
        }
    }

    @Test
    void multiDestinationCastIsAChannelChoice()
    {
        assertDoesNotThrow(() -> FeedChannels.validatePublication("--channel",
            "aeron:udp?control=10.77.0.1:41000|control-mode=dynamic"));
        assertDoesNotThrow(() -> FeedChannels.validateSubscription("--channel",
            "aeron:udp?endpoint=10.77.0.2:41001|control=10.77.0.1:41000"));
        // Copying the publisher's control-mode onto the subscriber's channel is harmless.
        assertDoesNotThrow(() -> FeedChannels.validateSubscription("--channel",
            "aeron:udp?endpoint=10.77.0.2:41001|control=10.77.0.1:41000|control-mode=dynamic"));
    }

    @Test
    void mdcPublicationNeedsDynamicControlMode()
    {
        assertRefused("control-mode=dynamic beside control=",
            () -> FeedChannels.validatePublication("--channel", "aeron:udp?control=10.77.0.1:41000"));
    }

    @Test
    void mdcSubscriberNeedsItsOwnEndpoint()
    {
        assertRefused("endpoint=<this host's address>:port",
            () -> FeedChannels.validateSubscription("--channel", "aeron:udp?control=10.77.0.1:41000|control-mode=dynamic"));
    }

    @Test
    void onlyDynamicControlModeIsSupported()
    {
        assertRefused("control-mode=manual is not supported", () -> FeedChannels.validatePublication("--channel",
            "aeron:udp?control=10.77.0.1:41000|control-mode=manual"));
        assertRefused("control-mode=response is not supported", () -> FeedChannels.validateSubscription("--channel",
            "aeron:udp?endpoint=10.77.0.2:41001|control=10.77.0.1:41000|control-mode=response"));
        assertRefused("control-mode=dynamic needs control=", () -> FeedChannels.validatePublication("--channel",
            "aeron:udp?endpoint=10.77.0.2:41001|control-mode=dynamic"));
    }

    @Test
    void mdcAndMulticastDoNotMix()
    {
        assertRefused("does not go with a multicast endpoint", () -> FeedChannels.validateSubscription("--channel",
            "aeron:udp?endpoint=239.255.91.3:41000|control=10.77.0.1:41000|interface=10.77.0.2"));
    }

    @Test
    void anAddressIsHostColonPort()
    {
        for (final String good : new String[]{"127.0.0.1:0", "239.255.77.1:40456", "localhost:65535", "[::1]:40456",
            "host.example:1"})
        {
            assertNull(FeedChannels.addressProblem(good), good);
        }
        assertRefused("endpoint=: has no host", () -> FeedChannels.validate("responseChannel", "aeron:udp?endpoint=:"));
        final String letterOForZero = "239.255.77.1:4O456";
        assertRefused("endpoint=" + letterOForZero + " has a port that is not a number ('4O456')", () ->
            FeedChannels.validatePublication("--channel", "aeron:udp?endpoint=" + letterOForZero + "|interface=127.0.0.1"));
        assertRefused("control=10.77.0.1 has no port", () -> FeedChannels.validatePublication("--channel",
            "aeron:udp?control=10.77.0.1|control-mode=dynamic"));
        assertRefused("port out of range", () -> FeedChannels.validate("x", "aeron:udp?endpoint=127.0.0.1:99999"));
        assertRefused("more than one ':'", () -> FeedChannels.validate("x", "aeron:udp?endpoint=::1:40456"));
        for (final String bad : new String[]{"", ":40457", "127.0.0.1:", "127.0.0.1", "[", "[]:1", "[::1]",
            "127.0.0.1:-1", "127.0.0.1:123456"})
        {
            assertTrue(FeedChannels.addressProblem(bad) != null, bad);
        }
    }

    @Test
    void messagesNameTheOptionAndTheChannel()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> FeedChannels.validatePublication("--channel", "aeron:udp?control=10.77.0.1:41000"));
        assertTrue(ex.getMessage().startsWith("bad --channel 'aeron:udp?control=10.77.0.1:41000': "), ex.getMessage());
    }

    @Test
    void aReceiveBufferLargerThanTheHostAllowsIsNamedWithTheRemedy(@TempDir final Path dir) throws Exception
    {
        final Path rmemMax = dir.resolve("rmem_max");
        final String channel = "aeron:udp?endpoint=127.0.0.1:0|mtu=8192|so-rcvbuf=2m|rcv-wnd=2m";
        Files.writeString(rmemMax, "212992\n");
        assertEquals("--replay-response-channel asks for so-rcvbuf=2m but net.core.rmem_max is 212992 bytes, so the " +
            "kernel gives 212992; for full replay speed raise it: sysctl -w net.core.rmem_max=2097152",
            FeedChannels.receiveBufferShortfall("--replay-response-channel", channel, rmemMax));
        Files.writeString(rmemMax, "4194304\n");
        assertNull(FeedChannels.receiveBufferShortfall("--replay-response-channel", channel, rmemMax));
        assertNull(FeedChannels.receiveBufferShortfall("--replay-response-channel", "aeron:udp?endpoint=127.0.0.1:0", rmemMax));
        assertNull(FeedChannels.receiveBufferShortfall("--replay-response-channel", channel, dir.resolve("absent")),
            "not Linux: nothing known, nothing said");
    }

    @Test
    void theHostsOwnLimitIsReadWholeNotItsFirstDigit() throws Exception
    {
        final Path rmemMax = Path.of("/proc/sys/net/core/rmem_max");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(rmemMax), "Linux only");
        // Every host allows a 4 KiB buffer; read a byte at a time, the sysctl file gave "4" (of 4194304) and
        // every subscriber warned that the kernel gives 4 bytes.
        assertTrue(Long.parseLong(FeedChannels.procValue(rmemMax)) >= 4096, FeedChannels.procValue(rmemMax));
        assertNull(FeedChannels.receiveBufferShortfall("--replay-response-channel",
            "aeron:udp?endpoint=127.0.0.1:0|so-rcvbuf=4k", rmemMax));
    }

    private static void assertRefused(final String expected, final org.junit.jupiter.api.function.Executable check)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, check);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
