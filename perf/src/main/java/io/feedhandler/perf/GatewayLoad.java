package io.feedhandler.perf;

import io.feedhandler.transport.WallClock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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

/**
 * Many real HTTP clients of a gateway's {@code /stream}, spread over several reading threads, each
 * with its own NIO selector: each connection sends a plain HTTP/1.1 request and reads Server-Sent
 * Events like any client.
 * <p>
 * Reading costs the load tool as much as writing costs the gateway, so only every
 * {@code measureEvery}-th client is <em>measured</em>: its events are parsed for their {@code id:}
 * (a jump is conflation) and their {@code publishTime} (the tick's due time, stamped by the publisher),
 * whose difference to the moment the bytes were read goes into an HdrHistogram. The other clients
 * read everything just as fast and count bytes, but scan nothing; whether the gateway conflated any of
 * them is its own {@code conflated} counter. A connection can be told to stop reading for a while, or
 * for good: a stalled client.
 */
final class GatewayLoad implements AutoCloseable
{
    private static final byte[] PUBLISH_TIME = "\"publishTime\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CARRY = 1024;
    private static final int READ_BUFFER = 256 * 1024;

    /** One client connection and its parse state, touched only by its reader's thread once started. */
    static final class Client
    {
        final SocketChannel channel;
        final Reader reader;
        final boolean measured;
        final byte[] carry;
        int carryLength;
        boolean headerDone;
        boolean stalled;
        volatile boolean recordLatency;
        volatile long lastSequence;
        volatile long events;
        volatile long gaps;
        volatile long skipped;
        volatile long bytes;
        volatile boolean closed;
        long pausedUntilNanos;
        SelectionKey key;

        Client(final SocketChannel channel, final Reader reader, final boolean measured)
        {
            this.channel = channel;
            this.reader = reader;
            this.measured = measured;
            this.recordLatency = measured;
            this.carry = measured ? new byte[CARRY] : null;
        }
    }

    private final Reader[] readers;
    private final int measureEvery;
    private final List<Client> clients = new ArrayList<>();
    private volatile boolean recording;
    private int opened;

    /**
     * @param threads      reading threads, each with its own selector; clients are dealt to them in turn
     * @param measureEvery every this many clients one is parsed and timed (1: all)
     */
    GatewayLoad(final int threads, final int measureEvery) throws IOException
    {
        this.measureEvery = Math.max(1, measureEvery);
        readers = new Reader[Math.max(1, threads)];
        for (int i = 0; i < readers.length; i++)
        {
            readers[i] = new Reader("gateway-load-" + i);
        }
    }

    /** Open {@code count} clients of {@code path}; those with {@code read} false never read (stalled). */
    List<Client> connect(final InetSocketAddress address, final String path, final int count, final boolean read)
        throws IOException
    {
        final byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" +
            address.getPort() + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        final List<Client> batch = new ArrayList<>(count);
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
            final Client client = new Client(channel, readers[opened % readers.length], opened % measureEvery == 0);
            opened++;
            client.stalled = !read;
            batch.add(client);
            client.reader.pending.add(client);
        }
        synchronized (clients)
        {
            clients.addAll(batch);
        }
        for (final Reader reader : readers)
        {
            reader.selector.wakeup();
        }
        return batch;
    }

    void start()
    {
        for (final Reader reader : readers)
        {
            reader.thread.start();
        }
    }

    int threads()
    {
        return readers.length;
    }

    /** Latency is recorded only while this is on (after the warm-up). */
    void recording(final boolean on)
    {
        recording = on;
    }

    /** Everything recorded since the last call (or the start), from every reader. */
    Histogram takeLatency()
    {
        final Histogram all = new Histogram(60_000_000_000L, 3);
        for (final Reader reader : readers)
        {
            all.add(reader.latency.getIntervalHistogram());
        }
        return all;
    }

    /** Connections the gateway closed (or that failed) so far. */
    long disconnected()
    {
        long sum = 0;
        for (final Reader reader : readers)
        {
            sum += reader.disconnected;
        }
        return sum;
    }

    /** CPU time the reading threads have used so far, in nanoseconds. */
    long cpuNanos()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (final Reader reader : readers)
        {
            sum += Math.max(0, threads.getThreadCpuTime(reader.thread.getId()));
        }
        return sum;
    }

    /** Stop reading this client for {@code nanos}: it stalls, then reads again. */
    void pause(final Client client, final long nanos)
    {
        client.pausedUntilNanos = System.nanoTime() + nanos;
        client.reader.toPause.add(client);
        client.reader.selector.wakeup();
    }

    public void close() throws IOException
    {
        for (final Reader reader : readers)
        {
            reader.running = false;
            reader.selector.wakeup();
        }
        for (final Reader reader : readers)
        {
            try
            {
                reader.thread.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (clients)
        {
            for (final Client client : clients)
            {
                client.channel.close();
            }
        }
        for (final Reader reader : readers)
        {
            reader.selector.close();
        }
    }

    /** One reading thread: its selector, its clients, its buffers and its share of the latency. */
    private final class Reader implements Runnable
    {
        final Selector selector;
        final Thread thread;
        final Queue<Client> pending = new ConcurrentLinkedQueue<>();
        final Queue<Client> toPause = new ConcurrentLinkedQueue<>();
        final SingleWriterRecorder latency = new SingleWriterRecorder(60_000_000_000L, 3);
        final WallClock clock = new WallClock();
        final ByteBuffer read = ByteBuffer.allocateDirect(READ_BUFFER);
        final byte[] work = new byte[READ_BUFFER + CARRY];
        final List<Client> paused = new ArrayList<>();
        volatile boolean running = true;
        volatile long disconnected;

        Reader(final String name) throws IOException
        {
            selector = Selector.open();
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        public void run()
        {
            try
            {
                while (running)
                {
                    admit();
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

        /** New clients, clients to pause and paused clients whose time is up. */
        private void admit() throws IOException
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
            client.bytes += bytes;
            if (client.measured)
            {
                final long receivedAt = clock.nanoTime();
                read.flip();
                System.arraycopy(client.carry, 0, work, 0, client.carryLength);
                read.get(work, client.carryLength, bytes);
                parse(client, client.carryLength + bytes, receivedAt);
            }
        }

        private void parse(final Client client, final int length, final long receivedAt)
        {
            int start = 0;
            if (!client.headerDone)
            {
                final int end = indexOf(work, 0, length, HEADER_END);
                if (end < 0)
                {
                    keep(client, 0, length);
                    return;
                }
                client.headerDone = true;
                start = end + HEADER_END.length;
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
            final long last = client.lastSequence;
            if (last > 0 && sequence != last + 1)
            {
                client.gaps++;
                client.skipped += sequence - last - 1;
            }
            client.lastSequence = sequence;
            client.events++;
            if (recording && client.recordLatency)
            {
                final int at = indexOf(work, from, to, PUBLISH_TIME);
                if (at >= 0)
                {
                    final long publishTime = number(work, at + PUBLISH_TIME.length, to);
                    latency.recordValue(Math.max(0, Math.min(receivedAt - publishTime, 60_000_000_000L)));
                }
            }
        }

        private void close(final Client client)
        {
            disconnected++;
            client.closed = true;
            try
            {
                client.channel.close();
            }
            catch (final IOException ignored)
            {
                // closing anyway
            }
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
}
