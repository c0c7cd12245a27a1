package io.feedhandler.cli;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.Prices;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.QuoteListener;
import io.feedhandler.subscriber.Subscriber;
import io.feedhandler.subscriber.SubscriberContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    private static final Logger LOG = LoggerFactory.getLogger(SubscribeCommand.class);

    @Mixin
    ChannelOptions channel;

    @Option(names = "--name", paramLabel = "NAME", description = "Subscriber name, shown in its summary.")
    String name = "";

    @Option(names = "--count", paramLabel = "N", description = "Stop after delivering N ticks; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
        description = "Stop after this long, e.g. 30s; default: no limit.")
    long durationNanos;

    @Option(names = "--print", description = "Print every delivered quote on stdout (slow; for looking, not for speed).")
    boolean print;

    public Integer call() throws Exception
    {
        final SubscriberContext context = new SubscriberContext()
            .channel(channel.channel)
            .streamId(channel.streamId)
            .aeronDirectory(channel.aeronDirectory)
            .idleStrategy(channel.idleStrategy)
            .name(name)
            .count(count)
            .durationNanos(durationNanos);

        final QuoteListener listener = print ? quote -> System.out.println(
            quote.sequence() + " " + quote.instrumentId() + " " + Prices.format(quote.bidPrice()) + "x" +
            quote.bidSize() + " " + Prices.format(quote.askPrice()) + "x" + quote.askSize()) : quote -> { };
        final FeedStatusListener status = new FeedStatusListener()
        {
            public void onGap(final long fromSequence, final long toSequence)
            {
                LOG.warn("gap: sequences {}..{} missing", fromSequence, toSequence);
            }

            public void onInstrument(final Instrument instrument)
            {
                LOG.debug("instrument {} = {}", instrument.id(), instrument.symbol());
            }

            public void onPublisherEnded(final long lastSequence)
            {
                LOG.info("publisher ended its run at sequence {}", lastSequence);
            }
        };

        try (ShutdownSignal signal = new ShutdownSignal();
            Subscriber subscriber = Subscriber.launch(context, listener, status))
        {
            signal.onSignal(subscriber::stop);
            LOG.info("{} '{}' on {} stream {}", READY, name, context.channel(), context.streamId());
            while (!subscriber.awaitCompletion(1, TimeUnit.SECONDS))
            {
                LOG.debug("subscriber {}", subscriber.stats());
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
}
