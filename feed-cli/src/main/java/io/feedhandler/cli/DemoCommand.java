package io.feedhandler.cli;

import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.codecs.SummaryJson;
import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalBook;
import io.feedhandler.subscriber.HlogPlot;
import io.feedhandler.subscriber.SubscriberConfiguration;
import io.feedhandler.transport.ExitCleanup;
import io.feedhandler.transport.FeedChannels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Run the whole feed on this host, each part a separate process on the multicast channel.",
        "The parts: two subscribers, a third that is paused (SIGSTOP) while the publisher runs and " +
            "recovers what it missed from the journal, a late joiner that starts from a snapshot, a " +
            "slow consumer (50 us a tick) that conflates, and the publisher. Prints every summary and " +
            "checks that each subscriber delivered every tick with the publisher's digest and the " +
            "journal's, that the snapshot joiner delivered every tick after its snapshot, and that all " +
            "hold the journal's book. Exit 0 when all agree, 1 otherwise.",
        "With --gateway also an edge gateway beside the subscribers: its dashboard's address is printed, and " +
            "it serves for --gateway-time after the other parts have finished."})
final class DemoCommand implements Callable<Integer>, StopsOnSignal
{
    // Not RunLimits: the size of the demo, which every part runs to; no 0 = no limit.
    @Option(names = "--count", paramLabel = "N", description = "Ticks to publish (default: ${DEFAULT-VALUE}).")
    long count = 250_000;

    @Option(names = "--pause", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "3s",
        description = "How long the lagging subscriber is paused; 0 = no lagging subscriber (default: ${DEFAULT-VALUE}).")
    long pauseNanos;

    @Option(names = "--rate", paramLabel = "TICKS_PER_S",
        description = "Publish rate; the default leaves room on a 2-core host for four JVMs, each with its own " +
            "media driver (default: ${DEFAULT-VALUE}).")
    long rate = 50_000;

    @picocli.CommandLine.Mixin
    StreamOptions stream;

    @picocli.CommandLine.Mixin
    ReplayChannelOptions replay;

    // Not JournalOptions: by default a new temporary journal, deleted after the demo.
    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (default: a new temporary one).")
    Path journal;

