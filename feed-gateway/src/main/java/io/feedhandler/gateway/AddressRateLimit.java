package io.feedhandler.gateway;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * New connections per remote address, a generic cell rate algorithm: each address carries the time
 * until which its allowance is spent; a connection is allowed while that time is less than a burst's
 * worth ahead of now. Stops a client in a reconnect loop (or a reconnection storm from one host)
 * before it costs more than a refusal. Bounded: past {@code capacity} addresses, those whose
 * allowance is whole again are forgotten, and if none is, the newcomer is refused.
 */
final class AddressRateLimit
{
    private final long intervalNanos;
    private final long burstNanos;
    private final int capacity;
    private final Map<InetAddress, long[]> spentUntil = new ConcurrentHashMap<>();

    /** @param perSecond connections per second per address; 0 for no limit. */
    AddressRateLimit(final int perSecond, final int burst, final int capacity)
    {
        this.intervalNanos = perSecond == 0 ? 0 : 1_000_000_000L / perSecond;
        this.burstNanos = intervalNanos * Math.max(1, burst);
        this.capacity = capacity;
    }

    /** Whether a new connection from {@code address} is allowed at {@code nowNanos}; counts it if so. */
    boolean allow(final InetAddress address, final long nowNanos)
    {
        if (intervalNanos == 0)
        {
            return true;
        }
        long[] cell = spentUntil.get(address);
        if (cell == null)
        {
            if (spentUntil.size() >= capacity && !forgetIdle(nowNanos))
            {
                return false;
            }
            cell = spentUntil.computeIfAbsent(address, a -> new long[] {nowNanos});
        }
        synchronized (cell)
        {
            final long from = Math.max(cell[0], nowNanos);
            if (from + intervalNanos - nowNanos > burstNanos)
            {
                return false;
            }
            cell[0] = from + intervalNanos;
            return true;
        }
    }

    private boolean forgetIdle(final long nowNanos)
    {
        boolean forgot = false;
        for (final Iterator<long[]> it = spentUntil.values().iterator(); it.hasNext(); )
        {
            if (it.next()[0] - nowNanos <= 0)
            {
                it.remove();
                forgot = true;
            }
        }
        return forgot;
    }
}
