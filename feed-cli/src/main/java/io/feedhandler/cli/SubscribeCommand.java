package io.feedhandler.cli;

import io.feedhandler.codecs.Prices;
import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.journal.JournalException;
import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.codecs.Quote;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.LostPolicy;
import io.feedhandler.subscriber.LoggingStatusListener;
import io.feedhandler.subscriber.QuoteListener;
import io.feedhandler.subscriber.SlowConsumerPolicy;
import io.feedhandler.subscriber.Subscriber;
import io.feedhandler.subscriber.SubscriberConfiguration;
import io.feedhandler.subscriber.SubscriberContext;
import io.feedhandler.transport.FeedChannels;
import io.feedhandler.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "subscribe", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Subscribe to the live stream: check sequences, keep top of book, measure one-way latency.",
        "Ends after --count ticks, after --duration, or on SIGINT/SIGTERM, and prints a JSON summary",
        "line last on stdout."})
final class SubscribeCommand implements Callable<Integer>, StopsOnSignal
{
    /** Printed on stderr once the subscription is in place, for scripts that start a publisher after it. */
    static final String READY = "subscriber ready";

    @Mixin
    TransportOptions transport;

    @Option(names = "--name", paramLabel = "NAME", description = "Subscriber name, shown in its summary.")
    String name = "";

    @Mixin
    RunLimits limits;

    @Option(names = "--print", description = "Print every delivered quote on stdout (slow; for looking, not for speed).")
    boolean print;

    @Option(names = "--from-seq", paramLabel = "SEQ",
        description = "Start at this sequence, pulling the history from the journal, then merge into live " +
            "(default: live, or after the stored offset of a named subscriber).")
    long fromSeq;

    @Option(names = "--snapshot",
        description = "Start from a snapshot: the latest quote of every instrument as of some sequence S (from the " +
            "replay server's book, or read from --journal), then every tick after S, merged into live. Not with " +
            "--from-seq; a named subscriber with a stored offset resumes after it instead.")
    boolean snapshot;

    @Option(names = "--on-lost", paramLabel = "POLICY",
        description = "When the journal no longer holds where this subscriber must start (retention): count the " +
            "range lost and go on from the first retained sequence, or start again from a snapshot; count or " +
            "snapshot (default: ${DEFAULT-VALUE}).")
    String onLost = SubscriberConfiguration.ON_LOST.cliName();

    @Option(names = "--slow-consumer", paramLabel = "POLICY",
        description = "When the listener cannot keep up: 'recover' delivers every tick, pulling what the network " +
            "buffers let go from the journal; 'conflate' delivers, while behind, only the latest quote of each " +
            "instrument and counts the superseded ticks as conflated, never asking for them (default: ${DEFAULT-VALUE}).")
    String slowConsumer = SubscriberConfiguration.SLOW_CONSUMER.cliName();

    @Option(names = "--conflate-lag", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = SubscriberConfiguration.CONFLATE_LAG,
        description = "With --slow-consumer conflate: a live tick this late (after it was due) starts conflation " +
            "(default: ${DEFAULT-VALUE}).")
    long conflateLagNanos;

    @Option(names = "--offsets", paramLabel = "DIR",
        description = "Where a named subscriber stores its offset (default: <journal>/subscribers, or " +
            "feed-journal/subscribers).")
    Path offsets;

    // Not JournalOptions: here the journal is optional (none: recover through the replay server) and
    // only read, to recover from on this host.
    @Option(names = "--journal", paramLabel = "DIR",
        description = "The journal, when it is on this host: recover by reading it directly instead of asking the " +
            "replay server.")
    Path journal;

    @Mixin
    ReplayChannelOptions replay;

    @Option(names = "--replay-response-channel", paramLabel = "URI",
        description = "Where this subscriber receives replays; port 0 = any free port (default: this host's " +
            "address on its route to the replay server, any free port, with the options of " +
            ReplayConfiguration.RESPONSE_CHANNEL + ").")
    String replayResponseChannel;

    @Option(names = "--replay-response-stream", paramLabel = "ID",
        description = "Stream id for replays to this subscriber (default: ${DEFAULT-VALUE}).")
    int replayResponseStream = ReplayConfiguration.RESPONSE_STREAM_ID;

    @Option(names = "--max-instruments", paramLabel = "N",
        description = "Most distinct instruments the top of book and the instrument definitions track; beyond it " +
            "quotes are delivered, not tracked, and new definitions are ignored (default: ${DEFAULT-VALUE}).")
    int maxInstruments = SubscriberConfiguration.MAX_INSTRUMENTS;

    @Option(names = "--no-recovery", description = "Only count gaps; do not pull what is missing.")
    boolean noRecovery;

    @Option(names = "--recovery-buffer", paramLabel = "N",
        description = "Live ticks held while recovering; beyond it the oldest are replayed instead (default: ${DEFAULT-VALUE}).")
    int recoveryBuffer = SubscriberConfiguration.RECOVERY_BUFFER;

    @Option(names = "--stale-timeout", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = SubscriberConfiguration.STALE_TIMEOUT,
        description = "Rejoin live when it has been silent this long (default: ${DEFAULT-VALUE}).")
    long staleTimeoutNanos;

    @Option(names = "--latency-log", paramLabel = "FILE",
        description = "Write delivery latency over time to this HdrHistogram interval log (.hlog), readable by " +
            "HdrHistogram's tools and 'feed perf --plot'.")
    Path latencyLog;

