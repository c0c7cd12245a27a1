package io.feedhandler.subscriber;

import io.aeron.ExclusivePublication;
import io.feedhandler.publisher.Publisher;
import io.feedhandler.publisher.PublisherContext;
import io.feedhandler.publisher.PublisherStats;
import io.feedhandler.publisher.SyntheticMarket;
import io.feedhandler.sbe.MessageHeaderEncoder;
import io.feedhandler.sbe.QuoteEncoder;
import io.feedhandler.transport.AeronConnection;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Garbage on the live stream while the feed runs, through the real parts: plain UDP datagrams at
 * the multicast group (the media driver drops them) and a rogue Aeron publisher on the same channel
 * and stream sending malformed messages of every kind (the subscriber counts and drops them). Every
 * real tick is still delivered, with the publisher's digest.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MalformedInputTest
{
    static final String GROUP = "239.255.77.17";
    static final int PORT = 40617;
    static final String CHANNEL = "aeron:udp?endpoint=" + GROUP + ":" + PORT + "|interface=127.0.0.1";
    static final int STREAM = 2017;
    static final long COUNT = 40_000;

    @TempDir
    Path journalDir;

    @TempDir
    Path offsetsDir;

    @Test
    void garbageIsCountedAndDroppedAndEveryRealTickStillArrives() throws Exception
    {
        try (Subscriber subscriber = Subscriber.launch(new SubscriberContext().transport(t -> t.channel(CHANNEL).streamId(STREAM))
                .offsetsDirectory(offsetsDir).recovery(false).count(COUNT)
                .durationNanos(TimeUnit.SECONDS.toNanos(90)), quote -> { }, FeedStatusListener.NONE);
            AeronConnection rogueSide = AeronConnection.connect(null);
            ExclusivePublication rogue = rogueSide.aeron().addExclusivePublication(CHANNEL, STREAM);
            MulticastSocket udp = loopbackOnly())
        {
            final PublisherStats published;
            try (Publisher publisher = Publisher.launch(new PublisherContext().transport(t -> t.channel(CHANNEL).streamId(STREAM))
                .journalDirectory(journalDir).source(new SyntheticMarket(10, 3)).rate(20_000).count(COUNT)
                .replayServer(null)))
            {
                sendGarbage(rogue, udp);
                assertTrue(publisher.awaitCompletion(60, TimeUnit.SECONDS));
                assertNull(publisher.failure());
                published = publisher.stats();
            }
            assertTrue(subscriber.awaitCompletion(30, TimeUnit.SECONDS), () -> subscriber.stats().toSummaryLine().toString());
            final SubscriberStats stats = subscriber.stats();
            assertEquals(COUNT, stats.delivered(), stats.toSummaryLine().toString());
            assertEquals(published.digest(), stats.digest());
            assertTrue(stats.malformed() > 0, "the rogue's messages were counted: " + stats.toSummaryLine());
            assertNull(subscriber.failure(), "the subscriber kept running");
        }
    }

    /** A plain UDP socket whose multicast goes out on loopback only, with TTL 0: nothing leaves the host. */
    private static MulticastSocket loopbackOnly() throws Exception
    {
        final MulticastSocket socket = new MulticastSocket(0);
        socket.setNetworkInterface(NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()));
        socket.setTimeToLive(0);
        return socket;
    }

    /** A burst of every kind of bad message, from both sources, while the real feed runs. */
    private static void sendGarbage(final ExclusivePublication rogue, final MulticastSocket udp) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(17);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final InetAddress group = InetAddress.getByName(GROUP);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        int sent = 0;
        while (System.nanoTime() < deadline || sent < 600)
        {
            final int kind = sent % 6;
            int length = 8 + QuoteEncoder.BLOCK_LENGTH;
            buffer.setMemory(0, 512, (byte)0);
            new QuoteEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).sequence(0).instrumentId(1);
            switch (kind)
            {
                case 0: // truncated
                    length = 1 + random.nextInt(20);
                    break;
                case 1: // another schema
                    buffer.putShort(4, (short)4242, QuoteEncoder.BYTE_ORDER);
                    break;
                case 2: // unknown template
                    buffer.putShort(2, (short)999, QuoteEncoder.BYTE_ORDER);
                    break;
                case 3: // absurd block length
                    buffer.putShort(0, (short)0xFFFF, QuoteEncoder.BYTE_ORDER);
                    break;
                case 4: // a newer version whose values are out of range
                    buffer.putShort(6, (short)9, QuoteEncoder.BYTE_ORDER);
                    break;
                default: // random bytes with a foreign schema id
                    final byte[] bytes = new byte[1 + random.nextInt(300)];
                    random.nextBytes(bytes);
                    buffer.putBytes(0, bytes);
                    buffer.putShort(4, (short)1, QuoteEncoder.BYTE_ORDER);
                    length = bytes.length;
            }
            rogue.offer(buffer, 0, length);
            final byte[] datagram = new byte[length];
            buffer.getBytes(0, datagram);
            udp.send(new DatagramPacket(datagram, datagram.length, group, PORT));
            sent++;
            Thread.sleep(1);
        }
    }
}