    @Option(names = "--timeout", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "120s",
        description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    long timeoutNanos;

    @Option(names = "--keep-journal", description = "Keep the temporary journal after the demo (it is deleted by default).")
    boolean keepJournal;

    @Option(names = "--no-late-joiners",
        description = "Leave out the snapshot joiner and the conflating slow consumer.")
    boolean noLateJoiners;

    @Option(names = "--gateway",
        description = "Also run an edge gateway ('feed gateway') beside the subscribers and print its dashboard's " +
            "address, to watch the demo in a browser; it serves until --gateway-time after the others finish.")
    boolean gateway;

    @Option(names = "--gateway-port", paramLabel = "PORT",
        description = "With --gateway: the port it serves on loopback; 0 = any free port (default: ${DEFAULT-VALUE}).")
    int gatewayPort = 8080;

    @Option(names = "--gateway-time", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "60s",
        description = "With --gateway: how long it keeps serving after the other parts have finished, for a look " +
            "at the dashboard; Ctrl-C ends it sooner (default: ${DEFAULT-VALUE}).")
    long gatewayTimeNanos;

    @Option(names = "--latency-plot", paramLabel = "DIR",
        description = "Also write each subscriber's latency log (.hlog) here, and plot them: latency-over-time.png " +
            "(p50, p99, max per second) and latency-hlog.png (percentiles).")
    Path latencyPlot;

    @picocli.CommandLine.Mixin
    ConfigOptions config;

    /** Logged by a gateway once it serves, with the dashboard's address. */
    private static final Pattern DASHBOARD = Pattern.compile(Pattern.quote(GatewayCommand.READY) + "(\\S+)");

    /** The demo's runs last seconds: its subscribers' steady state starts a second after their first live tick. */
    private static final String DEMO_WARMUP = "1s";
    /** How long the parts may take to stop after SIGINT/SIGTERM before they are killed. */
    private static final long STOP_WAIT_SECONDS = 10;
    /** How often a wait looks whether a signal came. */
    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final List<FeedProcess> children = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Said once, by whichever comes first: the signal thread or the main thread's stop. */
    private final AtomicBoolean stopAnnounced = new AtomicBoolean();
    private Path journalDir;
    private final FeedProcess.Launcher launcher = inSessionOfItsOwn(FeedProcess.Launcher.thisJvm());

    public Integer call() throws Exception
    {
        if (count < 1)
        {
            throw new UsageError("bad --count " + count + ": must be at least 1");
        }
        if (rate < 0)
        {
            throw new UsageError("bad --rate " + rate + ": must be >= 0");
        }
        FeedChannels.validate("--channel", stream.channel);
        if (gatewayPort < 0 || gatewayPort > 65_535)
        {
            throw new UsageError("bad --gateway-port " + gatewayPort + ": must be 0 (any free port) to 65535");
        }
        if (gatewayTimeNanos < 0)
        {
            throw new UsageError("bad --gateway-time: must be >= 0");
        }
        if (latencyPlot != null && Files.exists(latencyPlot) && !Files.isDirectory(latencyPlot))
        {
            throw new UsageError("bad --latency-plot '" + latencyPlot + "': not a directory");
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        final String timeoutSeconds = (timeoutNanos / 1_000_000_000L) + "s";

        try (ShutdownSignal signal = new ShutdownSignal())
        {
            // The first SIGINT/SIGTERM stops every part (each prints its summary); a second kills them.
            signal.onSignal(() ->
            {
                announceStop(); // at once, whatever the main thread is waiting for
                stopped.countDown();
                destroyChildren();
            });
            Signals.onForcedExit(this::killChildren);
            if (signal.signalled())
            {
                return interrupted(null, List.of());
            }
            journalDir = journal != null ? journal : Files.createTempDirectory("feed-demo-");
            if (journal == null && !keepJournal)
            {
                ExitCleanup.register(journalDir.toFile()); // gone on every exit that can remove it
            }
            say("journal " + journalDir.toAbsolutePath() + ", channel " + stream.channel + " stream " + stream.streamId);

            final List<FeedProcess> subscribers = new ArrayList<>();
            final List<Path> latencyLogs = new ArrayList<>();
            if (latencyPlot != null)
            {
                Files.createDirectories(latencyPlot);
            }
            for (final String name : pauseNanos > 0 ? List.of("a", "b", "c") : List.of("a", "b"))
            {
                final List<String> args = new ArrayList<>(List.of("subscribe", "--name", "demo-" + name,
                    "--count", Long.toString(count), "--duration", timeoutSeconds,
                    "--offsets", journalDir.resolve("subscribers").toString(), "--stale-timeout", "1s",
                    "--warmup", DEMO_WARMUP, "--channel", stream.channel, "--stream", Integer.toString(stream.streamId),
                    "--replay-channel", replay.replayChannel, "--replay-stream", Integer.toString(replay.replayStreamId)));
                if (latencyPlot != null)
                {
                    latencyLogs.add(latencyPlot.resolve("subscriber-" + name + ".hlog"));
                    args.addAll(List.of("--latency-log", latencyLogs.get(latencyLogs.size() - 1).toString()));
                }
                subscribers.add(start("subscriber-" + name, args.toArray(new String[0])));
            }
            final List<FeedProcess> lateJoiners = new ArrayList<>();
            // The late joiners cannot know a count to stop at: they end with the publisher's run, once they hold all of it.
            if (!noLateJoiners)
            {
                lateJoiners.add(start("conflating", "subscribe", "--name", "demo-conflating", "--slow-consumer",
                    "conflate", "--listener-delay", "50us", "--until-publisher-ends", "--duration", timeoutSeconds,
                    "--offsets", journalDir.resolve("subscribers").toString(),
                    "--channel", stream.channel, "--stream", Integer.toString(stream.streamId),
                    "--replay-channel", replay.replayChannel, "--replay-stream", Integer.toString(replay.replayStreamId)));
            }
            final FeedProcess edge = gateway ? start("gateway", "gateway", "--name", "demo-gateway",
                "--port", Integer.toString(gatewayPort), "--heartbeat-interval", "1s",
                "--channel", stream.channel, "--stream", Integer.toString(stream.streamId),
                "--replay-channel", replay.replayChannel, "--replay-stream", Integer.toString(replay.replayStreamId)) :
                null;
            final List<FeedProcess> waitedFor = new ArrayList<>(subscribers);
            if (edge != null)
            {
                waitedFor.add(edge);
            }
            for (final FeedProcess subscriber : waitedFor)
            {
                while (!subscriber.readyWithin(Math.min(STEP_NANOS, deadline - System.nanoTime())))
                {
                    if (signal.signalled())
                    {
                        return interrupted(null, subscribers);
                    }
                    if (System.nanoTime() - deadline >= 0)
                    {
                        say(subscriber.name() + " did not start in time");
                        destroyChildren();
                        return FeedMain.EXIT_FAILURE;
                    }
                }
            }
            if (signal.signalled())
            {
                return interrupted(null, subscribers);
            }
            if (edge != null)
            {
                final Matcher url = DASHBOARD.matcher(edge.stderr());
                say("the gateway's dashboard: " + (url.find() ? "http://" + url.group(1) : "(address not found in " +
                    "its log)") + " (open it in a browser; it serves until " +
                    TimeUnit.NANOSECONDS.toSeconds(gatewayTimeNanos) + " s after the others have finished)");
            }

            say("publishing " + count + " ticks at " + rate + " ticks/s");
            final FeedProcess publisher = start("publisher", "publish", "--count", Long.toString(count),
                "--rate", Long.toString(rate), "--journal", journalDir.toString(), "--linger", "3s",
                "--channel", stream.channel, "--stream", Integer.toString(stream.streamId),
                "--replay-channel", replay.replayChannel, "--replay-stream", Integer.toString(replay.replayStreamId));
            // A snapshot of an empty journal is no snapshot: the joiner waits for a second of history (a third
            // of the run at most), however long a loaded host takes to start the publisher.
            if (!noLateJoiners && awaitHistory(publisher, Math.max(1, Math.min(count / 3, rate == 0 ? count : rate)),
                deadline))
            {
                say("starting a late joiner from a snapshot (--snapshot): the latest quote of each instrument, then live");
                lateJoiners.add(start("snapshot", "subscribe", "--name", "demo-snapshot", "--snapshot",
                    "--until-publisher-ends", "--duration", timeoutSeconds, "--offsets", journalDir.resolve("subscribers").toString(), "--channel", stream.channel, "--stream", Integer.toString(stream.streamId),
                    "--replay-channel", replay.replayChannel, "--replay-stream", Integer.toString(replay.replayStreamId)));
            }
            if (pauseNanos > 0 && !stopped.await(1, TimeUnit.SECONDS))
            {
                final FeedProcess lagging = subscribers.get(2);
                say("pausing subscriber-c (SIGSTOP) for " + pauseNanos / 1_000_000 + " ms");
                lagging.signal("STOP");
                stopped.await(pauseNanos, TimeUnit.NANOSECONDS);
                lagging.signal("CONT");
                if (!signal.signalled())
                {
                    say("resumed subscriber-c (SIGCONT): it pulls what it missed from the journal, then rejoins live");
                }
            }

            for (final FeedProcess child : children)
            {
                if (child != edge && !child.exitedWithin(deadline - System.nanoTime()))
                {
                    say(child.name() + " did not finish in time");
                    destroyChildren();
                    return FeedMain.EXIT_FAILURE;
                }
            }
            if (signal.signalled())
            {
                return interrupted(publisher, subscribers);
            }
            for (final FeedProcess child : children)
            {
                if (child != edge && !child.hasSummary())
                {
                    say(child.name() + " ended (exit " + child.exitCode() + ") without a summary line");
                    return FeedMain.EXIT_FAILURE;
                }
            }

            final long firstSeq = publisher.field("firstSeq");
            final long lastSeq = publisher.field("lastSeq");
            final String pubDigest = publisher.text("digest");
            final String journalDigest;
            final String journalBook;
            final List<String> afterSnapshot = new ArrayList<>();
            try (Journal j = Journal.openReadOnly(journalDir);
                JournalBook book = new JournalBook(j, SubscriberConfiguration.MAX_INSTRUMENTS, lastSeq, null))
            {
                journalDigest = QuoteDigest.toHex(j.digest(firstSeq, lastSeq));
                journalBook = QuoteDigest.toHex(book.readToEnd().book().digest());
                for (final FeedProcess joiner : lateJoiners)
                {
                    final long from = joiner.field("snapshotSeq") > 0 ? joiner.field("snapshotSeq") + 1 : firstSeq;
                    // A joiner whose JVM took the whole run to start has a snapshot as of the last sequence and
                    // nothing after it: the digest of no ticks, which is what the journal gives for an empty range.
                    afterSnapshot.add(QuoteDigest.toHex(j.digest(from, lastSeq)));
                }
            }

            System.out.println();
            System.out.printf("%-14s %9s %9s %9s %5s %9s %9s %18s %18s %10s %10s  %s%n", "process", "ticks", "firstSeq",
                "lastSeq", "gaps", "recovered", "dupsDrop", "digest", "book", "p50 us", "p99 us", "note");
            System.out.printf("%-14s %9d %9d %9d %5s %9s %9s %18s%n", "publisher", publisher.field("published"),
                firstSeq, lastSeq, "-", "-", "-", pubDigest);
            boolean allGood = publisher.exitCode() == 0 && publisher.field("published") == count;
            for (final FeedProcess sub : subscribers)
            {
                row(sub, "");
                allGood &= sub.exitCode() == 0 && sub.field("delivered") == count && pubDigest.equals(sub.text("digest")) &&
                    journalBook.equals(sub.text("bookDigest"));
            }
            for (int i = 0; i < lateJoiners.size(); i++)
            {
                final FeedProcess joiner = lateJoiners.get(i);
                final boolean snapshot = joiner.field("snapshotSeq") > 0;
                row(joiner, snapshot ?
                    "snapshot of " + joiner.field("snapshotInstruments") + " at " + joiner.field("snapshotSeq") +
                    ", then every tick" :
                    joiner.field("conflated") + " superseded ticks conflated, " + joiner.field("conflations") + " times");
                allGood &= joiner.exitCode() == 0 && Math.max(joiner.field("lastSeq"), joiner.field("snapshotSeq")) == lastSeq &&
                    journalBook.equals(joiner.text("bookDigest")) &&
                    (snapshot ? afterSnapshot.get(i).equals(joiner.text("digest")) :
                    joiner.field("delivered") + joiner.field("conflated") == count);
            }
            System.out.printf("%-14s %9d %9d %9d %5s %9s %9s %18s %18s%n", "journal", lastSeq - firstSeq + 1, firstSeq,
                lastSeq, "-", "-", "-", journalDigest, journalBook);
            allGood &= pubDigest.equals(journalDigest);
            System.out.println();
            steadyState(subscribers);
            if (latencyPlot != null)
            {
                HlogPlot.plot(latencyLogs, latencyPlot);
            }
            System.out.println();
            System.out.println(allGood ?
                "OK: every subscriber delivered every tick, in order, once; digests match the publisher and the journal; " +
                (lateJoiners.isEmpty() ? "" : "the snapshot joiner every tick after its snapshot, the conflating one the " +
                "latest of each instrument; ") + "every book is the journal's." :
                "FAILED: a subscriber's count, digest or book differs (see above).");
            if (edge != null)
            {
                say("the gateway serves the dashboard for " + TimeUnit.NANOSECONDS.toSeconds(gatewayTimeNanos) +
                    " s more (--gateway-time); Ctrl-C ends it sooner");
                // The gateway runs until told: stopped (SIGTERM) when its time is up or on a signal.
                stopped.await(gatewayTimeNanos, TimeUnit.NANOSECONDS);
                edge.stop();
                if (edge.exitedWithin(TimeUnit.SECONDS.toNanos(STOP_WAIT_SECONDS)) && edge.hasSummary())
                {
                    say("gateway: " + edge.field("accepted") + " connections, " + edge.field("eventsSent") +
                        " events sent, " + edge.field("conflated") + " conflated");
                }
            }
            System.out.println(new SummaryLine()
                .add("role", "demo")
                .add("ok", allGood)
                .add("published", publisher.field("published"))
                .add("subscribers", subscribers.size())
                .add("recovered", pauseNanos > 0 ? subscribers.get(2).field("recovered") : 0)
                .add("digest", pubDigest)
                .add("journalDigest", journalDigest)
                .add("bookDigest", journalBook)
                .add("lateJoiners", lateJoiners.size())
                .add("journal", journal == null && !keepJournal ? "(deleted)" : journalDir.toAbsolutePath().toString()));
            System.out.flush();
            return allGood ? FeedMain.EXIT_OK : FeedMain.EXIT_FAILURE;
        }
        finally
        {
            destroyChildren();
            if (journalDir != null && journal == null && !keepJournal)
            {
                deleteTree(journalDir);
                ExitCleanup.release(journalDir.toFile());
            }
        }
    }

    /**
     * Wait until the journal holds {@code ticks}, the publisher has ended, or the deadline.
     *
     * @return false when a signal came first.
     */
    private boolean awaitHistory(final FeedProcess publisher, final long ticks, final long deadline)
        throws InterruptedException
    {
        while (Journal.lastSequenceOf(journalDir) < ticks && publisher.isAlive() && System.nanoTime() - deadline < 0)
        {
            if (stopped.await(STEP_NANOS, TimeUnit.NANOSECONDS))
            {
                return false;
            }
        }
        return stopped.getCount() > 0;
    }

    /**
     * Stopped by SIGINT/SIGTERM: every part has been asked to stop (or never started); wait for them
     * (bounded), then print what they said and the demo's own summary line; the process exits 130/143.
     */
    private int interrupted(final FeedProcess publisher, final List<FeedProcess> subscribers) throws InterruptedException
    {
        announceStop();
        destroyChildren();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_WAIT_SECONDS);
        for (final FeedProcess child : children)
        {
            if (!child.exitedWithin(deadline - System.nanoTime()))
            {
                say(child.name() + " did not stop in " + STOP_WAIT_SECONDS + " s: killed");
            }
        }
        killChildren();
        long delivered = 0;
        for (final FeedProcess sub : subscribers)
        {
            delivered += sub.hasSummary() ? Math.max(0, sub.field("delivered")) : 0;
        }
        System.out.println(new SummaryLine()
            .add("role", "demo")
            .add("ok", false)
            .add("interrupted", Signals.name())
            .add("published", publisher != null && publisher.hasSummary() ? Math.max(0, publisher.field("published")) : 0)
            .add("subscribers", subscribers.size())
            .add("delivered", delivered)
            .add("journal", journalDir == null ? "(none)" : journal == null && !keepJournal ? "(deleted)" :
                journalDir.toAbsolutePath().toString()));
        System.out.flush();
        return FeedMain.EXIT_FAILURE;
    }

    /** Kill (SIGKILL) every part still running and remove the media driver directories they leave. */
    private void killChildren()
    {
        for (final FeedProcess child : children)
        {
            child.close();
        }
    }

    private static void row(final FeedProcess sub, final String note)
    {
        System.out.printf("%-14s %9d %9d %9d %5d %9d %9d %18s %18s %10.1f %10.1f  %s%n", sub.name(),
            sub.field("delivered"), sub.field("firstSeq"), sub.field("lastSeq"), sub.field("gapsDetected"),
            sub.field("recovered"), sub.field("duplicatesDropped"), sub.text("digest"), sub.text("bookDigest"),
            sub.field("p50") / 1000.0, sub.field("p99") / 1000.0, note);
    }

    /**
     * Latency without the warm-up, and what recovered ticks' age was: the table's p50/p99 cover every
     * live tick, the first seconds' JIT and page faults included, and a paused subscriber's recovered
     * ticks are history (their age), not latency.
     */
    private static void steadyState(final List<FeedProcess> subscribers)
    {
        for (final FeedProcess sub : subscribers)
        {
            final SummaryJson summary = sub.summaryJson();
            final SummaryJson steady = summary.object("steadyLatencyNs");
            final SummaryJson age = summary.object("recoveredAgeNs");
            System.out.printf(java.util.Locale.ROOT, "steady state %-14s p50 %.1f us  p99 %.1f us  p99.9 %.1f us  " +
                "max %.1f us  (%d live ticks after the first %d ms)%s%n", sub.name(),
                steady.number("p50", 0) / 1000.0, steady.number("p99", 0) / 1000.0, steady.number("p999", 0) / 1000.0,
                steady.number("max", 0) / 1000.0, steady.number("count", 0), summary.number("warmupMs", 0),
                age.number("count", 0) == 0 ? "" : String.format(java.util.Locale.ROOT,
                "; %d recovered ticks were %.1f ms old at delivery (p50; max %.1f ms)", age.number("count", 0),
                age.number("p50", 0) / 1e6, age.number("max", 0) / 1e6));
        }
    }

    private static void deleteTree(final Path dir)
    {
        try (var paths = Files.walk(dir))
        {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // a temporary directory left behind is harmless
        }
    }

    /** A part of the demo: its output printed under its name, its summary kept. */
    private FeedProcess start(final String name, final String... args) throws IOException
    {
        final FeedProcess child = FeedProcess.start(launcher, name, args);
        children.add(child);
        if (stopped.getCount() == 0)
        {
            child.stop(); // the signal came while it was starting
        }
        return child;
    }

    /**
     * Each part in a session of its own ({@code setsid}, which execs it: same PID), so a terminal's
     * Ctrl-C reaches the demo alone, and the demo stops each part with one signal: a part that got the
     * terminal's SIGINT and then the demo's SIGTERM would take the second as "exit now", without its
     * summary.
     */
    private static FeedProcess.Launcher inSessionOfItsOwn(final FeedProcess.Launcher launcher)
    {
        final Path setsid = Path.of("/usr/bin/setsid");
        if (!Files.isExecutable(setsid))
        {
            return launcher;
        }
        final List<String> command = new ArrayList<>();
        command.add(setsid.toString());
        command.addAll(launcher.command());
        return new FeedProcess.Launcher(List.copyOf(command), launcher.javaOpts());
    }

    private void destroyChildren()
    {
        children.forEach(FeedProcess::stop);
    }

    private void announceStop()
    {
        if (stopAnnounced.compareAndSet(false, true))
        {
            say("stopped by " + Signals.name() + ": stopping every part");
        }
    }

    private static void say(final String message)
    {
        System.out.println("[demo] " + message);
        System.out.flush();
    }
}
