package io.feedhandler.gateway;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressRateLimitTest
{
    @Test
    void anAddressGetsItsBurstThenItsRateAndOthersTheirOwn() throws Exception
    {
        final AddressRateLimit limit = new AddressRateLimit(10, 3, 2);
        final InetAddress a = InetAddress.getByName("127.0.0.1");
        final InetAddress b = InetAddress.getByName("127.0.0.2");
        final InetAddress c = InetAddress.getByName("127.0.0.3");
        long now = 1_000_000_000L;
        assertTrue(limit.allow(a, now));
        assertTrue(limit.allow(a, now));
        assertTrue(limit.allow(a, now));
        assertFalse(limit.allow(a, now), "past the burst");
        assertTrue(limit.allow(b, now), "another address has its own");
        assertFalse(limit.allow(c, now), "the table is full and nobody's allowance is whole again");
        now += 100_000_000L;
        assertTrue(limit.allow(a, now), "one more after a tenth of a second");
        assertFalse(limit.allow(a, now));
        now += 1_000_000_000L;
        assertTrue(limit.allow(c, now), "idle addresses are forgotten to make room");
        assertTrue(new AddressRateLimit(0, 1, 1).allow(a, now), "0: no limit");
    }
}