    @Option(names = "--latency-log-interval", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = SubscriberConfiguration.LATENCY_LOG_INTERVAL,
        description = "One histogram per this much time in the latency log (default: ${DEFAULT-VALUE}).")
    long latencyLogIntervalNanos;

    @Option(names = "--warmup", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = SubscriberConfiguration.WARMUP,
        description = "Live latency in this long after the first live tick is left out of the summary's " +
            "steadyLatencyNs (latencyNs keeps every live tick) (default: ${DEFAULT-VALUE}).")
    long warmupNanos;

    @Option(names = "--listener-delay", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "0",
        description = "Spend this long in the listener per tick: simulates a slow consumer, e.g. 20us " +
            "(default: ${DEFAULT-VALUE}).")
    long listenerDelayNanos;

    @Mixin
    ConfigOptions config;

    public Integer call() throws Exception
    {
        // Not a static field: picocli builds every command for any command line, and logback takes
        // about half a second of CPU to start, which --help and --print-config need not pay.
        final Logger log = LoggerFactory.getLogger(SubscribeCommand.class);
        final SubscriberContext context = new SubscriberContext()
            .transport(transport.context())
            .name(name)
            .count(limits.count)
            .durationNanos(limits.durationNanos)
            .fromSequence(fromSeq)
            .snapshot(snapshot)
            .onLost(LostPolicy.parse(onLost))
            .slowConsumer(SlowConsumerPolicy.parse(slowConsumer))
            .conflateLagNanos(conflateLagNanos)
            .offsetsDirectory(offsets)
            .journalDirectory(journal)
            .replayChannel(replay.replayChannel)
            .replayStreamId(replay.replayStreamId)
            .replayResponseChannel(replayResponseChannel)
            .replayResponseStreamId(replayResponseStream)
            .recovery(!noRecovery)
            .maxInstruments(maxInstruments)
            .recoveryBufferCapacity(recoveryBuffer)
            .staleTimeoutNanos(staleTimeoutNanos)
            .latencyLog(latencyLog)
            .latencyLogIntervalNanos(latencyLogIntervalNanos)
            .warmupNanos(warmupNanos);
        if (listenerDelayNanos < 0)
        {
            throw new UsageError("bad --listener-delay: must be >= 0");
        }
        if (!noRecovery && journal == null)
        {
            final String shortfall = FeedChannels.receiveBufferShortfall("--replay-response-channel",
                replayResponseChannel != null ? replayResponseChannel : ReplayConfiguration.RESPONSE_CHANNEL,
                Path.of("/proc/sys/net/core/rmem_max"));
            if (shortfall != null)
            {
                log.warn(shortfall);
            }
        }
        final QuoteListener listener = listener();
        final FeedStatusListener status = new LoggingStatusListener(log, staleTimeoutNanos);

        return new RunLoop(log, config, limits.statusIntervalNanos).run(() ->
        {
            final Subscriber subscriber = launch(context, listener, status);
            return new RunLoop.Run("subscriber", subscriber, subscriber::stop, subscriber::awaitCompletion,
                subscriber::progress, subscriber::failure)
            {
                String startLine()
                {
                    final TransportContext live = context.transport();
                    return READY + " '" + name + "' on " + live.channel() + " stream " + live.streamId() + " profile " +
                        live.profile().cliName() + " idle " + live.idleStrategy() +
                        (live.cpu() >= 0 ? " cpu " + live.cpu() : "") + recoveryLine();
                }

                private String recoveryLine()
                {
                    if (noRecovery)
                    {
                        return "; no recovery";
                    }
                    return journal != null ? "; recovers from journal " + journal :
                        "; recovers from " + context.replayChannel() + ", answered at " +
                        io.aeron.ChannelUri.parse(context.replayResponseChannel()).get("endpoint") + " (" +
                        context.replayResponseHow() + ")";
                }

                SummaryLine summary()
                {
                    return subscriber.stats().toSummaryLine();
                }
            };
        }, () -> new SummaryLine() // stopped before it started: nothing delivered
            .add("role", "subscriber")
            .add("name", name == null ? "" : name)
            .add("delivered", 0)
            .add("firstSeq", 0)
            .add("lastSeq", 0)
            .add("gapsDetected", 0)
            .add("recovered", 0)
            .add("duplicatesDropped", 0)
            .add("malformed", 0));
    }

    /** --print and --listener-delay: a snapshot's quotes are printed with an S in front. */
    private QuoteListener listener()
    {
        final boolean print = this.print;
        final long delay = listenerDelayNanos;
        return new QuoteListener()
        {
            public void onQuote(final Quote quote)
            {
                take(quote, "");
            }

            public void onSnapshotQuote(final Quote quote)
            {
                take(quote, "S ");
            }

            private void take(final Quote quote, final String kind)
            {
                if (print)
                {
                    System.out.println(kind + quote.sequence() + " " + quote.instrumentId() + " " +
                        Prices.format(quote.bidPrice()) + "x" + quote.bidSize() + " " + Prices.format(quote.askPrice()) +
                        "x" + quote.askSize());
                }
                if (delay > 0)
                {
                    final long until = System.nanoTime() + delay;
                    while (System.nanoTime() < until)
                    {
                        Thread.onSpinWait();
                    }
                }
            }
        };
    }

    private static Subscriber launch(
        final SubscriberContext context, final QuoteListener listener, final FeedStatusListener status)
    {
        try
        {
            return Subscriber.launch(context, listener, status);
        }
        catch (final JournalException ex)
        {
            throw new UsageError(ex.getMessage());
        }
    }
}
