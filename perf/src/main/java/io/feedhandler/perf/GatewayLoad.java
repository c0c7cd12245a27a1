package io.feedhandler.perf;

import io.feedhandler.transport.WallClock;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Many real HTTP clients of a gateway's {@code /stream}, on one NIO selector thread: each connection
 * sends a plain HTTP/1.1 request and reads Server-Sent Events like any client, parsing each event's
 * {@code id:} (to find gaps: conflation) and its {@code publishTime} (the tick's due time, stamped by
 * the publisher) to record delivery latency into an HdrHistogram at the moment the bytes were read.
 * A connection can be told to stop reading for a while, or for good: a stalled client.
 */
final class GatewayLoad implements AutoCloseable
{
    private static final byte[] PUBLISH_TIME = "\"publishTime\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int CARRY = 1024;

    /** One client connection and its parse state. */
    static final class Client
    {
        final SocketChannel channel;
        final byte[] carry = new byte[CARRY];
        int carryLength;
        boolean headerDone;
        long lastSequence;
        long events;
        long gaps;
        long skipped;
        volatile long pausedUntilNanos;
        boolean stalled;
        SelectionKey key;

        Client(final SocketChannel channel)
        {
            this.channel = channel;
        }
    }

    private final Selector selector;
    private final List<Client> clients = new ArrayList<>();
    private final WallClock clock = new WallClock();
    private final Histogram latency = new Histogram(60_000_000_000L, 3);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ByteBuffer read = ByteBuffer.allocateDirect(256 * 1024);
    private final byte[] work = new byte[256 * 1024 + CARRY];
    private final Thread thread;
    private final Queue<Client> pending = new ConcurrentLinkedQueue<>();
    private final Queue<Client> toPause = new ConcurrentLinkedQueue<>();
    private volatile boolean recording;
    private long disconnected;

    GatewayLoad() throws IOException
    {
        selector = Selector.open();
        thread = new Thread(this::run, "gateway-load");
        thread.setDaemon(true);
    }

    /** Open {@code count} clients of {@code path}; those with {@code read} false never read (stalled). */
    List<Client> connect(final InetSocketAddress address, final String path, final int count, final boolean read)
        throws IOException
    {
        final byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" +
            address.getPort() + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        final List<Client> opened = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final SocketChannel channel = SocketChannel.open();
            if (!read)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            }
            channel.connect(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.write(ByteBuffer.wrap(request));
            channel.configureBlocking(false);
            final Client client = new Client(channel);
            client.stalled = !read;
            opened.add(client);
        }
        synchronized (clients)
        {
            clients.addAll(opened);
        }
        pending.addAll(opened);
        selector.wakeup();
        return opened;
    }

    void start()
    {
        thread.start();
    }

    /** Latency is recorded only while this is on (after the warm-up). */
    void recording(final boolean on)
    {
        recording = on;
    }

    Histogram latency()
    {
        return latency;
    }

    long disconnected()
    {
        return disconnected;
    }

    /** Stop reading this client for {@code nanos}: it stalls, then reads again. */
    void pause(final Client client, final long nanos)
    {
        client.pausedUntilNanos = System.nanoTime() + nanos;
        toPause.add(client);
        selector.wakeup();
    }

    private void run()
    {
        final List<Client> paused = new ArrayList<>();
        try
        {
            while (running.get())
            {
                Client client;
                while ((client = pending.poll()) != null)
                {
                    client.key = client.channel.register(selector, client.stalled ? 0 : SelectionKey.OP_READ, client);
                }
                while ((client = toPause.poll()) != null)
                {
                    client.key.interestOps(0);
                    paused.add(client);
                }
                final long now = System.nanoTime();
                for (int i = paused.size() - 1; i >= 0; i--)
                {
                    final Client p = paused.get(i);
                    if (now - p.pausedUntilNanos >= 0)
                    {
                        if (p.key.isValid())
                        {
                            p.key.interestOps(SelectionKey.OP_READ);
                        }
                        paused.remove(i);
                    }
                }
                selector.select(10);
                final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext())
                {
                    final SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && key.isReadable())
                    {
                        onReadable((Client)key.attachment());
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private void onReadable(final Client client)
    {
        read.clear();
        final int bytes;
        try
        {
            bytes = client.channel.read(read);
        }
        catch (final IOException ex)
        {
            close(client);
            return;
        }
        if (bytes < 0)
        {
            close(client);
            return;
        }
        final long receivedAt = clock.nanoTime();
        read.flip();
        System.arraycopy(client.carry, 0, work, 0, client.carryLength);
        read.get(work, client.carryLength, bytes);
        final int length = client.carryLength + bytes;
        int start = 0;
        if (!client.headerDone)
        {
            final int end = indexOf(work, 0, length, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (end < 0)
            {
                keep(client, 0, length);
                return;
            }
            client.headerDone = true;
            start = end + 4;
        }
        while (true)
        {
            final int end = indexOfBlankLine(work, start, length);
            if (end < 0)
            {
                break;
            }
            onEvent(client, start, end, receivedAt);
            start = end + 2;
        }
        keep(client, start, length);
    }

    private void keep(final Client client, final int from, final int to)
    {
        final int rest = Math.min(to - from, CARRY);
        System.arraycopy(work, to - rest, client.carry, 0, rest);
        client.carryLength = rest;
    }

    private void onEvent(final Client client, final int from, final int to, final long receivedAt)
    {
        if (to - from < 4 || work[from] != 'i' || work[from + 1] != 'd')
        {
            return; // a comment (heartbeat), the retry line, a shutdown
        }
        final long sequence = number(work, from + 4, to);
        if (client.lastSequence > 0 && sequence != client.lastSequence + 1)
        {
            client.gaps++;
            client.skipped += sequence - client.lastSequence - 1;
        }
        client.lastSequence = sequence;
        client.events++;
        final int at = indexOf(work, from, to, PUBLISH_TIME);
        if (recording && at >= 0)
        {
            final long publishTime = number(work, at + PUBLISH_TIME.length, to);
            latency.recordValue(Math.max(0, Math.min(receivedAt - publishTime, latency.getHighestTrackableValue())));
        }
    }

    private void close(final Client client)
    {
        disconnected++;
        try
        {
            client.channel.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }

    private static long number(final byte[] bytes, final int from, final int to)
    {
        long value = 0;
        for (int i = from; i < to && bytes[i] >= '0' && bytes[i] <= '9'; i++)
        {
            value = value * 10 + (bytes[i] - '0');
        }
        return value;
    }

    private static int indexOfBlankLine(final byte[] bytes, final int from, final int to)
    {
        for (int i = from; i + 1 < to; i++)
        {
            if (bytes[i] == '\n' && bytes[i + 1] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(final byte[] bytes, final int from, final int to, final byte[] pattern)
    {
        outer:
        for (int i = from; i + pattern.length <= to; i++)
        {
            for (int j = 0; j < pattern.length; j++)
            {
                if (bytes[i + j] != pattern[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public void close() throws IOException
    {
        running.set(false);
        selector.wakeup();
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        synchronized (clients)
        {
            for (final Client client : clients)
            {
                client.channel.close();
            }
        }
        selector.close();
    }
}
