package io.feedhandler.cli;

import io.feedhandler.codecs.Instrument;
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
import io.feedhandler.subscriber.SubscriberStats;
import io.feedhandler.transport.FeedChannels;
import io.feedhandler.transport.TransportContext;
import org.agrona.collections.Int2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "subscribe", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Subscribe to the live stream: check sequences, keep top of book, measure one-way latency.",
        "Ends after --count ticks, after --duration, or on SIGINT/SIGTERM, and prints a JSON " +
            "summary line last on stdout. --print shows each quote as SEQUENCE PUBLISH-TIME SYMBOL " +
            "BIDSIZE @ BID / ASK x ASKSIZE."})
final class SubscribeCommand implements Callable<Integer>, StopsOnSignal
{
    /** Printed on stderr once the subscription is in place, for scripts that start a publisher after it. */
    static final String READY = "subscriber ready";

    @Mixin
    TransportOptions transport;

    @Option(names = "--name", paramLabel = "NAME",
        description = "Makes this subscriber durable: it stores its offset under this name (see --offsets), and a " +
            "restart with the same name resumes after it, missing nothing. Shown in its summary.")
    String name = "";

    @Mixin
    RunLimits limits;

    @Option(names = "--print", description = "Print every delivered quote on stdout (slow; for looking, not for speed).")
    boolean print;

    @Option(names = "--from-seq", paramLabel = "SEQ",
        description = "Start at this sequence, pulling the history from the journal, then merge into live " +
            "(default: live, or after the stored offset of a named subscriber).")
    long fromSeq;

    @Option(names = "--until-publisher-ends",
        description = "Also end once the publisher has ended its run and every tick up to its last sequence has been " +
            "delivered (or, with --slow-consumer conflate, superseded): for a consumer that cannot know a --count.")
    boolean untilPublisherEnds;

    @Option(names = "--snapshot",
        description = "Start from a snapshot: the latest quote of every instrument as of some sequence S (from the " +
            "replay server's book, or read from --journal), then every tick after S, merged into live. Not with " +
            "--from-seq; a named subscriber with a stored offset resumes after it instead.")
    boolean snapshot;

    @Option(names = "--on-lost", paramLabel = "POLICY", completionCandidates = Choices.LostPolicies.class,
        description = "When the journal no longer holds where this subscriber must start (retention), one of " +
            "${COMPLETION-CANDIDATES}: count the range lost and go on from the first retained sequence, or start " +
            "again from a snapshot (default: ${DEFAULT-VALUE}).")
    String onLost = SubscriberConfiguration.ON_LOST.cliName();

    @Option(names = "--slow-consumer", paramLabel = "POLICY", completionCandidates = Choices.SlowConsumerPolicies.class,
        description = "When the listener cannot keep up, one of ${COMPLETION-CANDIDATES}: 'recover' delivers every tick, pulling what the network " +
            "buffers let go from the journal; 'conflate' delivers, while behind, only the latest quote of each " +
            "instrument and counts the superseded ticks as conflated, never asking for them (default: ${DEFAULT-VALUE}).")
    String slowConsumer = SubscriberConfiguration.SLOW_CONSUMER.cliName();

    @Option(names = "--conflate-lag", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = SubscriberConfiguration.CONFLATE_LAG,
        description = "With --slow-consumer conflate: a live tick this late (after it was due) starts conflation " +
            "(default: ${DEFAULT-VALUE}).")
    long conflateLagNanos;

    @Option(names = "--instrument", paramLabel = "SYMBOL|ID", split = ",",
        description = "Deliver only these instruments (symbols or ids; repeat or separate with commas), each tick " +
            "judged under the definition it was published with; the digest and book are over what is delivered, and " +
            "recovery asks the replay server for these only. With --journal, a symbol the journal never defined is " +
            "refused; otherwise a symbol not defined (yet) is warned about once and counted (undefinedInstruments).")
    List<String> instruments;

    @Option(names = "--offsets", paramLabel = "DIR",
        description = "Where a named subscriber stores its offset (default: <journal>/subscribers with --journal, " +
            "else the user's state directory, $XDG_STATE_HOME/feed/subscribers or ~/.local/state/feed/subscribers; " +
            "never the working directory).")
    Path offsets;

    @Mixin
    RecoveryOptions recovery;

    @Option(names = "--max-instruments", paramLabel = "N",
        description = "Most distinct instruments the top of book and the instrument definitions track; beyond it " +
            "quotes are delivered, not tracked, and new definitions are ignored (default: ${DEFAULT-VALUE}).")
    int maxInstruments = SubscriberConfiguration.MAX_INSTRUMENTS;

    @Option(names = "--no-recovery", description = "Only count gaps; do not pull what is missing.")
    boolean noRecovery;

    @Option(names = "--recovery-buffer", paramLabel = "N",
        description = "Live ticks held while recovering; beyond it the oldest are replayed instead (default: ${DEFAULT-VALUE}).")
    int recoveryBuffer = SubscriberConfiguration.RECOVERY_BUFFER;

    @Option(names = "--latency-log", paramLabel = "FILE",
        description = "Write delivery latency over time to this HdrHistogram interval log (.hlog), readable by " +
            "HdrHistogram's tools and 'feed perf --plot'.")
    Path latencyLog;

    @Option(names = "--latency-log-interval", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = SubscriberConfiguration.LATENCY_LOG_INTERVAL,
        description = "One histogram per this much time in the latency log (default: ${DEFAULT-VALUE}).")
    long latencyLogIntervalNanos;

