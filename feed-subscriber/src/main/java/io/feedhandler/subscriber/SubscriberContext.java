package io.feedhandler.subscriber;

import io.feedhandler.replay.ReplayChannels;
import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.journal.InstrumentFilter;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.replay.client.ResponseAddress;
import io.feedhandler.journal.JournalConfiguration;
import io.feedhandler.journal.SubscriberOffset;
import io.feedhandler.transport.FeedChannels;
import io.feedhandler.transport.OptionChecks;
import io.feedhandler.transport.TransportContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Everything a subscriber is configured with. Fluent setters; {@link #conclude()} checks every value
 * and throws {@link IllegalArgumentException} naming the first bad one.
 */
public final class SubscriberContext
{
    private TransportContext transport = new TransportContext();
    private String name = "";
    private long count;
    private long durationNanos;
    private boolean untilPublisherEnds;
    private int fragmentLimit = SubscriberConfiguration.FRAGMENT_LIMIT;
    private int maxInstruments = SubscriberConfiguration.MAX_INSTRUMENTS;
    private boolean recovery = true;
    private String replayChannel = ReplayConfiguration.CHANNEL;
    /** The servers {@link #replayChannel} names, in order; set by {@link #conclude()}. */
    private List<String> replayChannels;
    private long replayServerTimeoutNanos = SubscriberConfiguration.REPLAY_SERVER_TIMEOUT_NANOS;
    private long replayConnectWaitNanos = SubscriberConfiguration.REPLAY_CONNECT_WAIT_NANOS;
    private long recoveryRetryMaxNanos = SubscriberConfiguration.RECOVERY_RETRY_MAX_NANOS;
    private SplittableRandom random;
    private int replayStreamId = ReplayConfiguration.STREAM_ID;
    /** Null until set or derived ({@link ResponseAddress}) by {@link #conclude()}. */
    private String replayResponseChannel;
    private String replayResponseHow = "given";
    private int replayResponseStreamId = ReplayConfiguration.RESPONSE_STREAM_ID;
    private Path journalDirectory;
    private Path offsetsDirectory;
    private long fromSequence;
    private int recoveryBufferCapacity = SubscriberConfiguration.RECOVERY_BUFFER;
    private long staleTimeoutNanos = SubscriberConfiguration.STALE_TIMEOUT_NANOS;
    private long lineWaitNanos = SubscriberConfiguration.LINE_WAIT_NANOS;
    private Path latencyLog;
    private long latencyLogIntervalNanos = SubscriberConfiguration.LATENCY_LOG_INTERVAL_NANOS;
    private long warmupNanos = SubscriberConfiguration.WARMUP_NANOS;
    private long recoveryTimeoutNanos = SubscriberConfiguration.RECOVERY_TIMEOUT_NANOS;
    private boolean snapshot;
    private LostPolicy onLost = SubscriberConfiguration.ON_LOST;
    private SlowConsumerPolicy slowConsumer = SubscriberConfiguration.SLOW_CONSUMER;
    private long conflateLagNanos = SubscriberConfiguration.CONFLATE_LAG_NANOS;
    private List<String> instruments;
    private InstrumentFilter instrumentFilter;
    private long expectedEpoch;
    private boolean startAtFirstRetained;
    private boolean lostIsFatal;

    public SubscriberContext conclude()
    {
        transport.validate(TransportContext.Direction.SUBSCRIBE);
        OptionChecks.atLeast("--count", count, 0);
        OptionChecks.notNegativeNanos("--duration", durationNanos);
        OptionChecks.atLeast("fragment limit", fragmentLimit, 1);
        OptionChecks.atLeast("--max-instruments", maxInstruments, 1);
        if (name == null || !name.matches("[A-Za-z0-9._-]{0,64}"))
        {
            throw new IllegalArgumentException(
                "bad --name '" + name + "': use up to 64 letters, digits, '.', '_' or '-'");
        }
        replayChannels = ReplayChannels.parse("--replay-channel", replayChannel);
        FeedChannels.validateStreamId("--replay-stream", replayStreamId);
        OptionChecks.positiveNanos("--replay-server-timeout", replayServerTimeoutNanos);
        OptionChecks.notNegativeNanos("--replay-connect-wait", replayConnectWaitNanos);
        if (recoveryRetryMaxNanos < SubscriberConfiguration.RECOVERY_RETRY_NANOS)
        {
            throw new IllegalArgumentException("bad recovery retry maximum " + recoveryRetryMaxNanos + "ns: must be " +
                "at least " + SubscriberConfiguration.RECOVERY_RETRY);
        }
        if (replayResponseChannel == null)
        {
            // One response channel for every server, on the route to the first (R9: a server reached another
            // way needs --replay-response-channel).
            final ResponseAddress derived = ResponseAddress.derive(replayChannels.get(0), transport.channel());
            replayResponseChannel = derived.channel();
            replayResponseHow = derived.how();
        }
        FeedChannels.validate("--replay-response-channel", replayResponseChannel);
        FeedChannels.validateStreamId("--replay-response-stream", replayResponseStreamId);
        if (fromSequence < 0)
        {
            throw new IllegalArgumentException("bad --from-seq " + fromSequence + ": sequences start at 1");
        }
        if (snapshot && fromSequence > 0)
        {
            throw new IllegalArgumentException("bad --snapshot with --from-seq " + fromSequence +
                ": a subscriber starts from a snapshot or from a sequence, not both");
        }
        concludeInstruments();
        if (snapshot && !recovery)
        {
            throw new IllegalArgumentException("bad --snapshot with --no-recovery: the snapshot comes through " +
                "recovery (the replay server, or --journal)");
        }
        if (onLost == null)
        {
            throw new IllegalArgumentException("bad --on-lost: none given");
        }
        if (onLost == LostPolicy.SNAPSHOT && !recovery)
        {
            throw new IllegalArgumentException("bad --on-lost snapshot with --no-recovery: the snapshot comes " +
                "through recovery (the replay server, or --journal)");
        }
        if (slowConsumer == null)
        {
            throw new IllegalArgumentException("bad --slow-consumer: none given");
        }
        if (slowConsumer == SlowConsumerPolicy.CONFLATE && !recovery)
        {
            throw new IllegalArgumentException("bad --slow-consumer conflate with --no-recovery: conflation keeps the " +
                "book exact only with recovery to bring what the network lost");
        }
        OptionChecks.positiveNanos("--conflate-lag", conflateLagNanos);
        if (recoveryBufferCapacity < 1)
        {
            throw new IllegalArgumentException(
                "bad --recovery-buffer " + recoveryBufferCapacity + ": must be at least 1");
        }
        OptionChecks.positiveNanos("--stale-timeout", staleTimeoutNanos);
        OptionChecks.positiveNanos("--line-wait", lineWaitNanos);
        if (latencyLogIntervalNanos < 1_000_000)
        {
            throw new IllegalArgumentException("bad --latency-log-interval " + latencyLogIntervalNanos +
                "ns: must be at least 1ms");
        }
        if (warmupNanos < 0)
        {
            throw new IllegalArgumentException("bad --warmup " + warmupNanos + "ns: must be >= 0");
        }
        if (latencyLog != null && (latencyLog.getParent() != null && !Files.isDirectory(latencyLog.getParent()) ||
            Files.isDirectory(latencyLog)))
        {
            throw new IllegalArgumentException("bad --latency-log '" + latencyLog + "': not a file in an existing directory");
        }
        OptionChecks.positiveNanos("recovery timeout", recoveryTimeoutNanos);
        // A journal that does not exist yet is awaited (its publisher may start later); anything else is a mistake.
        if (journalDirectory != null && Files.exists(journalDirectory) && !Files.isDirectory(journalDirectory))
        {
            throw new IllegalArgumentException("bad --journal '" + journalDirectory + "': not a directory");
        }
        if (offsetsDirectory == null)
        {
            offsetsDirectory = journalDirectory != null ? journalDirectory.resolve(SubscriberOffset.DEFAULT_FOLDER) :
                SubscriberConfiguration.offsetsDirectory(System.getenv(), System.getProperty("user.home"));
        }
        return this;
    }

    /**
     * Start from a snapshot: the latest quote of every instrument as of some sequence S, then every tick
     * after S, merged into live. Where there is no other starting point: a named subscriber with a stored
     * offset resumes after it.
     */
    public boolean snapshot()
    {
        return snapshot;
    }

    public SubscriberContext snapshot(final boolean snapshot)
    {
        this.snapshot = snapshot;
        return this;
    }

    /** What to do when the journal no longer holds where the subscriber must start. */
    public LostPolicy onLost()
    {
        return onLost;
    }

    public SubscriberContext onLost(final LostPolicy onLost)
    {
        this.onLost = onLost;
        return this;
    }

    /** What to do when the listener cannot keep up with the feed. */
    public SlowConsumerPolicy slowConsumer()
    {
        return slowConsumer;
    }

    public SubscriberContext slowConsumer(final SlowConsumerPolicy slowConsumer)
    {
        this.slowConsumer = slowConsumer;
        return this;
    }

    /** With conflation: how late a live tick may be delivered before conflation begins. */
    public long conflateLagNanos()
    {
        return conflateLagNanos;
    }

    public SubscriberContext conflateLagNanos(final long conflateLagNanos)
    {
        this.conflateLagNanos = conflateLagNanos;
        return this;
    }

    /** The live stream, the media driver, the hot-path thread and the clocks. */
    public TransportContext transport()
    {
        return transport;
    }

    public SubscriberContext transport(final TransportContext transport)
    {
        this.transport = transport;
        return this;
    }

    /** Set what the transport is configured with, in the same chain: {@code .transport(t -> t.channel(...))}. */
    public SubscriberContext transport(final Consumer<TransportContext> settings)
    {
        settings.accept(transport);
        return this;
    }

    /** Whether gaps are recovered from the journal (true), or only counted. */
    public boolean recovery()
    {
        return recovery;
    }

    public SubscriberContext recovery(final boolean recovery)
    {
        this.recovery = recovery;
        return this;
    }

    /**
     * The replay server's control channel, where recovery requests go: one, or several separated by
     * commas, tried in order ({@link #replayChannels()}).
     */
    public String replayChannel()
    {
        return replayChannel;
    }

    /** The servers {@link #replayChannel()} names, in order; null until {@link #conclude()}. */
    public List<String> replayChannels()
    {
        return replayChannels;
    }

    /** A replay server silent this long in the middle of a pull is left for the next, or asked again. */
    public long replayServerTimeoutNanos()
    {
        return replayServerTimeoutNanos;
    }

    public SubscriberContext replayServerTimeoutNanos(final long replayServerTimeoutNanos)
    {
        this.replayServerTimeoutNanos = replayServerTimeoutNanos;
        return this;
    }

    /**
     * After start, or after a time with no replay server reachable: how long a pull waits for a server
     * earlier in {@link #replayChannels()} to connect before it asks a later one.
     */
    public long replayConnectWaitNanos()
    {
        return replayConnectWaitNanos;
    }

    public SubscriberContext replayConnectWaitNanos(final long replayConnectWaitNanos)
    {
        this.replayConnectWaitNanos = replayConnectWaitNanos;
        return this;
    }

    /** The longest wait between retries of a pull after failures in a row. */
    public long recoveryRetryMaxNanos()
    {
        return recoveryRetryMaxNanos;
    }

    public SubscriberContext recoveryRetryMaxNanos(final long recoveryRetryMaxNanos)
    {
        this.recoveryRetryMaxNanos = recoveryRetryMaxNanos;
        return this;
    }

    /** Where retry jitter comes from; null (the default) for a fresh seed. Tests give a seeded one. */
    public SplittableRandom random()
    {
        return random;
    }

    public SubscriberContext random(final SplittableRandom random)
    {
        this.random = random;
        return this;
    }

    public SubscriberContext replayChannel(final String replayChannel)
    {
        this.replayChannel = replayChannel;
        return this;
    }

    public int replayStreamId()
    {
        return replayStreamId;
    }

    public SubscriberContext replayStreamId(final int replayStreamId)
    {
        this.replayStreamId = replayStreamId;
        return this;
    }

    /**
     * Where this subscriber listens for replayed ticks; port 0 lets the driver pick one. Null (the
     * default) until {@link #conclude()}: then this host's address on the route to the replay server.
     */
    public String replayResponseChannel()
    {
        return replayResponseChannel;
    }

    /** @param replayResponseChannel null to derive it from the replay channel ({@link ResponseAddress}). */
    public SubscriberContext replayResponseChannel(final String replayResponseChannel)
    {
        this.replayResponseChannel = replayResponseChannel;
        this.replayResponseHow = "given";
        return this;
    }

    /** How the response channel was chosen: "given", or how {@link ResponseAddress} derived it. */
    public String replayResponseHow()
    {
        return replayResponseHow;
    }

    public int replayResponseStreamId()
    {
        return replayResponseStreamId;
    }

    public SubscriberContext replayResponseStreamId(final int replayResponseStreamId)
    {
        this.replayResponseStreamId = replayResponseStreamId;
        return this;
    }

    /**
     * The journal, when it is on this host: recovery then reads it directly instead of asking a server. It
     * may not exist yet (its publisher not started): recovery waits for it.
     */
    public Path journalDirectory()
    {
        return journalDirectory;
    }

    public SubscriberContext journalDirectory(final Path journalDirectory)
    {
        this.journalDirectory = journalDirectory;
        return this;
    }

    /**
     * Where a durable (named) subscriber keeps its offset; default: the journal's subscribers/ folder with a
     * journal directory, else the user's state directory ({@link SubscriberConfiguration#offsetsDirectory}).
     */
    public Path offsetsDirectory()
    {
        return offsetsDirectory;
    }

    public SubscriberContext offsetsDirectory(final Path offsetsDirectory)
    {
        this.offsetsDirectory = offsetsDirectory;
        return this;
    }

    /** Start from this sequence (pulling the history) instead of at live; 0 for live or the stored offset. */
    public long fromSequence()
    {
        return fromSequence;
    }

    public SubscriberContext fromSequence(final long fromSequence)
    {
        this.fromSequence = fromSequence;
        return this;
    }

    /** Most live ticks held while recovering; beyond it the oldest are dropped and replayed instead. */
    public int recoveryBufferCapacity()
    {
        return recoveryBufferCapacity;
    }

    public SubscriberContext recoveryBufferCapacity(final int recoveryBufferCapacity)
    {
        this.recoveryBufferCapacity = recoveryBufferCapacity;
        return this;
    }

    /** Live silent this long (no tick, no heartbeat) after it has spoken: rejoin it. */
    public long staleTimeoutNanos()
    {
        return staleTimeoutNanos;
    }

    public SubscriberContext staleTimeoutNanos(final long staleTimeoutNanos)
    {
        this.staleTimeoutNanos = staleTimeoutNanos;
        return this;
    }

    /**
     * With a B line: how long ticks past a hole in one line wait for the other line to fill it before
     * the hole is a gap of the feed (and recovered).
     */
    public long lineWaitNanos()
    {
        return lineWaitNanos;
    }

    public SubscriberContext lineWaitNanos(final long lineWaitNanos)
    {
        this.lineWaitNanos = lineWaitNanos;
        return this;
    }

    /** A recovery with no progress for this long is asked for again. */
    public long recoveryTimeoutNanos()
    {
        return recoveryTimeoutNanos;
    }

    public SubscriberContext recoveryTimeoutNanos(final long recoveryTimeoutNanos)
    {
        this.recoveryTimeoutNanos = recoveryTimeoutNanos;
        return this;
    }







    /**
     * The subscriber's name, shown in its summary. A named subscriber is durable: its last delivered
     * sequence is stored, and a restart with the same name resumes after it. Empty: anonymous.
     */
    public String name()
    {
        return name;
    }

    public SubscriberContext name(final String name)
    {
        this.name = name;
        return this;
    }

    /** Stop after delivering this many ticks; 0 for no limit. */
    public long count()
    {
        return count;
    }

    public SubscriberContext count(final long count)
    {
        this.count = count;
        return this;
    }

    /** Stop after this long; 0 for no limit. */
    public long durationNanos()
    {
        return durationNanos;
    }

    public SubscriberContext durationNanos(final long durationNanos)
    {
        this.durationNanos = durationNanos;
        return this;
    }

    /**
     * Also stop once the publisher has ended its run and everything up to its last sequence has been
     * delivered (or, conflating, superseded): for a consumer that cannot know a count to stop at.
     */
    public boolean untilPublisherEnds()
    {
        return untilPublisherEnds;
    }

    public SubscriberContext untilPublisherEnds(final boolean untilPublisherEnds)
    {
        this.untilPublisherEnds = untilPublisherEnds;
        return this;
    }

    /** Most messages taken from the stream in one duty cycle. */
    public int fragmentLimit()
    {
        return fragmentLimit;
    }

    public SubscriberContext fragmentLimit(final int fragmentLimit)
    {
        this.fragmentLimit = fragmentLimit;
        return this;
    }

    /** Most distinct instruments the top of book tracks. */
    public int maxInstruments()
    {
        return maxInstruments;
    }

    public SubscriberContext maxInstruments(final int maxInstruments)
    {
        this.maxInstruments = maxInstruments;
        return this;
    }







    /**
     * An instrument filter is checked whole: an empty list, a symbol no definition can carry and, when the
     * journal is on this host, a symbol it never defined, are refused, naming them.
     */
    private void concludeInstruments()
    {
        instrumentFilter = null;
        if (instruments == null)
        {
            return;
        }
        instrumentFilter = InstrumentFilter.parse(instruments);
        if (journalDirectory != null && Files.isDirectory(journalDirectory) &&
            Files.exists(journalDirectory.resolve(InstrumentHistory.FILE_NAME)))
        {
            final List<String> unknown = instrumentFilter.neverNamed(InstrumentHistory.read(journalDirectory));
            if (!unknown.isEmpty())
            {
                throw new IllegalArgumentException("bad --instrument '" + String.join(",", unknown) + "': no instrument " +
                    "of the journal " + journalDirectory + " was ever called that");
            }
        }
    }

    /**
     * Deliver only these instruments (symbols or numeric ids): each tick judged under the definition it
     * was published with; recovery asks the replay server for these only. Null (the default) for all.
     */
    public SubscriberContext instruments(final List<String> instruments)
    {
        this.instruments = instruments == null ? null : List.copyOf(instruments);
        return this;
    }

    public List<String> instruments()
    {
        return instruments;
    }

    /** The filter {@link #instruments(List)} names, once concluded; null for every instrument. */
    public InstrumentFilter instrumentFilter()
    {
        return instrumentFilter;
    }

    /** HdrHistogram interval log ({@code .hlog}) of delivery latency; null for none. */
    public Path latencyLog()
    {
        return latencyLog;
    }

    public SubscriberContext latencyLog(final Path latencyLog)
    {
        this.latencyLog = latencyLog;
        return this;
    }

    public long latencyLogIntervalNanos()
    {
        return latencyLogIntervalNanos;
    }

    public SubscriberContext latencyLogIntervalNanos(final long latencyLogIntervalNanos)
    {
        this.latencyLogIntervalNanos = latencyLogIntervalNanos;
        return this;
    }

    /** How long after the first live tick its latency is left out of the steady-state figures. */
    public long warmupNanos()
    {
        return warmupNanos;
    }

    public SubscriberContext warmupNanos(final long warmupNanos)
    {
        this.warmupNanos = warmupNanos;
        return this;
    }

    /** The epoch of the only stream to follow (a replica's journal names it); 0 to follow the first heard. */
    public long expectedEpoch()
    {
        return expectedEpoch;
    }

    /**
     * Follow only the stream of this epoch: another heard first refuses the run (exit 2), as a stored
     * offset of another stream does.
     */
    public SubscriberContext expectedEpoch(final long expectedEpoch)
    {
        this.expectedEpoch = expectedEpoch;
        return this;
    }

    /** Whether a start below the journal's retention moves to its first retained sequence without counting lost. */
    public boolean startAtFirstRetained()
    {
        return startAtFirstRetained;
    }

    /**
     * Before anything is delivered, a starting sequence the journal no longer holds is no loss: start at
     * its first retained sequence (a new replica copies what its upstream still has).
     */
    public SubscriberContext startAtFirstRetained(final boolean startAtFirstRetained)
    {
        this.startAtFirstRetained = startAtFirstRetained;
        return this;
    }

    /** Whether a lost range ends the run. */
    public boolean lostIsFatal()
    {
        return lostIsFatal;
    }

    /**
     * A range the journal no longer holds (below retention) ends the run instead of being counted lost
     * ({@link SubscriberAgent#failure()}): a replica's journal must never have a hole its upstream lacks.
     */
    public SubscriberContext lostIsFatal(final boolean lostIsFatal)
    {
        this.lostIsFatal = lostIsFatal;
        return this;
    }
}
