package io.feedhandler.perf;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.publisher.Publisher;
import io.feedhandler.publisher.PublisherConfiguration;
import io.feedhandler.publisher.PublisherContext;
import io.feedhandler.publisher.PublisherStats;
import io.feedhandler.publisher.SyntheticMarket;
import io.feedhandler.replay.server.ReplayServerContext;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.HlogPlot;
import io.feedhandler.subscriber.LatencyPlot;
import io.feedhandler.subscriber.Subscriber;
import io.feedhandler.subscriber.SubscriberAgent;
import io.feedhandler.subscriber.SubscriberContext;
import io.feedhandler.subscriber.SubscriberStats;
import io.feedhandler.transport.AeronConnection;
import io.feedhandler.transport.AgentThread;
import io.feedhandler.transport.FeedChannels;
import io.feedhandler.transport.FeedProfile;
import io.feedhandler.transport.WallClock;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The end-to-end suite behind {@code feed perf}: one-way latency of the feed (publisher, journal,
 * multicast, subscriber, listener) at fixed rates, next to raw Aeron on the same channel and the
 * journal alone, measured in the same run; then replay throughput and a catch-up while live runs.
 * Every process part runs in this JVM on its own thread, each with the compact profile (driver and
 * client conductor inside the agent's thread, busy-spinning), so a publisher and a subscriber need
 * one core each. Writes .hgrm files, a PNG plot and a markdown table to the output directory, and
 * prints the table.
 */
public final class PerfSuite
{
    private static final String CHANNEL = "aeron:udp?endpoint=239.255.79.1:42001|interface=127.0.0.1";
    /** The same channel with jumbo datagrams: loopback carries them; a real network needs jumbo frames. */
    private static final String CHANNEL_8K = CHANNEL + "|mtu=8192";
    private static final String REPLAY = "aeron:udp?endpoint=127.0.0.1:42003";
    /** The feed's batch limit on {@link #CHANNEL}: one 1408-byte datagram's worth. */
    private static final int BATCH = QuoteBatchWriter.quotesThatFit(FeedChannels.maxPayloadLength(CHANNEL));

    private final boolean quick;
    private final Path output;
    private final long[] rates;
    private long warmupSeconds;
    private long measureSeconds;
    private final Map<String, Histogram> histograms = new LinkedHashMap<>();
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private long soakSeconds;
    private FeedProfile profile = FeedProfile.COMPACT;
    private String only = "";

    private PerfSuite(final boolean quick, final Path output, final long[] rates)
    {
        this.quick = quick;
        this.output = output;
        this.rates = rates;
        this.warmupSeconds = quick ? 5 : 10;
        this.measureSeconds = quick ? 10 : 30;
    }

    public static void main(final String[] args) throws Exception
    {
        try
        {
            main(new Arguments(args));
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("feed perf: " + ex.getMessage() + " (try 'feed perf --help')");
            System.exit(2);
        }
    }

    private static void main(final Arguments args) throws Exception
    {
        boolean quick = false;
        long soak = 0;
        FeedProfile profile = FeedProfile.COMPACT;
        String only = "";
        Path output = Path.of("perf-results");
        long[] rates = {100_000, 1_000_000};
        final List<Path> plots = new ArrayList<>();
        while (args.hasNext())
        {
            final String option = args.next();
            switch (option)
            {
                case "--quick":
                    quick = true;
                    break;
                case "--output":
                    output = Path.of(args.value(option));
                    break;
                case "--only":
                    only = args.value(option);
                    if (!List.of("aeron", "journal", "feed", "throughput", "replay", "gateway").contains(only))
                    {
                        throw new IllegalArgumentException("bad --only '" + only +
                            "': expected aeron, journal, feed, throughput, replay or gateway");
                    }
                    break;
                case "--profile":
                    profile = FeedProfile.parse(args.value(option));
                    break;
                case "--soak":
                    soak = args.positive(option);
                    break;
                case "--plot":
                    plots.addAll(HlogPlot.paths(args.value(option)));
                    break;
                case "--rates":
                    final String[] list = args.value(option).split(",");
                    rates = new long[list.length];
                    for (int i = 0; i < list.length; i++)
                    {
                        rates[i] = Arguments.positive(option, list[i]);
                    }
                    break;
                case "--help":
                case "-h":
                    System.out.println("Usage: feed perf [--quick] [--output DIR] [--rates R1,R2,...] [--soak SECONDS] [--profile P]");
                    System.out.println("                 [--only aeron|journal|feed|throughput|replay|gateway] [--plot A.hlog[,B.hlog...]]");
                    System.out.println("  --profile: the feed's profile, compact (default) or default or low-latency.");
                    System.out.println("  --soak: only the feed at the first rate for SECONDS after a warm-up, counting GC cycles.");
                    System.out.println("  Latency of the feed against raw Aeron and the journal alone, same run;");
                    System.out.println("  replay throughput and catch-up. --quick: under 5 minutes.");
                    System.out.println("  --only gateway: the edge gateway alone (1,000 SSE clients, a stalled one, 10,000 idle");
                    System.out.println("    connections), written to DIR/gateway.md; not part of the default run.");
                    System.out.println("  --plot: only plot HdrHistogram interval logs (e.g. from 'feed subscribe --latency-log')");
                    System.out.println("    to DIR/latency-hlog.png, and their p50/p99/max per interval to DIR/latency-over-time.png.");
                    return;
                default:
                    throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (!plots.isEmpty())
        {
            HlogPlot.plot(plots, output);
            return;
        }
        Files.createDirectories(output);
        if (only.equals("gateway"))
        {
            new GatewayBench(quick, output).run();
            return;
        }
        final PerfSuite suite = new PerfSuite(quick, output, rates);
        suite.soakSeconds = soak;
        suite.profile = profile;
        suite.only = only;
        if (soak > 0)
        {
            suite.soak();
        }
        else
        {
            suite.run();
        }
    }

    /** The command line, read an option at a time; a bad value is an IllegalArgumentException naming it. */
    private static final class Arguments
    {
        private final String[] args;
        private int next;

        Arguments(final String[] args)
        {
            this.args = args;
        }

        boolean hasNext()
        {
            return next < args.length;
        }

        String next()
        {
            return args[next++];
        }

        String value(final String option)
        {
            if (next >= args.length)
            {
                throw new IllegalArgumentException("option '" + option + "' needs a value");
            }
            return args[next++];
        }

        long positive(final String option)
        {
            return positive(option, value(option));
        }

        static long positive(final String option, final String text)
        {
            try
            {
                final long value = Long.parseLong(text.trim());
                if (value > 0)
                {
                    return value;
                }
            }
            catch (final NumberFormatException ignored)
            {
                // named below
            }
            throw new IllegalArgumentException("bad " + option + " '" + text + "': expected a number above 0");
        }
    }

    private void run() throws Exception
    {
        final long started = System.nanoTime();
        // A first pass of every path, thrown away: on a host with as many spinning threads as cores,
        // the JIT compiler threads otherwise compete with whichever run happens to come first.
        final long measure = measureSeconds;
        final long warmup = warmupSeconds;
        measureSeconds = 1;
        warmupSeconds = 2;
        if (wants("aeron"))
        {
            rawAeron(rates[0], 0);
        }
        if (wants("journal"))
        {
            journalOnly(rates[0]);
        }
        if (wants("feed"))
        {
            feed(rates[0]);
        }
        histograms.clear();
        notes.clear();
        measureSeconds = measure;
        warmupSeconds = warmup;
        for (final long rate : rates)
        {
            final Histogram aeron = wants("aeron") ? rawAeron(rate, 0) : new Histogram(3);
            final Histogram batched = wants("aeron") ? rawAeron(rate, BATCH) : null;
            final Histogram journal = wants("journal") ? journalOnly(rate) : null;
            final Histogram feed = wants("feed") ? feed(rate) : null;
            if (wants("aeron"))
            {
                row(rate, "raw Aeron", aeron, aeron);
            }
            if (batched != null)
            {
                row(rate, "raw Aeron, batched like the feed", batched, aeron);
            }
            if (journal != null)
            {
                row(rate, "journal only", journal, aeron);
            }
            if (feed != null)
            {
                row(rate, "feed", feed, aeron);
            }
        }
        if (wants("throughput"))
        {
            throughput();
        }
        if (wants("replay"))
        {
            replay();
        }
        writeReport(System.nanoTime() - started);
    }

    /** The feed's subscriber as every run measures it: live only, spinning, done after {@code count}. */
    private SubscriberContext feedSubscriber(
        final String channel, final int stream, final long count, final long timeoutSeconds)
    {
        return new SubscriberContext().transport(t -> t.channel(channel).streamId(stream).profile(profile).idleStrategy("busy-spin"))
            .recovery(false).count(count).durationNanos(TimeUnit.SECONDS.toNanos(timeoutSeconds));
    }

    /** The feed's publisher as every run measures it: journal on, no replay server, spinning, batches by the MTU. */
    private PublisherContext feedPublisher(
        final String channel, final int stream, final long rate, final long count, final Path journal)
    {
        return new PublisherContext().transport(t -> t.channel(channel).streamId(stream).profile(profile).idleStrategy("busy-spin"))
            .journalDirectory(journal).source(new SyntheticMarket(100, 1)).rate(rate).count(count)
            .lingerNanos(TimeUnit.MILLISECONDS.toNanos(200)).replayServer(null)
            // Its cost measured by an A/B run: -Dfeed.perf.otherPublisherCheckNanos=0 switches it off.
            .otherPublisherCheckIntervalNanos(Long.getLong("feed.perf.otherPublisherCheckNanos",
                PublisherConfiguration.OTHER_PUBLISHER_CHECK_NANOS));
    }

    private boolean wants(final String path)
    {
        return only.isEmpty() || only.equals(path);
    }

    private long count(final long rate)
    {
        return rate * (warmupSeconds + measureSeconds);
    }

    private long recordFrom()
    {
        return new WallClock().nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds) + TimeUnit.SECONDS.toNanos(1);
    }

    /** @param batch 0: one quote per offer; else up to that many due ticks per offer, as the feed batches. */
    private Histogram rawAeron(final long rate, final int batch) throws Exception
    {
        final LatencyRecorder recorder = new LatencyRecorder(recordFrom());
        rawAeronRun(CHANNEL, rate, count(rate), batch, recorder);
        return keep((batch == 0 ? "aeron-" : "aeron-batched-") + rate, recorder.histogram());
    }

    private static void awaitConnected(final ExclusivePublication publication, final AeronConnection connection)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!publication.isConnected() && System.nanoTime() < deadline)
        {
            try
            {
                connection.invokerAgent().doWork(); // compact: nobody else runs the driver yet
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
            Thread.sleep(1);
        }
    }

    private Histogram journalOnly(final long rate) throws Exception
    {
        final long count = count(rate);
        final Path dir = Files.createTempDirectory("feed-perf-journal");
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            final LatencyRecorder recorder = new LatencyRecorder(recordFrom());
            try (AgentThread tailer = new AgentThread(new Baselines.JournalTailer(journal, recorder, count), "busy-spin")
                .start();
                AgentThread sender = new AgentThread(new Baselines.JournalSender(writer, rate, count, BATCH), "busy-spin").start())
            {
                sender.awaitCompletion(count / rate + 60, TimeUnit.SECONDS);
                tailer.awaitCompletion(10, TimeUnit.SECONDS);
            }
            return keep("journal-" + rate, recorder.histogram());
        }
        finally
        {
            delete(dir);
        }
    }

    private Histogram feed(final long rate) throws Exception
    {
        final long count = count(rate);
        final Path dir = Files.createTempDirectory("feed-perf-feed");
        final WallClock clock = new WallClock();
        final LatencyRecorder recorder = new LatencyRecorder(recordFrom());
        try (Subscriber subscriber = Subscriber.launch(feedSubscriber(CHANNEL, 9002, count, count / rate + 60),
            quote -> recorder.record(quote.sendTimestamp(), clock.nanoTime()), FeedStatusListener.NONE);
            Publisher publisher = Publisher.launch(feedPublisher(CHANNEL, 9002, rate, count, dir)))
        {
            publisher.awaitCompletion(count / rate + 60, TimeUnit.SECONDS);
            subscriber.awaitCompletion(10, TimeUnit.SECONDS);
            final PublisherStats published = publisher.stats();
            final SubscriberStats stats = subscriber.stats();
            notes.add(String.format(Locale.ROOT, "feed at %,d ticks/s: published %,d at %,d/s in %,d batches (%.1f ticks " +
                "each), back-pressured %d, delivered %,d, gaps %d", rate, published.published(), published.ratePerSecond(),
                published.batches(), published.published() / (double)Math.max(1, published.batches()),
                published.backPressured(), stats.delivered(), stats.gapsDetected()));
            return keep("feed-" + rate, recorder.histogram());
        }
        finally
        {
            delete(dir);
        }
    }

    /**
     * The feed alone at one rate for a long run: after the warm-up, count the garbage collections
     * of every collector in this JVM (the publisher and subscriber are both here). Run it with
     * {@code JAVA_OPTS=-Xlog:gc} to see the log too.
     */
    private void soak() throws Exception
    {
        final long rate = rates[0];
        final long count = rate * (warmupSeconds + soakSeconds);
        final Path dir = Files.createTempDirectory("feed-perf-soak");
        final WallClock clock = new WallClock();
        final LatencyRecorder recorder = new LatencyRecorder(recordFrom());
        try (Subscriber subscriber = Subscriber.launch(feedSubscriber(CHANNEL, 9004, count, count / rate + 60),
            quote -> recorder.record(quote.sendTimestamp(), clock.nanoTime()), FeedStatusListener.NONE);
            Publisher publisher = Publisher.launch(feedPublisher(CHANNEL, 9004, rate, count, dir)))
        {
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds + 1));
            final long gcBefore = gcCount();
            final long start = System.nanoTime();
            publisher.awaitCompletion(count / rate + 60, TimeUnit.SECONDS);
            final long measuredNanos = System.nanoTime() - start;
            final long gcs = gcCount() - gcBefore;
            subscriber.awaitCompletion(10, TimeUnit.SECONDS);
            final Histogram h = keep("soak-feed-" + rate, recorder.histogram());
            final String line = String.format(Locale.ROOT, "soak: feed at %,d ticks/s for %.0f s after a %d s warm-up: " +
                "%d GC cycles; published %,d at %,d/s, delivered %,d; p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us",
                rate, measuredNanos / 1e9, warmupSeconds, gcs, publisher.stats().published(),
                publisher.stats().ratePerSecond(), subscriber.stats().delivered(), us(h, 50), us(h, 99), us(h, 99.9),
                h.getMaxValue() / 1000.0);
            Files.writeString(output.resolve("soak.md"), line + "\n");
            System.out.println(line);
        }
        finally
        {
            delete(dir);
        }
    }

    private static long gcCount()
    {
        long total = 0;
        for (final java.lang.management.GarbageCollectorMXBean gc :
            java.lang.management.ManagementFactory.getGarbageCollectorMXBeans())
        {
            total += Math.max(0, gc.getCollectionCount());
        }
        return total;
    }

    /**
     * The highest rate sustained for a fixed time with zero loss: the feed with its journal and one
     * subscriber (every tick delivered live, no gap, the publisher on schedule) on the default MTU and
     * on 8 KiB datagrams, and raw Aeron on the same channel (every message received, the sender on
     * schedule), one quote per offer and batched like the feed. Rates rise until a path fails; a path
     * that failed is not tried higher.
     */
    private void throughput() throws Exception
    {
        final long seconds = quick ? 3 : 10;
        final long[] steps = quick ? new long[]{500_000, 1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000} :
            new long[]{1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000};
        final String[] paths = {"raw Aeron", "raw Aeron, batched like the feed", "feed, journal on", "feed, journal on, mtu=8k"};
        final long[] best = new long[paths.length];
        final boolean[] failed = new boolean[paths.length];
        final StringBuilder trail = new StringBuilder();
        for (final long rate : steps)
        {
            final long count = rate * seconds;
            trail.append(String.format(Locale.ROOT, " %,d/s:", rate));
            for (int p = 0; p < paths.length; p++)
            {
                if (failed[p])
                {
                    continue;
                }
                final boolean ok;
                if (p < 2)
                {
                    final long nanos = rawAeronRun(CHANNEL, rate, count, p == 0 ? 0 : BATCH, new LatencyRecorder(Long.MAX_VALUE));
                    ok = nanos > 0 && count * 1e9 / nanos >= 0.99 * rate;
                }
                else
                {
                    ok = feedSustains(p == 2 ? CHANNEL : CHANNEL_8K, rate, count, seconds);
                }
                trail.append(' ').append(paths[p]).append(ok ? " ok," : " no,");
                best[p] = ok ? Math.max(best[p], rate) : best[p];
                failed[p] = !ok;
            }
            trail.setCharAt(trail.length() - 1, ';');
        }
        for (int p = 0; p < paths.length; p++)
        {
            rows.add(String.format(Locale.ROOT, "| throughput | %s, zero loss, %d s | highest %,d/s | | | | | %s | %s |",
                paths[p], seconds, best[p], times(best[p], best[0]), times(best[p], best[1])));
        }
        notes.add("throughput steps (sustained = on schedule within 1%, every tick delivered, no gap; the two ratio " +
            "columns are against raw Aeron one quote per offer, and against raw Aeron batched like the feed):" + trail);
    }

    private static String times(final long value, final long baseline)
    {
        return baseline == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", value / (double)baseline);
    }

    private boolean feedSustains(final String channel, final long rate, final long count, final long seconds)
        throws Exception
    {
        final Path dir = Files.createTempDirectory("feed-perf-throughput");
        try (Subscriber subscriber = Subscriber.launch(feedSubscriber(channel, 9005, count, seconds * 3 + 30),
                quote -> { }, FeedStatusListener.NONE);
            Publisher publisher = Publisher.launch(feedPublisher(channel, 9005, rate, count, dir)))
        {
            publisher.awaitCompletion(seconds * 3 + 30, TimeUnit.SECONDS);
            subscriber.awaitCompletion(10, TimeUnit.SECONDS);
            final PublisherStats published = publisher.stats();
            final SubscriberStats stats = subscriber.stats();
            final boolean ok = published.ratePerSecond() >= 0.99 * rate && stats.delivered() == count &&
                stats.gapsDetected() == 0 && stats.digest() == published.digest();
            if (!ok)
            {
                notes.add(String.format(Locale.ROOT, "feed at %,d/s on %s fell short: published at %,d/s in %,d batches " +
                    "(back-pressured %,d), delivered %,d, gaps %d", rate, channel.contains("mtu=") ? "mtu=8k" : "mtu 1408",
                    published.ratePerSecond(), published.batches(), published.backPressured(), stats.delivered(),
                    stats.gapsDetected()));
            }
            return ok;
        }
        finally
        {
            delete(dir);
        }
    }

    /**
     * Raw Aeron on the feed's channel: a sender and a receiver, each with its own compact media
     * driver, as the feed's publisher and subscriber have.
     *
     * @param batch 0: one quote per offer; else up to that many due ticks per offer.
     * @return how long the sending took; -1 if not everything arrived.
     */
    private long rawAeronRun(
        final String channel, final long rate, final long count, final int batch, final LatencyRecorder recorder)
        throws Exception
    {
        try (AeronConnection sendSide = AeronConnection.connect(null, FeedProfile.COMPACT);
            AeronConnection receiveSide = AeronConnection.connect(null, FeedProfile.COMPACT))
        {
            final Subscription subscription = receiveSide.aeron().addSubscription(channel, 9001);
            final ExclusivePublication publication = sendSide.aeron().addExclusivePublication(channel, 9001);
            try (AgentThread receiver = AgentThread.shared("busy-spin", -1,
                new Baselines.AeronReceiver(subscription, recorder, count), receiveSide.invokerAgent()).start())
            {
                awaitConnected(publication, sendSide);
                final long start = System.nanoTime();
                try (AgentThread sender = AgentThread.shared("busy-spin", -1,
                    new Baselines.AeronSender(publication, rate, count, batch), sendSide.invokerAgent()).start())
                {
                    sender.awaitCompletion(count / rate * 3 + 30, TimeUnit.SECONDS);
                    final long sent = System.nanoTime() - start;
                    receiver.awaitCompletion(10, TimeUnit.SECONDS);
                    return recorder.count() >= count ? sent : -1;
                }
            }
        }
    }

    /**
     * Replay from a journal of batches as a publisher at speed writes them: the throughput of one
     * session pulling the whole journal through the replay server (its response channel at the
     * default MTU and at 8 KiB), then a catch-up from far behind while live runs at 100k/s.
     */
    private void replay() throws Exception
    {
        final long backlog = quick ? 2_000_000 : 10_000_000;
        final Path dir = Files.createTempDirectory("feed-perf-replay");
        try
        {
            prefill(dir, backlog);
            // Response channels: Aeron's default MTU, an 8 KiB MTU, and 8 KiB with 2 MiB socket buffer
            // and receive window (Aeron Archive's throughput settings). The first session of the JVM is
            // reported apart (the JIT compiles the path while it runs); then each channel in turn,
            // round-robin so that noise falls on all of them, and the median of each.
            final String base = "aeron:udp?endpoint=127.0.0.1:0";
            final String[] responses = System.getProperty("feed.perf.responses") != null ?
                System.getProperty("feed.perf.responses").split(";") :
                new String[]{base, base + "|mtu=8192", base + "|mtu=8192|so-rcvbuf=2m|rcv-wnd=2m"};
            final double cold = replayRate(dir, backlog, io.feedhandler.replay.ReplayConfiguration.RESPONSE_CHANNEL);
            final int repeats = quick ? 3 : 5;
            final double[][] rates = new double[responses.length][repeats];
            for (int r = 0; r < repeats; r++)
            {
                for (int i = 0; i < responses.length; i++)
                {
                    rates[i][r] = replayRate(dir, backlog, responses[i]);
                }
            }
            for (int i = 0; i < responses.length; i++)
            {
                final double[] sorted = rates[i].clone();
                java.util.Arrays.sort(sorted);
                rows.add(String.format(Locale.ROOT, "| replay | %,d ticks, one session, response %s | %,.0f ticks/s | " +
                    "median of %d | | | | | |", backlog, response(responses[i]), sorted[repeats / 2], repeats));
                notes.add(String.format(Locale.ROOT, "replay of %,d ticks, response %s: %s ticks/s", backlog,
                    response(responses[i]), java.util.Arrays.stream(rates[i]).mapToObj(v -> String.format(Locale.ROOT, "%,.0f", v))
                        .collect(java.util.stream.Collectors.joining(", "))));
            }
            rows.add(String.format(Locale.ROOT, "| replay | %,d ticks, the JVM's first session, response %s | %,.0f ticks/s | " +
                "cold | | | | | |", backlog, response(io.feedhandler.replay.ReplayConfiguration.RESPONSE_CHANNEL), cold));
            // Catch-up: a subscriber from sequence 1 while the publisher goes on at 100k/s.
            final long live = quick ? 500_000 : 2_000_000;
            final long start = System.nanoTime();
            long caughtUpNanos = -1;
            try (Publisher publisher = Publisher.launch(new PublisherContext()
                    .transport(t -> t.channel(CHANNEL).streamId(9003).profile(FeedProfile.COMPACT))
                    .journalDirectory(dir).source(new SyntheticMarket(100, 1))
                    .rate(100_000).count(live).connectTimeoutNanos(0).lingerNanos(TimeUnit.SECONDS.toNanos(1))
                    .replayServer(new ReplayServerContext().replayChannel(REPLAY)));
                Subscriber subscriber = Subscriber.launch(new SubscriberContext()
                    .transport(t -> t.channel(CHANNEL).streamId(9003).profile(FeedProfile.COMPACT))
                    .replayChannel(REPLAY).fromSequence(1).count(backlog + live)
                    .durationNanos(TimeUnit.SECONDS.toNanos(120)), quote -> { }, FeedStatusListener.NONE))
            {
                final long deadline = start + TimeUnit.SECONDS.toNanos(120);
                while (System.nanoTime() < deadline && !subscriber.awaitCompletion(1, TimeUnit.MILLISECONDS))
                {
                    if (caughtUpNanos < 0 && subscriber.state() == SubscriberAgent.State.LIVE &&
                        subscriber.lastDeliveredSequence() > backlog)
                    {
                        caughtUpNanos = System.nanoTime() - start;
                    }
                }
                final SubscriberStats stats = subscriber.stats();
                final double seconds = caughtUpNanos / 1e9;
                notes.add(String.format(Locale.ROOT, "catch-up: %,d ticks behind with live at 100,000/s: merged " +
                    "into live after %.2f s (%,.0f ticks/s through the replay server); recovered %,d, delivered %,d, " +
                    "digest %s", backlog, seconds, stats.recovered() / Math.max(seconds, 1e-9), stats.recovered(),
                    stats.delivered(), stats.digest() == publisher.journal().digest(1, backlog + live) ? "= the journal's" :
                    "DIFFERS from the journal's"));
                rows.add(String.format(Locale.ROOT, "| replay | catch-up from %,d behind, live 100k/s | %.2f s to merge | " +
                    "%,.0f ticks/s | | | | |", backlog, seconds, stats.recovered() / Math.max(seconds, 1e-9)));
            }
        }
        finally
        {
            delete(dir);
        }
    }

    /** How a response channel is shown in the report: its parameters, the default MTU named. */
    private static String response(final String channel)
    {
        final String parameters = channel.substring(channel.indexOf('?') + 1);
        return (parameters.contains("mtu=") ? parameters : parameters + " (mtu 1408)").replace("|", "\\|"); // a cell of a Markdown table
    }

    /** One replay session of sequences 1 to {@code count} as fast as it goes: ticks per second received. */
    private static double replayRate(final Path dir, final long count, final String responseChannel) throws Exception
    {
        try (AeronConnection connection = AeronConnection.connect(null, FeedProfile.COMPACT);
            Journal journal = Journal.openReadOnly(dir);
            io.feedhandler.replay.server.ReplayServer server = io.feedhandler.replay.server.ReplayServer.launch(
                new ReplayServerContext().replayChannel(REPLAY).idleStrategy("busy-spin").maxBatch(Integer.getInteger("feed.perf.maxBatch", io.feedhandler.replay.ReplayConfiguration.MAX_BATCH)), connection.aeron(), journal);
            AeronConnection client = AeronConnection.connect(null, FeedProfile.COMPACT))
        {
            final long[] received = {0};
            final io.feedhandler.replay.client.ReplayClient replay = new io.feedhandler.replay.client.ReplayClient(
                client.aeron(), REPLAY, io.feedhandler.replay.ReplayConfiguration.STREAM_ID, responseChannel, 9006,
                new io.feedhandler.replay.client.ReplayListener()
                {
                    public void onReplayBegin(final long id, final long from, final long to, final long head, final long epoch)
                    {
                    }

                    public void onReplayEnd(final long id, final long last, final io.feedhandler.sbe.ReplayEndReason reason)
                    {
                    }

                    public void onReplayError(final long id, final io.feedhandler.sbe.ReplayErrorCode code,
                        final long first, final long last, final String message)
                    {
                        throw new IllegalStateException("replay refused: " + code + " " + message);
                    }
                },
                quote -> received[0]++);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!replay.isReady() && System.nanoTime() < deadline)
            {
                client.invokerAgent().doWork();
                connection.invokerAgent().doWork();
            }
            final long start = System.nanoTime();
            while (replay.request(1, count) == io.feedhandler.replay.client.ReplayClient.NOT_SENT &&
                System.nanoTime() < deadline)
            {
                client.invokerAgent().doWork();
                connection.invokerAgent().doWork();
            }
            while (received[0] < count && System.nanoTime() < deadline)
            {
                client.invokerAgent().doWork();
                connection.invokerAgent().doWork();
                replay.poll(1024);
            }
            final double rate = received[0] * 1e9 / (System.nanoTime() - start);
            replay.close();
            return rate;
        }
    }

    /** A journal of {@code count} ticks in batches as the publisher writes them at speed. */
    private static void prefill(final Path dir, final long count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[QuoteBatchWriter.length(BATCH)]);
        final QuoteBatchWriter batch = new QuoteBatchWriter();
        final MutableQuote quote = new MutableQuote();
        final SyntheticMarket market = new SyntheticMarket(100, 1);
        try (Journal journal = Journal.open(dir); JournalWriter writer = journal.newWriter())
        {
            final long now = new WallClock().nanoTime();
            for (long sequence = 1; sequence <= count; )
            {
                batch.wrap(buffer, 0, 0, sequence);
                for (int i = 0; i < BATCH && sequence <= count; i++, sequence++)
                {
                    market.next(quote, now);
                    quote.sequence = sequence;
                    quote.sendTimestamp = now;
                    batch.add(quote);
                }
                writer.append(buffer, 0, batch.length());
            }
        }
    }

    private Histogram keep(final String name, final Histogram histogram) throws IOException
    {
        histograms.put(name, histogram);
        try (PrintStream out = new PrintStream(Files.newOutputStream(output.resolve(name + ".hgrm"))))
        {
            histogram.outputPercentileDistribution(out, 1000.0); // microseconds
        }
        return histogram;
    }

    private void row(final long rate, final String name, final Histogram h, final Histogram baseline)
    {
        rows.add(String.format(Locale.ROOT, "| %,d/s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %s |", rate, name,
            us(h, 50), us(h, 90), us(h, 99), us(h, 99.9), h.getMaxValue() / 1000.0,
            ratio(h, baseline, 99), ratio(h, baseline, 99.9)));
    }

    private static double us(final Histogram h, final double percentile)
    {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static String ratio(final Histogram h, final Histogram baseline, final double percentile)
    {
        final long base = baseline.getValueAtPercentile(percentile);
        return base == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", h.getValueAtPercentile(percentile) / (double)base);
    }

    private void writeReport(final long elapsedNanos) throws IOException
    {
        final StringBuilder md = new StringBuilder();
        md.append("# feed perf ").append(quick ? "(quick)" : "(full)").append("\n\n");
        md.append(String.format(Locale.ROOT, "Host: %d CPUs, %s %s; %d s warm-up + %d s measured per run; " +
            "feed in the " + profile.cliName() + " profile, baselines in compact, busy-spin; one-way latency in microseconds from each tick's due time.%n%n",
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
            System.getProperty("java.version"), warmupSeconds, measureSeconds));
        md.append("| rate | path | p50 | p90 | p99 | p99.9 | max | p99 vs raw Aeron | p99.9 vs raw Aeron |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append('\n');
        notes.forEach(n -> md.append("- ").append(n).append('\n'));
        md.append(String.format(Locale.ROOT, "%nSuite took %.0f s.%n", elapsedNanos / 1e9));
        Files.writeString(output.resolve("results.md"), md);
        LatencyPlot.write("One-way latency by percentile (same run, same channel)", histograms,
            output.resolve("latency.png"));
        System.out.println(md);
        System.out.println("Written to " + output.toAbsolutePath() + ": results.md, latency.png, *.hgrm");
    }

    private static void delete(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
