package io.feedhandler.replay.server;

import io.feedhandler.replay.ReplayMessages;
import io.feedhandler.sbe.ReplayErrorCode;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's side of a request flood, measured without the network (stand-in sessions, a clock the
 * test moves): what a flooding requester costs, and what a flood from many requesters leaves behind.
 * The same behaviour through a real driver is in {@code ReplayServerTest} and {@code ReplayStormTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplayServerFloodTest
{
    private final CachedNanoClock clock = new CachedNanoClock();
    private final long[] journal = {1, 1_000_000};
    private final StandInSessions sessions = new StandInSessions(journal);
    private final ReplayMessages messages = new ReplayMessages();
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[256]);
    private int requestLength;

    @Test
    void aFloodedRequestIsDroppedWithoutAllocating()
    {
        final ReplayServerAgent server = server(20, 1024);
        encodeRequest(1, 100);
        for (int i = 0; i < 21; i++)
        {
            server.onControlMessage(request, 0, requestLength, 42); // the allowance, then the one that is told
        }
        assertEquals(1, server.counters().refusals(ReplayErrorCode.TOO_MANY_REQUESTS));

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        for (int i = 0; i < 50_000; i++)
        {
            server.onControlMessage(request, 0, requestLength, 42); // warm-up
        }
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 200_000; i++)
        {
            server.onControlMessage(request, 0, requestLength, 42);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals(250_000, server.counters().unanswered());
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes over 200,000 flooded requests");
        assertEquals(20, server.counters().sessionsStarted(), "only the allowance was served");
    }

    @Test
    void aFloodFromManyRequestersLeavesABoundedTable()
    {
        final ReplayServerAgent server = server(2, 64);
        encodeRequest(1, 100);
        for (long requester = 0; requester < 20_000; requester++)
        {
            server.onControlMessage(request, 0, requestLength, requester);
            if (requester % 100 == 0)
            {
                clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
                server.doWork(); // sessions end, so the flood meets the request limit, not the session limit
            }
        }
        final int tracked = server.requestersTracked();
        assertTrue(tracked <= 64, "tracks " + tracked);
        assertEquals(20_000 - tracked, server.counters().requestersEvicted());
        assertEquals(20_000, server.counters().requests());
        assertTrue(server.sessionsHeld() <= 3 * 32, "holds " + server.sessionsHeld() + " sessions");
        assertTrue(server.counters().toSummaryLine().toString().contains(
            "\"requestersEvicted\":" + (20_000 - tracked)));
    }

    private ReplayServerAgent server(final int maxRequestsPerSecond, final int requesterCapacity)
    {
        return new ReplayServerAgent(new ReplayServerContext()
            .maxSessions(32)
            .maxRequestsPerSecond(maxRequestsPerSecond)
            .requesterCapacity(requesterCapacity)
            .conclude(), () -> journal[0], () -> journal[1], clock, sessions);
    }

    private void encodeRequest(final long from, final long to)
    {
        requestLength = messages.request(7, from, to, 1003, "aeron:udp?endpoint=127.0.0.1:40999");
        request.putBytes(0, messages.buffer(), 0, requestLength);
    }
}