    @Option(names = "--connect-timeout", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = SubscriberConfiguration.CONNECT_TIMEOUT,
        description = "Warn, once, when nothing at all has come from a publisher after this long: no tick, no " +
            "heartbeat (a wrong channel, port, stream or interface, or no publisher yet); 0 = never " +
            "(default: ${DEFAULT-VALUE}).")
    long connectTimeoutNanos;

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
            .untilPublisherEnds(untilPublisherEnds)
            .fromSequence(fromSeq)
            .snapshot(snapshot)
            .onLost(LostPolicy.parse(onLost))
            .slowConsumer(SlowConsumerPolicy.parse(slowConsumer))
            .conflateLagNanos(conflateLagNanos)
            .instruments(instruments)
            .offsetsDirectory(offsets)
            .recovery(!noRecovery)
            .maxInstruments(maxInstruments)
            .recoveryBufferCapacity(recoveryBuffer)
            .latencyLog(latencyLog)
            .latencyLogIntervalNanos(latencyLogIntervalNanos)
            .warmupNanos(warmupNanos);
        recovery.applyTo(context);
        if (listenerDelayNanos < 0)
        {
            throw new UsageError("bad --listener-delay: must be >= 0");
        }
        if (!noRecovery && recovery.journal == null)
        {
            final String shortfall = FeedChannels.receiveBufferShortfall("--replay-response-channel",
                recovery.upstream.replayResponseChannel != null ? recovery.upstream.replayResponseChannel :
                    ReplayConfiguration.RESPONSE_CHANNEL, Path.of("/proc/sys/net/core/rmem_max"));
            if (shortfall != null)
            {
                log.warn(shortfall);
            }
        }
        if (recovery.journal != null && !Files.isDirectory(recovery.journal))
        {
            log.info("journal {} does not exist yet: live ticks are delivered meanwhile, recovery reads it once a " +
                "publisher has created it", recovery.journal.toAbsolutePath());
        }
        final Int2ObjectHashMap<String> symbols = new Int2ObjectHashMap<>();
        final QuoteListener listener = listener(symbols);
        final FeedStatusListener status = new LoggingStatusListener(log, recovery.upstream.staleTimeoutNanos)
        {
            public void onInstrument(final Instrument instrument)
            {
                super.onInstrument(instrument);
                symbols.put(instrument.id(), instrument.symbol());
            }
        };

        return new RunLoop(log, config, limits.statusIntervalNanos).run(() ->
        {
            final Subscriber subscriber = launch(context, listener, status);
            return new RunLoop.Run("subscriber", subscriber, subscriber::stop, subscriber::awaitCompletion,
                subscriber::progress, subscriber::failure)
            {
                String startLine()
                {
                    final TransportContext live = context.transport();
                    return READY + " '" + name + "' on " + live.describeLines() + " stream " + live.streamId() + " profile " +
                        live.profile().cliName() + transport.profileChoice() + " idle " + live.idleStrategy() +
                        (live.cpu() >= 0 ? " cpu " + live.cpu() : "") + recoveryLine();
                }

                private String recoveryLine()
                {
                    if (noRecovery)
                    {
                        return "; no recovery";
                    }
                    return recovery.journal != null ? "; recovers from journal " + recovery.journal :
                        "; recovers from " + String.join(", else ", context.replayChannels()) + ", answered at " +
                        io.aeron.ChannelUri.parse(context.replayResponseChannel()).get("endpoint") + " (" +
                        context.replayResponseHow() + ")";
                }

                SummaryLine summary()
                {
                    final SummaryLine line = subscriber.stats().toSummaryLine();
                    return subscriber.refusal() == null ? line : line.add("refused", "offset of another stream");
                }

                int exitCode()
                {
                    final String refusal = subscriber.refusal();
                    if (refusal != null)
                    {
                        log.error(refusal);
                        return FeedMain.EXIT_USAGE; // its --name (or --offsets) does not fit this stream
                    }
                    return FeedMain.EXIT_OK;
                }

                private boolean silenceChecked;

                void whileRunning(final long runningNanos)
                {
                    if (!silenceChecked && connectTimeoutNanos > 0 && runningNanos >= connectTimeoutNanos)
                    {
                        silenceChecked = true;
                        if (!heardFromPublisher(subscriber.stats()))
                        {
                            final TransportContext live = context.transport();
                            log.warn("nothing from any publisher after {}: no tick and no heartbeat on {} stream {}; " +
                                "check the channel (address, port, interface) and the stream id against the " +
                                "publisher's start-up line, or start it", limitsText(connectTimeoutNanos),
                                live.channel(), live.streamId());
                        }
                    }
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

    /** Whether anything at all came from a publisher: a tick, a heartbeat, a gap, even a malformed message. */
    static boolean heardFromPublisher(final SubscriberStats stats)
    {
        return stats.delivered() > 0 || stats.heartbeats() > 0 || stats.gapsDetected() > 0 ||
            stats.duplicatesDropped() > 0 || stats.malformed() > 0 || stats.publisherLastSeq() > 0;
    }

    private static String limitsText(final long nanos)
    {
        return nanos % 1_000_000_000L == 0 ? nanos / 1_000_000_000L + "s" : nanos / 1_000_000L + "ms";
    }

    /**
     * --print (in {@link QuoteText}'s format, with the symbols learnt so far) and --listener-delay: a
     * snapshot's quotes are printed with an S in front.
     */
    private QuoteListener listener(final Int2ObjectHashMap<String> symbols)
    {
        final boolean print = this.print;
        final long delay = listenerDelayNanos;
        final StringBuilder text = new StringBuilder();
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
                    text.setLength(0);
                    System.out.println(QuoteText.append(text.append(kind), quote, symbols.get(quote.instrumentId())));
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
