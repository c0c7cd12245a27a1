package io.feedhandler.replay.client;

import io.aeron.ChannelUri;
import io.feedhandler.replay.ReplayConfiguration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where replays answer to when the user does not say (the lab's NetLabIT shows it across real hosts). */
class ResponseAddressTest
{
    @Test
    void aServerOnThisHostAnswersThroughLoopback()
    {
        final ResponseAddress address = ResponseAddress.derive("aeron:udp?endpoint=127.0.0.1:40457",
            "aeron:udp?endpoint=239.255.0.1:40456|interface=127.0.0.1");
        assertEquals(ReplayConfiguration.RESPONSE_CHANNEL, address.channel());
    }

    @Test
    void aServerElsewhereIsAnsweredAtThisHostsAddressOnTheRouteToIt()
    {
        // 192.0.2.1 (TEST-NET) is nobody's: a route lookup finds this host's address towards it, or none.
        final ResponseAddress address = ResponseAddress.derive("aeron:udp?endpoint=192.0.2.1:40457",
            "aeron:udp?endpoint=239.255.0.1:40456|interface=10.9.8.7");
        final ChannelUri uri = ChannelUri.parse(address.channel());
        assertNotEquals("127.0.0.1:0", uri.get("endpoint"), address.toString());
        assertTrue(uri.get("endpoint").endsWith(":0"), address.toString());
        assertEquals("8192", uri.get("mtu"), "the default's options are kept: " + address);
        assertEquals("2m", uri.get("so-rcvbuf"), address.toString());
    }

    @Test
    void withNoRouteTheLiveChannelsInterfaceIsThisHostsAddress()
    {
        final ResponseAddress address = ResponseAddress.derive("aeron:udp?endpoint=no-such-host.invalid:40457",
            "aeron:udp?endpoint=239.255.0.1:40456|interface=10.9.8.7/24");
        assertEquals("10.9.8.7:0", ChannelUri.parse(address.channel()).get("endpoint"), address.toString());
        assertTrue(address.how().contains("cannot resolve no-such-host.invalid"), address.how());
        assertEquals(ReplayConfiguration.RESPONSE_CHANNEL, ResponseAddress.derive(
            "aeron:udp?endpoint=no-such-host.invalid:40457", "aeron:udp?endpoint=239.255.0.1:40456|interface=127.0.0.1")
            .channel(), "a loopback live interface says nothing about this host's address");
    }
}
