package io.feedhandler.cli;

import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.Prices;
import io.feedhandler.journal.JournalException;
import io.feedhandler.replay.client.ReplayClient;
import io.feedhandler.replay.server.ReplayServerContext;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.QuoteListener;
import io.feedhandler.subscriber.Subscriber;
import io.feedhandler.subscriber.SubscriberContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "subscribe", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Subscribe to the live stream: check sequences, keep top of book, measure one-way latency.",
        "Ends after --count ticks, after --duration, or on SIGINT/SIGTERM, and prints a JSON summary",
        "line last on stdout."})
final class SubscribeCommand implements Callable<Integer>
{
    /** Printed on stderr once the subscription is in place, for scripts that start a publisher after it. */
    static final String READY = "subscriber ready";

    @Mixin
    ChannelOptions channel;

    @Option(names = "--name", paramLabel = "NAME", description = "Subscriber name, shown in its summary.")
    String name = "";

    @Option(names = "--count", paramLabel = "N", description = "Stop after delivering N ticks; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "0",
        description = "Stop after this long, e.g. 30s; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long durationNanos;

    @Option(names = "--print", description = "Print every delivered quote on stdout (slow; for looking, not for speed).")
    boolean print;

    @Option(names = "--from-seq", paramLabel = "SEQ",
        description = "Start at this sequence, pulling the history from the journal, then merge into live " +
            "(default: live, or after the stored offset of a named subscriber).")
    long fromSeq;

    @Option(names = "--offsets", paramLabel = "DIR",
        description = "Where a named subscriber stores its offset (default: <journal>/subscribers, or " +
            "feed-journal/subscribers).")
    Path offsets;

    @Option(names = "--journal", paramLabel = "DIR",
        description = "The journal, when it is on this host: recover by reading it directly instead of asking the " +
            "replay server.")
    Path journal;

    @Mixin
    ReplayChannelOptions replay;

    @Option(names = "--replay-response-channel", paramLabel = "URI",
        description = "Where this subscriber receives replays; port 0 = any free port. Across hosts, name this " +
            "host's address (default: ${DEFAULT-VALUE}).")
    String replayResponseChannel = ReplayConfiguration.RESPONSE_CHANNEL;

    @Option(names = "--replay-response-stream", paramLabel = "ID",
        description = "Stream id for replays to this subscriber (default: ${DEFAULT-VALUE}).")
    int replayResponseStream = ReplayConfiguration.RESPONSE_STREAM_ID;

    @Option(names = "--max-instruments", paramLabel = "N",
        description = "Most distinct instruments the top of book and the instrument definitions track; beyond it " +
            "quotes are delivered, not tracked, and new definitions are ignored (default: ${DEFAULT-VALUE}).")
    int maxInstruments = 100_000;

    @Option(names = "--no-recovery", description = "Only count gaps; do not pull what is missing.")
    boolean noRecovery;

    @Option(names = "--recovery-buffer", paramLabel = "N",
        description = "Live ticks held while recovering; beyond it the oldest are replayed instead (default: ${DEFAULT-VALUE}).")
    int recoveryBuffer = 65_536;

    @Option(names = "--stale-timeout", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "3s",
        description = "Rejoin live when it has been silent this long (default: ${DEFAULT-VALUE}).")
    long staleTimeoutNanos;

    @Option(names = "--latency-log", paramLabel = "FILE",
        description = "Write delivery latency over time to this HdrHistogram interval log (.hlog), readable by " +
            "HdrHistogram's tools and 'feed perf --plot'.")
    Path latencyLog;

    @Option(names = "--latency-log-interval", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = "1s", description = "One histogram per this much time in the latency log (default: ${DEFAULT-VALUE}).")
    long latencyLogIntervalNanos;

    @Option(names = "--listener-delay", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "0",
        description = "Spend this long in the listener per tick: simulates a slow consumer, e.g. 20us " +
            "(default: ${DEFAULT-VALUE}).")
    long listenerDelayNanos;

    @Option(names = "--status-interval", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "10s",
        description = "Log the counters on stderr this often while running; 0 = never (default: ${DEFAULT-VALUE}).")
    long statusIntervalNanos;

    @Mixin
    ConfigOptions config;

    public Integer call() throws Exception
    {
        // Not a static field: picocli builds every command for any command line, and logback takes
        // about half a second of CPU to start, which --help and --print-config need not pay.
        final Logger log = LoggerFactory.getLogger(SubscribeCommand.class);
        final SubscriberContext context = new SubscriberContext()
            .transport(channel.context())
            .name(name)
            .count(count)
            .durationNanos(durationNanos)
            .fromSequence(fromSeq)
            .offsetsDirectory(offsets)
            .journalDirectory(journal)
            .replayChannel(replay.channel)
            .replayStreamId(replay.streamId)
            .replayResponseChannel(replayResponseChannel)
            .replayResponseStreamId(replayResponseStream)
            .recovery(!noRecovery)
            .maxInstruments(maxInstruments)
            .recoveryBufferCapacity(recoveryBuffer)
            .staleTimeoutNanos(staleTimeoutNanos)
            .latencyLog(latencyLog)
            .latencyLogIntervalNanos(latencyLogIntervalNanos);
        if (listenerDelayNanos < 0)
        {
            throw new UsageError("bad --listener-delay: must be >= 0");
        }

        final QuoteListener printer = print ? quote -> System.out.println(
            quote.sequence() + " " + quote.instrumentId() + " " + Prices.format(quote.bidPrice()) + "x" +
            quote.bidSize() + " " + Prices.format(quote.askPrice()) + "x" + quote.askSize()) : quote -> { };
        final long delay = listenerDelayNanos;
        final QuoteListener listener = delay == 0 ? printer : quote ->
        {
            printer.onQuote(quote);
            final long until = System.nanoTime() + delay;
            while (System.nanoTime() < until)
            {
                Thread.onSpinWait();
            }
        };
        final FeedStatusListener status = new FeedStatusListener()
        {
            public void onGap(final long fromSequence, final long toSequence)
            {
                log.warn("gap: sequences {}..{} missing", fromSequence, toSequence);
            }

            public void onInstrument(final Instrument instrument)
            {
                log.debug("instrument {} = {}", instrument.id(), instrument.symbol());
            }

            public void onPublisherEnded(final long lastSequence)
            {
                log.info("publisher ended its run at sequence {}", lastSequence);
            }

            public void onRecoveryStarted(final long fromSequence)
            {
                log.info("recovering from sequence {}", fromSequence);
            }

            public void onRecovered(final long upToSequence)
            {
                log.info("recovered up to sequence {}: back on live", upToSequence);
            }

            public void onLost(final long fromSequence, final long toSequence)
            {
                log.error("sequences {}..{} are no longer in the journal: lost", fromSequence, toSequence);
            }

            public void onNotJournaled(final long fromSequence, final long toSequence)
            {
                log.error("sequences {}..{} were never journaled (the publisher's journal disk was full, policy " +
                    "live-only) and were missed live: lost", fromSequence, toSequence);
            }

            public void onRecoveryProblem(final String reason)
            {
                log.warn("recovery: {}", reason);
            }

            public void onStreamReset(final long lastDelivered, final long publisherLastSequence)
            {
                log.error("the publisher is at sequence {} but this subscriber already delivered up to {}: its " +
                    "journal was reset or this is another stream; following it from {}", publisherLastSequence,
                    lastDelivered, publisherLastSequence + 1);
            }

            public void onLiveRejoined()
            {
                log.warn("live stream silent for {} ms: rejoined", staleTimeoutNanos / 1_000_000);
            }

            public void onLiveRejoinFailed(final String reason)
            {
                log.warn("cannot rejoin the live stream yet ({}); trying again every {} ms", reason,
                    staleTimeoutNanos / 1_000_000);
            }
        };

        try (ShutdownSignal signal = new ShutdownSignal();
            Subscriber subscriber = launch(context, listener, status))
        {
            signal.onSignal(subscriber::stop);
            log.info("{}", config.describe());
            log.info("{} '{}' on {} stream {} profile {} idle {}{}", READY, name, context.transport().channel(), context.transport().streamId(),
                context.transport().profile().cliName(), context.transport().idleStrategy(), context.transport().cpu() >= 0 ? " cpu " + context.transport().cpu() : "");
            long nextStatus = System.nanoTime() + statusIntervalNanos;
            while (!subscriber.awaitCompletion(100, TimeUnit.MILLISECONDS))
            {
                if (statusIntervalNanos > 0 && System.nanoTime() - nextStatus >= 0)
                {
                    nextStatus += statusIntervalNanos;
                    log.info("status: {}", subscriber.progress());
                }
            }
            System.out.println(subscriber.stats().toSummaryLine());
            System.out.flush();
            if (subscriber.failure() != null)
            {
                throw new RuntimeException("subscriber failed: " + subscriber.failure(), subscriber.failure());
            }
            return 0;
        }
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
