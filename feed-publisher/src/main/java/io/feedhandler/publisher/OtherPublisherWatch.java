package io.feedhandler.publisher;

import io.aeron.driver.media.UdpChannel;
import io.aeron.protocol.DataHeaderFlyweight;
import io.aeron.protocol.HeaderFlyweight;
import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.Quote;
import io.feedhandler.sbe.FeedState;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Another publisher on this publisher's channel and stream (started by mistake, on another journal):
 * subscribers would hear both. Every check interval, off the hot path, this listens on the live
 * multicast group for a moment with a plain UDP socket and reads only the Aeron frame headers: a
 * frame of this stream from another Aeron session is another publisher. Each one is reported once,
 * with its stream epoch as soon as one of its messages says it (or after three samples without one),
 * and counted ({@code other_publishers}).
 * <p>
 * Why not an Aeron subscription to our own channel: it would receive and rebuild every datagram the
 * publisher sends, for as long as it runs, and as a receiver it could hold the stream back (flow
 * control). The socket here is open only for the sample (a fifth of a second every 5 s by default,
 * at most {@link #MAX_DATAGRAMS} datagrams), joins the group only then, and never answers anything.
 * It sees another sender of the group wherever it is, as any receiver does. A unicast channel has
 * no group to listen to: there the check is off (each subscriber still reports).
 */
final class OtherPublisherWatch implements Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(OtherPublisherWatch.class);
    /** Longer than Aeron's own heartbeat (100 ms), so an idle publication is heard too. */
    static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Once another sender is heard: how long to wait for one of its messages to say its epoch (heartbeat: 1 s). */
    static final long EPOCH_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1_500);
    /** Most datagrams read in one sample: bounds its cost at high rates (this publisher's own datagrams). */
    static final int MAX_DATAGRAMS = 10_000;
    /** Samples that heard another sender without its epoch before it is reported without one. */
    static final int SAMPLES_BEFORE_UNNAMED_REPORT = 3;
    /** A receive waits at most this long, so a closing publisher never waits on a sample for longer. */
    private static final int RECEIVE_TIMEOUT_MILLIS = 50;

    private final String channel;
    private final int streamId;
    private final int sessionId;
    private final long epoch;
    private final FeedCounters counters;
    private final InetSocketAddress group;
    private final NetworkInterface networkInterface;
    private final byte[] bytes = new byte[65_536];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final DatagramPacket packet = new DatagramPacket(bytes, bytes.length);
    /** Other senders heard, by Aeron session. */
    private final Map<Integer, Other> others = new HashMap<>();
    private final FeedDecoder decoder;
    private long heardEpoch;
    private volatile long otherPublishers;
    private boolean failureReported;

    /**
     * @param sessionId this publisher's Aeron session: its own frames, looped back, are not another's.
     * @param epoch     this publisher's stream epoch, for the report.
     * @param counters  where {@code other_publishers} is shown; null for none.
     */
    private OtherPublisherWatch(
        final String channel,
        final int streamId,
        final int sessionId,
        final long epoch,
        final FeedCounters counters,
        final InetSocketAddress group,
        final NetworkInterface networkInterface)
    {
        this.channel = channel;
        this.streamId = streamId;
        this.sessionId = sessionId;
        this.epoch = epoch;
        this.counters = counters;
        this.group = group;
        this.networkInterface = networkInterface;
        this.decoder = new FeedDecoder(new FeedHandler()
        {
            public void onQuote(final Quote quote)
            {
            }

            public void onBatchBegin(final long epoch, final long firstSequence, final int count)
            {
                heardEpoch = epoch;
            }

            public void onHeartbeat(
                final long lastSequence, final long sendTimestamp, final FeedState state, final long epoch)
            {
                heardEpoch = epoch;
            }
        });
    }

    /**
     * A watch of {@code channel}, or null when it has no multicast group to listen to (unicast, IPC),
     * which is said once.
     */
    static OtherPublisherWatch of(
        final String channel, final int streamId, final int sessionId, final long epoch, final FeedCounters counters)
    {
        try
        {
            final UdpChannel udp = UdpChannel.parse(channel);
            if (udp.isMulticast())
            {
                return new OtherPublisherWatch(channel, streamId, sessionId, epoch, counters, udp.remoteData(),
                    udp.localInterface());
            }
        }
        catch (final RuntimeException ex)
        {
            // not a UDP channel (IPC): nothing to listen to
        }
        LOG.info("{} is not a multicast channel: this publisher cannot hear another one on it (subscribers " +
            "still report one)", channel);
        return null;
    }

    /** Other publishers heard so far (each Aeron session once); may be read from any thread. */
    long otherPublishers()
    {
        return otherPublishers;
    }

    /** One sample; run every check interval on a thread of its own. */
    public void run()
    {
        try
        {
            sample();
            failureReported = false;
        }
        catch (final IOException | RuntimeException ex)
        {
            if (!failureReported && !Thread.currentThread().isInterrupted()) // interrupted: the publisher closes
            {
                failureReported = true;
                LOG.warn("cannot listen on {} for another publisher: {}", channel, ex.toString());
            }
        }
    }

    private void sample() throws IOException
    {
        // Bound to the group's address, not the wildcard: only this group's datagrams, not every group on the port.
        try (MulticastSocket socket = new MulticastSocket(group))
        {
            socket.joinGroup(group, networkInterface);
            final long start = System.nanoTime();
            long end = start + SAMPLE_NANOS;
            boolean waitingForEpoch = false;
            for (int datagrams = 0; datagrams < MAX_DATAGRAMS; datagrams++)
            {
                final long remaining = end - System.nanoTime();
                if (remaining <= 0 || Thread.currentThread().isInterrupted())
                {
                    break; // the time is up, or the publisher is closing
                }
                socket.setSoTimeout((int)Math.max(1, Math.min(RECEIVE_TIMEOUT_MILLIS,
                    TimeUnit.NANOSECONDS.toMillis(remaining))));
                try
                {
                    socket.receive(packet);
                }
                catch (final SocketTimeoutException ex)
                {
                    continue; // quiet for a moment: look at the clock and the interrupt again
                }
                if (onDatagram(packet.getLength()) && !waitingForEpoch)
                {
                    waitingForEpoch = true; // rare: another sender; give its messages time to say who it is
                    end = Math.max(end, start + EPOCH_WAIT_NANOS);
                }
                if (waitingForEpoch && allEpochsKnown())
                {
                    break;
                }
            }
        }
        if (!Thread.currentThread().isInterrupted())
        {
            report(); // not while the publisher closes: its counters are going away
        }
    }

    /** @return true when the datagram is another sender's, on this stream, whose epoch is not known yet. */
    boolean onDatagram(final int length)
    {
        if (length < DataHeaderFlyweight.HEADER_LENGTH)
        {
            return false;
        }
        final int type = buffer.getShort(HeaderFlyweight.TYPE_FIELD_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (type != HeaderFlyweight.HDR_TYPE_DATA && type != HeaderFlyweight.HDR_TYPE_PAD &&
            type != HeaderFlyweight.HDR_TYPE_SETUP)
        {
            return false;
        }
        final int session = buffer.getInt(DataHeaderFlyweight.SESSION_ID_FIELD_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (session == sessionId ||
            buffer.getInt(DataHeaderFlyweight.STREAM_ID_FIELD_OFFSET, ByteOrder.LITTLE_ENDIAN) != streamId)
        {
            return false;
        }
        final Other other = others.computeIfAbsent(session, Other::new);
        final int frameLength = buffer.getInt(0, ByteOrder.LITTLE_ENDIAN);
        final byte flags = buffer.getByte(HeaderFlyweight.FLAGS_FIELD_OFFSET);
        if (other.epoch == 0 && type == HeaderFlyweight.HDR_TYPE_DATA && frameLength > DataHeaderFlyweight.HEADER_LENGTH &&
            frameLength <= length && (flags & DataHeaderFlyweight.BEGIN_FLAG) != 0)
        {
            heardEpoch = 0;
            decoder.decode(buffer, DataHeaderFlyweight.HEADER_LENGTH, frameLength - DataHeaderFlyweight.HEADER_LENGTH);
            other.epoch = heardEpoch;
        }
        return other.epoch == 0;
    }

    private boolean allEpochsKnown()
    {
        for (final Other other : others.values())
        {
            if (other.epoch == 0)
            {
                return false;
            }
        }
        return true;
    }

    /** Say each other publisher not said yet, once. */
    void report()
    {
        for (final Other other : others.values())
        {
            if (other.reported || other.epoch == 0 && ++other.samplesWithoutEpoch < SAMPLES_BEFORE_UNNAMED_REPORT)
            {
                continue; // said already, or not said yet: a starting publisher sends no message until it is connected
            }
            other.reported = true;
            otherPublishers = otherPublishers + 1; // this thread is the only writer
            if (counters != null)
            {
                counters.set(FeedCounter.OTHER_PUBLISHERS, otherPublishers);
            }
            LOG.error("another publisher (Aeron session {}, epoch {}) sends on {} stream {} beside this one " +
                "(epoch {}): subscribers follow one of the two and drop the other's ticks; stop the one started by " +
                "mistake, or give each its own --channel or --stream", other.session,
                other.epoch == 0 ? "not heard yet" : String.format("%016x", other.epoch), channel, streamId,
                String.format("%016x", epoch));
        }
    }

    /** Another sender of this stream: its Aeron session and stream epoch (0 until one of its messages says it). */
    private static final class Other
    {
        private final int session;
        private long epoch;
        private int samplesWithoutEpoch;
        private boolean reported;

        private Other(final int session)
        {
            this.session = session;
        }
    }
}
