package io.feedhandler.gateway;

import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.Quote;
import io.feedhandler.subscriber.RecoverySource;
import io.netty.buffer.ByteBuf;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * A resume from before the gateway's in-memory history: the client's missed quotes pulled from the
 * journal, through the subscriber's own recovery sources (the journal on this host read directly,
 * {@code JournalRecovery}, or the replay server, {@code NetworkRecovery}), filtered and serialized
 * for this client alone, until the pull reaches a sequence the {@link EventLog} still holds; from
 * there the client reads the log like everyone else. The cursor is the only hand-over point, so
 * nothing is sent twice and nothing is skipped. Runs on the client's event loop in bounded turns,
 * only while the client can take more. A refusal that may pass (the server busy, not reachable yet,
 * the session ended) is retried; one that cannot (retention) ends the pull, and the client gets a reset.
 * <p>
 * Each tick is labelled, and filtered, by the definition in force at its sequence, as the source
 * hands them on (those in force where the pull starts, then each before the first tick it applies
 * to), never by what the gateway knows now: a tick published as AAPL goes out as AAPL, to clients
 * that asked for AAPL, even if its id has been renamed since. A tick whose id the pull has no
 * definition for goes out as {@code #id}, to clients that take everything only.
 */
final class HistoryPull implements RecoverySource.Handler, AutoCloseable
{
    private final StreamClient client;
    private final EventLog log;
    private final Int2ObjectHashMap<Definition> definitions = new Int2ObjectHashMap<>();
    private final RecoverySource source;
    private final EventSlots scratch = new EventSlots(1);
    private final QuoteJson json = new QuoteJson();
    private ByteBuf out;
    private long restartAtNanos;
    private boolean started;
    private boolean reachedLog;
    private String failure;
    private String problem;
    private long pulled;
    private long lastProgressNanos;

    HistoryPull(final RecoverySource.Factory sources, final StreamClient client, final EventLog log)
    {
        this.client = client;
        this.log = log;
        this.source = sources.create(this);
        this.lastProgressNanos = System.nanoTime();
    }

    /** Why the pull could not serve the resume; null while it can. */
    String failure()
    {
        return failure;
    }

    /** Quotes of this client's instruments pulled so far. */
    long pulled()
    {
        return pulled;
    }

    /**
     * Read on until {@code out} holds about {@code budget} bytes, the source has nothing more now, or
     * the pull reached the event log.
     *
     * @return true when the pull is over: it reached the log, or failed ({@link #failure()}).
     */
    boolean pull(final ByteBuf out, final int budget)
    {
        final long now = System.nanoTime();
        if (!started || restartAtNanos != 0 && now - restartAtNanos >= 0)
        {
            restartAtNanos = 0;
            started = source.start(client.cursor + 1);
            if (!started)
            {
                problem = "no replay server answers";
            }
        }
        this.out = out;
        try
        {
            while (started && restartAtNanos == 0 && !reachedLog && failure == null && out.writerIndex() < budget)
            {
                if (source.poll(GatewayConfiguration.HISTORY_POLL_LIMIT) == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            this.out = null;
        }
        if (!reachedLog && failure == null &&
            now - lastProgressNanos > GatewayConfiguration.HISTORY_TIMEOUT_NANOS)
        {
            failure = "no progress for " + GatewayConfiguration.HISTORY_TIMEOUT + (problem == null ? "" : ": " + problem);
        }
        if (reachedLog || failure != null)
        {
            source.stop();
            return true;
        }
        return false;
    }

    public void onQuote(final Quote quote)
    {
        final long sequence = quote.sequence();
        if (sequence <= client.cursor || reachedLog || failure != null || restartAtNanos != 0)
        {
            return;
        }
        if (sequence > client.cursor + 1)
        {
            retry("the pull skipped from " + (client.cursor + 1) + " to " + sequence); // never deliver past a hole
            return;
        }
        final Definition definition = definition(quote.instrumentId());
        if (definition.allowedBy(client.filter))
        {
            final int length = json.encode(quote, definition.symbolBytes, scratch.slots, EventSlots.DATA_OFFSET);
            scratch.beginWrite(0);
            scratch.endWrite(0, sequence, 0, -1, length, json.jsonOffset(), json.jsonLength());
            scratch.copy(0, sequence, EventSlots.ANY_GENERATION, out, client.format);
            client.sent++;
            pulled++;
        }
        client.cursor = sequence;
        lastProgressNanos = System.nanoTime();
        // Hand over well inside the log, not at its oldest end, which moves on with every live tick:
        // the client must still find its next sequence there when its next turn comes.
        final long head = log.head();
        if (sequence + 1 >= log.oldest(head) && head - sequence <= log.capacity() / 2)
        {
            reachedLog = true;
        }
    }

    /** A definition comes into force (the source hands it on before the first tick it applies to). */
    public void onInstrument(final int instrumentId, final int priceExponent, final CharSequence symbol,
        final long fromSequence)
    {
        final Definition current = definitions.get(instrumentId);
        if (current == null || current.placeholder || !current.symbol.contentEquals(symbol))
        {
            definitions.put(instrumentId, new Definition(symbol.toString(), false));
        }
    }

    private Definition definition(final int instrumentId)
    {
        Definition definition = definitions.get(instrumentId);
        if (definition == null)
        {
            definition = new Definition("#" + instrumentId, true); // once per id the pull was not told of
            definitions.put(instrumentId, definition);
        }
        return definition;
    }

    /** A symbol as the pull labels ticks with it, and whether the client's filter (as last seen) takes it. */
    private static final class Definition
    {
        final String symbol;
        final byte[] symbolBytes;
        final boolean placeholder;
        ClientFilter filter;
        boolean allowed;

        Definition(final String symbol, final boolean placeholder)
        {
            this.symbol = symbol;
            this.symbolBytes = QuoteJson.symbolBytes(symbol);
            this.placeholder = placeholder;
        }

        /** A WebSocket client may subscribe while it resumes: its filter is a new object then. */
        boolean allowedBy(final ClientFilter filter)
        {
            if (filter != this.filter)
            {
                this.filter = filter;
                allowed = placeholder ? filter.isAll() : filter.allows(symbol);
            }
            return allowed;
        }
    }

    public void onRefused(final boolean belowRetention, final long firstAvailable, final String reason)
    {
        if (belowRetention)
        {
            failure = reason;
        }
        else
        {
            retry(reason); // busy, flooded, another stream for now: again shortly
        }
    }

    public void onNotJournaled(final long firstSequence, final long lastSequence, final String reason)
    {
        // Never journaled, so never in anyone's stream after a restart either: step over it.
        client.cursor = Math.max(client.cursor, lastSequence);
        lastProgressNanos = System.nanoTime();
        restartAtNanos = System.nanoTime();
    }

    public void onInterrupted(final String reason)
    {
        retry(reason);
    }

    public void onMalformed(final MalformedReason reason)
    {
        problem = "malformed replay messages (" + reason + ")";
    }

    private void retry(final String reason)
    {
        problem = reason;
        restartAtNanos = System.nanoTime() + GatewayConfiguration.HISTORY_RETRY_NANOS;
    }

    public void close()
    {
        source.close();
    }
}
