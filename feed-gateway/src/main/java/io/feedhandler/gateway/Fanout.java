package io.feedhandler.gateway;

import io.feedhandler.subscriber.RecoverySource;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clients of one event loop and the work of sending to them, all on that loop's thread. The
 * subscriber's thread only {@link #wake}s it (once per burst, not per event); then every client that
 * can take more gets what the {@link EventLog} holds past its cursor, copied from the log's bytes
 * into one pooled buffer per client per turn (serialized once, never per client), at most
 * {@link GatewayConfiguration#WRITE_BUDGET} bytes a turn so one client never holds up the rest.
 * <p>
 * A client whose socket is not writable (Netty's {@code WriteBufferWaterMark}) gets nothing until it
 * is writable again, and then the latest quote of each of its instruments instead of everything it
 * missed: conflation, counted per client and in total. Its memory is bounded by the high water mark
 * plus one turn. Blocked past {@code --slow-client-timeout}, it is disconnected and counted.
 */
final class Fanout implements Runnable
{
    private static final byte[] HEARTBEAT = QuoteJson.ascii(":\n\n");
    private static final byte[] WEBSOCKET_PING = {(byte)0x89, 0};
    private static final int FORMAT_EVENT_LENGTH = QuoteJson.MAX_EVENT_LENGTH;

    private final EventLoop loop;
    private final EventLog log;
    private final GatewayBook book;
    private final Instruments instruments;
    private final FeedTap tap;
    private final GatewayContext context;
    private final GatewayCounters counters;
    private final RecoverySource.Factory history;
    private final AtomicInteger resumes;
    private final ArrayList<StreamClient> clients = new ArrayList<>();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicLong eventsSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong conflated = new AtomicLong();
    private final AtomicLong clientCount = new AtomicLong();
    private long[] seen = new long[0];
    private long[] latest = new long[0];
    private long[] matchesFrom = new long[0];
    private long[] older = new long[0];
    private int[] olderIndex = new int[0];

    Fanout(final EventLoop loop, final EventLog log, final GatewayBook book, final Instruments instruments,
        final FeedTap tap, final GatewayContext context, final GatewayCounters counters,
        final RecoverySource.Factory history, final AtomicInteger resumes)
    {
        this.loop = loop;
        this.log = log;
        this.book = book;
        this.instruments = instruments;
        this.tap = tap;
        this.context = context;
        this.counters = counters;
        this.history = history;
        this.resumes = resumes;
    }

    EventLoop loop()
    {
        return loop;
    }

    /** From any thread: there is more in the log. At most one drain is queued at a time. */
    void wake()
    {
        if (!pending.get() && pending.compareAndSet(false, true))
        {
            loop.execute(this);
        }
    }

    /** The queued drain: every client, as far as it can take. */
    public void run()
    {
        pending.set(false);
        final ArrayList<StreamClient> clients = this.clients;
        // Backwards: a client that closes during its drain leaves the list, and none is skipped for it.
        for (int i = clients.size() - 1; i >= 0; i--)
        {
            if (i < clients.size())
            {
                drain(clients.get(i));
            }
        }
    }

    void startHousekeeping()
    {
        loop.scheduleAtFixedRate(this::housekeeping, GatewayConfiguration.HOUSEKEEPING_INTERVAL_NANOS,
            GatewayConfiguration.HOUSEKEEPING_INTERVAL_NANOS, TimeUnit.NANOSECONDS);
    }

    /** On the loop: a new client; it gets what it is owed at once. */
    void add(final StreamClient client)
    {
        clients.add(client);
        clientCount.set(clients.size());
        client.lastSendNanos = System.nanoTime();
        client.generation = log.generation();
        client.channel.closeFuture().addListener(f -> remove(client));
        drain(client);
    }

    private void remove(final StreamClient client)
    {
        if (!client.closed)
        {
            client.closed = true;
            clients.remove(client);
            clientCount.set(clients.size());
            counters.clients.decrementAndGet();
            closePull(client);
        }
    }

    private void closePull(final StreamClient client)
    {
        client.awaitingPull = false;
        if (client.pull != null)
        {
            client.pull.close();
            client.pull = null;
            resumes.decrementAndGet();
        }
    }

    /**
     * On the loop: the client's socket became writable again (or not). While it is not, nothing is
     * read from it either: whatever it sends (WebSocket pings, resumes, subscribes) would be answered
     * into a buffer it does not drain, so its own sending waits in the kernel, bounded by TCP, and
     * the gateway's memory for it stays within the water mark and one turn.
     */
    void writabilityChanged(final StreamClient client)
    {
        final boolean writable = client.channel.isWritable();
        client.channel.config().setAutoRead(writable);
        if (writable)
        {
            client.unwritableSinceNanos = 0;
            drain(client);
        }
        else if (client.unwritableSinceNanos == 0)
        {
            client.unwritableSinceNanos = System.nanoTime();
            client.blocked = true;
        }
    }

    /** Heartbeats to quiet clients, slow clients out, resumes from the journal moved on. */
    private void housekeeping()
    {
        final long now = System.nanoTime();
        for (int i = clients.size() - 1; i >= 0; i--)
        {
            if (i >= clients.size())
            {
                continue;
            }
            final StreamClient client = clients.get(i);
            if (!client.channel.isWritable())
            {
                if (client.unwritableSinceNanos == 0)
                {
                    client.unwritableSinceNanos = now;
                    client.blocked = true;
                }
                else if (now - client.unwritableSinceNanos > context.slowClientTimeoutNanos())
                {
                    counters.slowDisconnects.incrementAndGet();
                    client.channel.close();
                }
                continue;
            }
            if (client.pull != null || client.awaitingPull)
            {
                drain(client);
            }
            if (now - client.lastSendNanos >= context.heartbeatNanos())
            {
                final boolean webSocket = client.format == EventSlots.WEBSOCKET;
                final byte[] beat = webSocket ? WEBSOCKET_PING : HEARTBEAT;
                client.channel.writeAndFlush(client.channel.alloc().ioBuffer(beat.length).writeBytes(beat),
                    client.channel.voidPromise());
                client.lastSendNanos = now;
            }
        }
    }

    /** Give one client what it is owed, as far as it can take it now. */
    void drain(final StreamClient client)
    {
        if (client.closed || !client.channel.isActive())
        {
            return;
        }
        if (!client.channel.isWritable())
        {
            writabilityChanged(client);
            return;
        }
        if (client.generation != log.generation())
        {
            client.generation = log.generation();
            closePull(client);
            client.reset("the feed's stream was reset: sequences start again", client.cursor);
        }
        if (client.resetReason != null)
        {
            sendReset(client);
        }
        if (client.awaitingPull)
        {
            if (resumes.incrementAndGet() > context.maxResumes())
            {
                resumes.decrementAndGet();
                return; // housekeeping tries again
            }
            client.awaitingPull = false;
            client.pull = new HistoryPull(history, client, log);
        }
        if (client.pull != null)
        {
            if (!pullHistory(client))
            {
                return;
            }
            client.blocked = false; // the pull went at the client's pace: it is not behind now
        }
        long head = headResolved(client);
        if (client.cursor >= head)
        {
            client.blocked = false;
            client.resuming = false; // caught up: from now on a full socket far behind is a slow client
            return;
        }
        if (client.blocked && !client.resuming && head - client.cursor > GatewayConfiguration.CONFLATE_BACKLOG)
        {
            client.conflate = true;
        }
        client.blocked = false;
        if (client.conflate || client.cursor + 1 < log.oldest(head))
        {
            conflate(client, head);
            if (client.conflate || !client.channel.isWritable())
            {
                return; // a conflation goes in pieces of one turn's budget: the rest on the next turn
            }
            head = headResolved(client);
            if (client.cursor >= head)
            {
                return;
            }
        }
        sendFromLog(client, head);
    }

    /**
     * The log's head, then the client's filter brought up to date: in that order, so the filter knows
     * the index of every event up to the head (a definition is made before its first event is appended),
     * and an instrument renamed at the head is not missed for a filter resolved before the rename.
     */
    private long headResolved(final StreamClient client)
    {
        final long head = log.head();
        client.filter.resolve(instruments);
        return head;
    }

    private void sendFromLog(final StreamClient client, final long head)
    {
        final int budget = GatewayConfiguration.WRITE_BUDGET;
        final long behind = head - client.cursor;
        final int initial = (int)Math.min(budget + FORMAT_EVENT_LENGTH, behind * FORMAT_EVENT_LENGTH);
        final ByteBuf out = client.channel.alloc().ioBuffer(initial);
        final int generation = client.generation;
        long sequence = client.cursor + 1;
        int events = 0;
        boolean lapped = false;
        while (sequence <= head && out.writerIndex() < budget)
        {
            final int offset = log.offset(sequence);
            final int index = log.instrumentAt(offset, sequence, generation);
            if (index == EventSlots.MISSED)
            {
                if (lapped(offset, sequence))
                {
                    lapped = true;
                    break;
                }
                sequence++; // never delivered to the gateway (lost from the journal): nobody gets it
                continue;
            }
            if (client.filter.matches(index))
            {
                if (log.copy(offset, sequence, generation, out, client.format) == EventSlots.MISSED)
                {
                    lapped = true;
                    break;
                }
                events++;
            }
            sequence++;
        }
        client.cursor = sequence - 1;
        send(client, out, events);
        if (lapped)
        {
            client.conflate = true; // overtaken by the writer: what it missed is conflated
        }
        if ((lapped || sequence <= head) && client.channel.isWritable())
        {
            wake(); // more to send: another turn, after the other clients have had theirs
        }
    }

    /**
     * Whether a slot that did not hold {@code sequence} was overwritten (by a later sequence, or by
     * the same one of a later stream generation) rather than never written (a sequence lost from the
     * journal, which nobody gets).
     */
    private boolean lapped(final int offset, final long sequence)
    {
        final long held = log.sequenceAt(offset);
        return held == EventSlots.WRITING || held >= sequence;
    }

    private boolean pullHistory(final StreamClient client)
    {
        final HistoryPull pull = client.pull;
        final ByteBuf out = client.channel.alloc().ioBuffer(GatewayConfiguration.WRITE_BUDGET + FORMAT_EVENT_LENGTH);
        final long before = pull.pulled();
        final boolean over = pull.pull(out, GatewayConfiguration.WRITE_BUDGET);
        final boolean full = out.readableBytes() >= GatewayConfiguration.WRITE_BUDGET;
        send(client, out, (int)(pull.pulled() - before));
        if (!over)
        {
            if (full && client.channel.isWritable())
            {
                wake(); // more in the journal: another turn after the others (else housekeeping looks again)
            }
            return false;
        }
        closePull(client);
        if (pull.failure() != null)
        {
            client.reset("sequence " + client.cursor + " can no longer be resumed from: " + pull.failure(),
                client.cursor);
            sendReset(client);
        }
        return true;
    }

    private void sendReset(final StreamClient client)
    {
        counters.resets.incrementAndGet();
        final String epoch = tap.streamEpoch();
        final String json = "{\"type\":\"reset\",\"reason\":\"" + client.resetReason.replace("\"", "'") +
            "\",\"lastEventId\":" + client.resetFrom + ",\"sequence\":" + log.head() +
            (epoch == null ? "" : ",\"epoch\":\"" + epoch + "\"") + "}";
        client.resetReason = null;
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        final ByteBuf out = client.channel.alloc().ioBuffer(bytes.length + 32);
        if (client.format == EventSlots.WEBSOCKET)
        {
            writeWebSocketText(out, bytes);
        }
        else
        {
            out.writeBytes(QuoteJson.ascii("event: reset\ndata: ")).writeBytes(bytes).writeByte('\n').writeByte('\n');
        }
        send(client, out, 0);
    }

    static void writeWebSocketText(final ByteBuf out, final byte[] bytes)
    {
        out.writeByte(0x81);
        if (bytes.length < 126)
        {
            out.writeByte(bytes.length);
        }
        else
        {
            out.writeByte(126).writeShort(bytes.length);
        }
        out.writeBytes(bytes);
    }

    /**
     * The latest quote of each of the client's instruments between its cursor and {@code head}, in
     * sequence order, then the cursor moves to {@code head}. From the log as far back as it reaches,
     * and from the book for instruments whose latest is older than that. At most one turn's
     * {@link GatewayConfiguration#WRITE_BUDGET} goes out at once: where a piece ends (the budget, or
     * a log slot the writer lapped while this ran), the cursor stops just before the first quote not
     * sent and the client stays conflating, so its next turn takes the latest of the rest, which is
     * that quote or a later one of its instrument: nothing is left stale, nothing goes out of order,
     * and what a client is sent at once stays within a turn, whatever the number of instruments.
     * A snapshot leaves out retired instruments (renamed since: no longer in the book).
     */
    private void conflate(final StreamClient client, final long head)
    {
        final ClientFilter filter = client.filter;
        final int generation = client.generation;
        final boolean snapshot = client.snapshot;
        final long from = client.cursor + 1;
        long lowest = Math.max(from, log.oldest(head));
        final int tracked = instruments.count();
        final int words = (tracked >> 6) + 1;
        if (seen.length < words)
        {
            seen = new long[words];
            latest = new long[tracked + 64];
            matchesFrom = new long[tracked + 64];
            older = new long[tracked + 64];
            olderIndex = new int[tracked + 64];
        }
        Arrays.fill(seen, 0, words, 0);
        int found = 0;
        long logMatches = 0;
        for (long sequence = head; sequence >= lowest; sequence--)
        {
            final int offset = log.offset(sequence);
            final int index = log.instrumentAt(offset, sequence, generation);
            if (index == EventSlots.MISSED)
            {
                if (lapped(offset, sequence))
                {
                    lowest = sequence + 1; // the writer has come round to here: older ones from the book
                    break;
                }
                continue;
            }
            if (!filter.matches(index))
            {
                continue;
            }
            logMatches++;
            if (index < 0 || index >= tracked || snapshot && instruments.isRetired(index))
            {
                continue; // untracked instruments cannot be conflated by instrument: dropped, counted
            }
            final int word = index >> 6;
            final long bit = 1L << index;
            if ((seen[word] & bit) == 0)
            {
                seen[word] |= bit;
                matchesFrom[found] = logMatches; // the client's events from this one up to the head
                latest[found++] = sequence;
            }
        }
        int fromBook = 0;
        if (from < lowest)
        {
            for (int index = 0; index < tracked; index++)
            {
                if (filter.matches(index) && (seen[index >> 6] & (1L << index)) == 0 &&
                    !(snapshot && instruments.isRetired(index)))
                {
                    final long sequence = book.sequence(index);
                    if (sequence >= from && sequence < lowest)
                    {
                        older[fromBook] = sequence;
                        olderIndex[fromBook++] = index;
                    }
                }
            }
            sortBySequence(older, olderIndex, fromBook);
        }
        final int budget = GatewayConfiguration.WRITE_BUDGET;
        final ByteBuf out = client.channel.alloc().ioBuffer(
            (int)Math.min(budget + FORMAT_EVENT_LENGTH, (found + fromBook) * (long)FORMAT_EVENT_LENGTH + 16));
        int events = 0;
        long cursor = head;
        long notCovered = 0; // the client's events past where this piece ends: the next piece's
        for (int i = 0; i < fromBook; i++)
        {
            if (out.writerIndex() >= budget)
            {
                cursor = older[i] - 1;
                notCovered = logMatches + (filter.isAll() ? lowest - older[i] : fromBook - i);
                break;
            }
            // MISSED: the book slot has a newer quote since, after the head: it goes out from the log.
            if (book.copy(GatewayBook.offset(olderIndex[i]), older[i], EventSlots.ANY_GENERATION, out,
                client.format) != EventSlots.MISSED)
            {
                events++;
            }
        }
        for (int i = found - 1; i >= 0 && cursor == head; i--)
        {
            final long sequence = latest[i];
            if (out.writerIndex() >= budget ||
                log.copy(log.offset(sequence), sequence, generation, out, client.format) == EventSlots.MISSED)
            {
                cursor = sequence - 1; // over budget, or lapped since the scan: the rest on the next turn
                notCovered = matchesFrom[i];
                break;
            }
            events++;
        }
        if (!snapshot)
        {
            final long covered = logMatches + (from < lowest ? (filter.isAll() ? lowest - from : fromBook) : 0);
            final long skipped = Math.max(0, covered - notCovered - events);
            client.conflated += skipped;
            conflated.lazySet(conflated.get() + skipped);
        }
        final boolean more = cursor < head;
        client.snapshot = more && snapshot;
        client.conflate = more;
        client.cursor = cursor;
        send(client, out, events);
        if (more && client.channel.isWritable())
        {
            wake();
        }
    }

    /** Shell sort of sequences with their instrument indexes alongside: no allocation, few elements. */
    private static void sortBySequence(final long[] sequences, final int[] indexes, final int count)
    {
        for (int gap = count / 2; gap > 0; gap /= 2)
        {
            for (int i = gap; i < count; i++)
            {
                final long sequence = sequences[i];
                final int index = indexes[i];
                int j = i;
                while (j >= gap && sequences[j - gap] > sequence)
                {
                    sequences[j] = sequences[j - gap];
                    indexes[j] = indexes[j - gap];
                    j -= gap;
                }
                sequences[j] = sequence;
                indexes[j] = index;
            }
        }
    }

    private void send(final StreamClient client, final ByteBuf out, final int events)
    {
        final int bytes = out.readableBytes();
        if (bytes == 0)
        {
            out.release();
            return;
        }
        client.channel.writeAndFlush(out, client.channel.voidPromise());
        client.lastSendNanos = System.nanoTime();
        client.sent += events;
        eventsSent.lazySet(eventsSent.get() + events);
        bytesSent.lazySet(bytesSent.get() + bytes);
    }

    /** On the loop, at shutdown: every client is told, then closed; they reconnect elsewhere. */
    void shutdown()
    {
        final byte[] sse = QuoteJson.ascii("event: shutdown\ndata: {\"type\":\"shutdown\"}\n\n");
        final byte[] json = QuoteJson.ascii("{\"type\":\"shutdown\"}");
        for (final StreamClient client : new ArrayList<>(clients))
        {
            final ByteBuf out = client.channel.alloc().ioBuffer(64);
            if (client.format == EventSlots.WEBSOCKET)
            {
                writeWebSocketText(out, json);
                out.writeByte(0x88).writeByte(2).writeShort(1001); // close: going away
            }
            else
            {
                out.writeBytes(sse);
            }
            client.channel.writeAndFlush(out).addListener(f -> client.channel.close());
        }
    }

    /** A new client streams from here, resuming from {@code lastEventId} (-1: live; with snapshot, the book first). */
    void open(final StreamClient client, final long lastEventId, final boolean snapshot)
    {
        position(client, lastEventId, snapshot);
        add(client);
    }

    /** A client already streaming starts again from another point (a WebSocket resume or subscribe). */
    void reposition(final StreamClient client, final long lastEventId, final boolean snapshot)
    {
        closePull(client);
        client.conflate = false;
        client.snapshot = false;
        position(client, lastEventId, snapshot);
        drain(client);
    }

    private void position(final StreamClient client, final long lastEventId, final boolean snapshot)
    {
        final long head = log.head();
        final String epoch = tap.streamEpoch();
        if (lastEventId >= 0 && client.epoch != null && epoch != null && !client.epoch.equals(epoch))
        {
            // Its sequences count in another stream (the journal was reset, or replaced): the same
            // numbers here are other ticks, so it starts again rather than resume among them.
            client.reset("the feed's stream was reset: sequence " + lastEventId + " of epoch " +
                Subscriptions.printable(client.epoch) + " is not in this stream (epoch " + epoch + ")", lastEventId);
            return;
        }
        if (lastEventId < 0)
        {
            client.cursor = head;
            if (snapshot)
            {
                client.cursor = 0;
                client.conflate = true;
                client.snapshot = true;
            }
        }
        else if (lastEventId > head)
        {
            if (lastEventId - head <= log.capacity())
            {
                client.cursor = lastEventId; // a little ahead of this gateway (another one was faster): wait
                client.resuming = true;
                counters.resumes.incrementAndGet();
            }
            else
            {
                client.reset("sequence " + lastEventId + " is ahead of this gateway's feed (" + head + ")",
                    lastEventId);
            }
        }
        else if (lastEventId + 1 >= log.oldest(head))
        {
            client.cursor = lastEventId;
            client.resuming = true;
            counters.resumes.incrementAndGet();
        }
        else if (history != null)
        {
            client.cursor = lastEventId;
            client.resuming = true;
            client.awaitingPull = true; // a pull starts when one of the --max-resumes slots is free
            counters.journalResumes.incrementAndGet();
        }
        else
        {
            client.reset("sequence " + lastEventId + " is older than this gateway's history (from " +
                log.oldest(head) + ") and it has no journal to resume from", lastEventId);
        }
    }

    /** On the loop: write a control message (WebSocket replies) in order with the client's events. */
    void sendControl(final StreamClient client, final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        final ByteBuf out = client.channel.alloc().ioBuffer(bytes.length + 4);
        writeWebSocketText(out, bytes);
        send(client, out, 0);
    }

    long head()
    {
        return log.head();
    }

    long eventsSent()
    {
        return eventsSent.get();
    }

    long bytesSent()
    {
        return bytesSent.get();
    }

    long conflated()
    {
        return conflated.get();
    }

    long clients()
    {
        return clientCount.get();
    }
}
