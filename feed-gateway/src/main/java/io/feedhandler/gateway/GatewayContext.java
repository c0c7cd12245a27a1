package io.feedhandler.gateway;

import io.feedhandler.subscriber.SubscriberContext;
import io.feedhandler.transport.OptionChecks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * Everything a gateway is configured with: the subscriber it runs (channel, replay, journal: a
 * {@link SubscriberContext}) and how it serves. Fluent setters; {@link #conclude()} checks every value
 * and throws {@link IllegalArgumentException} naming the first bad one.
 */
public final class GatewayContext
{
    private SubscriberContext subscriber = new SubscriberContext();
    private String name = "gateway";
    private String bind = GatewayConfiguration.BIND;
    private boolean bindGiven;
    private int port = GatewayConfiguration.PORT;
    private long heartbeatNanos = GatewayConfiguration.HEARTBEAT_NANOS;
    private long slowClientTimeoutNanos = GatewayConfiguration.SLOW_CLIENT_TIMEOUT_NANOS;
    private long requestTimeoutNanos = GatewayConfiguration.REQUEST_TIMEOUT_NANOS;
    private int maxConnections = GatewayConfiguration.MAX_CONNECTIONS;
    private int reconnectsPerSecond = GatewayConfiguration.RECONNECTS_PER_SECOND;
    private int reconnectBurst = GatewayConfiguration.RECONNECT_BURST;
    private int history = GatewayConfiguration.HISTORY;
    private int maxResumes = GatewayConfiguration.MAX_RESUMES;
    private int maxInstruments = GatewayConfiguration.MAX_INSTRUMENTS;
    private int ioThreads = GatewayConfiguration.IO_THREADS;
    private int writeBufferHigh = GatewayConfiguration.WRITE_BUFFER_HIGH;
    private int writeBufferLow = GatewayConfiguration.WRITE_BUFFER_LOW;
    private Path tokens;
    private Path journal;
    private InetAddress bindAddress;
    private Entitlements entitlements;

    public GatewayContext conclude()
    {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}"))
        {
            throw new IllegalArgumentException("bad --name '" + name + "': use 1 to 64 letters, digits, '.', '_' or '-'");
        }
        OptionChecks.within("--port", port, 0, 65_535, "(0: any free port)");
        try
        {
            bindAddress = InetAddress.getByName(bind);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("bad --bind '" + bind + "': not an address of this host");
        }
        OptionChecks.positiveNanos("--heartbeat-interval", heartbeatNanos);
        OptionChecks.positiveNanos("--slow-client-timeout", slowClientTimeoutNanos);
        OptionChecks.positiveNanos("--request-timeout", requestTimeoutNanos);
        OptionChecks.atLeast("--max-connections", maxConnections, 1);
        OptionChecks.atLeast("--reconnect-rate", reconnectsPerSecond, 0); // 0: no limit
        OptionChecks.atLeast("--reconnect-burst", reconnectBurst, 1);
        OptionChecks.within("--history", history, 1024, 1 << 24, "events");
        OptionChecks.within("--max-resumes", maxResumes, 1, 1024, "");
        OptionChecks.within("--max-instruments", maxInstruments, 1, 1_000_000, "");
        OptionChecks.atLeast("--io-threads", ioThreads, 0); // 0: Netty's default
        if (writeBufferLow < 1 || writeBufferHigh <= writeBufferLow)
        {
            throw new IllegalArgumentException(
                "bad write buffer marks " + writeBufferLow + ".." + writeBufferHigh + ": need 1 <= low < high");
        }
        OptionChecks.existingDirectory("--journal", journal);
        if (tokens != null)
        {
            entitlements = Entitlements.read(tokens);
        }
        else if (!bindAddress.isLoopbackAddress() && !bindGiven)
        {
            throw new IllegalArgumentException("bad --bind '" + bind + "': without --tokens only loopback is served " +
                "unless --bind is given explicitly");
        }
        subscriber.journalDirectory(journal);
        subscriber.conclude();
        return this;
    }

    /** The subscriber the gateway runs: the live stream, recovery, the media driver. */
    public SubscriberContext subscriber()
    {
        return subscriber;
    }

    public GatewayContext subscriber(final SubscriberContext subscriber)
    {
        this.subscriber = subscriber;
        return this;
    }

    /**
     * The name the gateway's counters are shown under. Its subscriber stays anonymous: a named one would
     * be durable and, after a restart, replay everything since it stopped into the gateway's history.
     */
    public String name()
    {
        return name;
    }

    public GatewayContext name(final String name)
    {
        this.name = name;
        return this;
    }

    /** The address served; loopback by default. */
    public String bind()
    {
        return bind;
    }

    /**
     * @param explicit whether the user named it: without tokens a non-loopback address is served only then.
     */
    public GatewayContext bind(final String bind, final boolean explicit)
    {
        this.bind = bind;
        this.bindGiven = explicit;
        return this;
    }

    InetAddress bindAddress()
    {
        return bindAddress;
    }

    /** The TCP port served; 0 for any free one (the gateway logs which). */
    public int port()
    {
        return port;
    }

    public GatewayContext port(final int port)
    {
        this.port = port;
        return this;
    }

    /** A comment (SSE) or ping (WebSocket) after this long without anything else sent. */
    public long heartbeatNanos()
    {
        return heartbeatNanos;
    }

    public GatewayContext heartbeatNanos(final long heartbeatNanos)
    {
        this.heartbeatNanos = heartbeatNanos;
        return this;
    }

    /** A client that cannot take anything for this long is disconnected. */
    public long slowClientTimeoutNanos()
    {
        return slowClientTimeoutNanos;
    }

    public GatewayContext slowClientTimeoutNanos(final long slowClientTimeoutNanos)
    {
        this.slowClientTimeoutNanos = slowClientTimeoutNanos;
        return this;
    }

    /** A connection that has not sent a whole request within this long is closed. */
    public long requestTimeoutNanos()
    {
        return requestTimeoutNanos;
    }

    public GatewayContext requestTimeoutNanos(final long requestTimeoutNanos)
    {
        this.requestTimeoutNanos = requestTimeoutNanos;
        return this;
    }

    public int maxConnections()
    {
        return maxConnections;
    }

    public GatewayContext maxConnections(final int maxConnections)
    {
        this.maxConnections = maxConnections;
        return this;
    }

    /** New connections per second from one address; 0 for no limit. */
    public int reconnectsPerSecond()
    {
        return reconnectsPerSecond;
    }

    public GatewayContext reconnectsPerSecond(final int reconnectsPerSecond)
    {
        this.reconnectsPerSecond = reconnectsPerSecond;
        return this;
    }

    public int reconnectBurst()
    {
        return reconnectBurst;
    }

    public GatewayContext reconnectBurst(final int reconnectBurst)
    {
        this.reconnectBurst = reconnectBurst;
        return this;
    }

    /** Events kept in memory for resume and conflation (rounded up to a power of two). */
    public int history()
    {
        return history;
    }

    public GatewayContext history(final int history)
    {
        this.history = history;
        return this;
    }

    /** Resumes pulling from the journal (or the replay server) at once; more wait their turn. */
    public int maxResumes()
    {
        return maxResumes;
    }

    public GatewayContext maxResumes(final int maxResumes)
    {
        this.maxResumes = maxResumes;
        return this;
    }

    public int maxInstruments()
    {
        return maxInstruments;
    }

    public GatewayContext maxInstruments(final int maxInstruments)
    {
        this.maxInstruments = maxInstruments;
        return this;
    }

    public int ioThreads()
    {
        return ioThreads;
    }

    public GatewayContext ioThreads(final int ioThreads)
    {
        this.ioThreads = ioThreads;
        return this;
    }

    public int writeBufferHigh()
    {
        return writeBufferHigh;
    }

    public int writeBufferLow()
    {
        return writeBufferLow;
    }

    /** Per-client socket back-pressure: not writable above {@code high} bytes queued, writable again below {@code low}. */
    public GatewayContext writeBuffer(final int low, final int high)
    {
        this.writeBufferLow = low;
        this.writeBufferHigh = high;
        return this;
    }

    /** The tokens file; null: no authentication (and loopback only unless bound explicitly). */
    public Path tokens()
    {
        return tokens;
    }

    public GatewayContext tokens(final Path tokens)
    {
        this.tokens = tokens;
        return this;
    }

    Entitlements entitlements()
    {
        return entitlements;
    }

    /**
     * The journal on this host: resumes from before the gateway's in-memory history read it, and the
     * subscriber recovers from it. Null: resumes are served from the history only.
     */
    public Path journal()
    {
        return journal;
    }

    public GatewayContext journal(final Path journal)
    {
        this.journal = journal;
        return this;
    }
}
