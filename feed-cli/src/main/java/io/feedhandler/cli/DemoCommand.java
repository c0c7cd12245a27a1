package io.feedhandler.cli;

import io.feedhandler.replay.ReplayConfiguration;
import io.feedhandler.transport.TransportConfiguration;
import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.journal.Journal;
import io.feedhandler.transport.FeedChannels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Run the whole feed on this host, each part a separate process on the multicast channel: two",
        "subscribers, a third that is paused (SIGSTOP) while the publisher runs and recovers what it missed",
        "from the journal, and the publisher. Prints every summary and checks that each subscriber delivered",
        "every tick with the publisher's digest and the journal's. Exit 0 when all agree, 1 otherwise."})
final class DemoCommand implements Callable<Integer>
{
    @Option(names = "--count", paramLabel = "N", description = "Ticks to publish (default: ${DEFAULT-VALUE}).")
    long count = 250_000;

    @Option(names = "--pause", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "3s",
        description = "How long the lagging subscriber is paused; 0 = no lagging subscriber (default: ${DEFAULT-VALUE}).")
    long pauseNanos;

    @Option(names = "--rate", paramLabel = "TICKS_PER_S",
        description = "Publish rate; the default leaves room on a 2-core host for four JVMs, each with its own " +
            "media driver (default: ${DEFAULT-VALUE}).")
    long rate = 50_000;

    @Option(names = "--channel", paramLabel = "URI", description = "Live channel (default: ${DEFAULT-VALUE}).")
    String channel = TransportConfiguration.CHANNEL;

    @Option(names = "--stream", paramLabel = "ID", description = "Stream id (default: ${DEFAULT-VALUE}).")
    int streamId = TransportConfiguration.STREAM_ID;

    @Option(names = "--replay-channel", paramLabel = "URI",
        description = "Replay server's request channel (default: ${DEFAULT-VALUE}).")
    String replayChannel = io.feedhandler.replay.ReplayConfiguration.CHANNEL;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (default: a new temporary one).")
    Path journal;

    @Option(names = "--timeout", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "120s",
        description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    long timeoutNanos;

    @Option(names = "--keep-journal", description = "Keep the temporary journal after the demo (it is deleted by default).")
    boolean keepJournal;

    @picocli.CommandLine.Mixin
    ConfigOptions config;

    private final List<Child> children = new ArrayList<>();

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
        FeedChannels.validate("--channel", channel);
        final Path journalDir = journal != null ? journal : Files.createTempDirectory("feed-demo-");
        final long deadline = System.nanoTime() + timeoutNanos;
        final String timeoutSeconds = (timeoutNanos / 1_000_000_000L) + "s";

        try (ShutdownSignal signal = new ShutdownSignal())
        {
            signal.onSignal(this::destroyChildren);
            say("journal " + journalDir.toAbsolutePath() + ", channel " + channel + " stream " + streamId);

            final List<Child> subscribers = new ArrayList<>();
            for (final String name : pauseNanos > 0 ? List.of("a", "b", "c") : List.of("a", "b"))
            {
                subscribers.add(start("subscriber-" + name, "subscribe", "--name", "demo-" + name,
                    "--count", Long.toString(count), "--duration", timeoutSeconds,
                    "--offsets", journalDir.resolve("subscribers").toString(), "--stale-timeout", "1s",
                    "--channel", channel, "--stream", Integer.toString(streamId),
                    "--replay-channel", replayChannel));
            }
            for (final Child subscriber : subscribers)
            {
                if (!subscriber.awaitReady(deadline))
                {
                    say("subscribers did not start in time");
                    destroyChildren();
                    return FeedMain.EXIT_FAILURE;
                }
            }

            say("publishing " + count + " ticks at " + rate + " ticks/s");
            final Child publisher = start("publisher", "publish", "--count", Long.toString(count),
                "--rate", Long.toString(rate), "--journal", journalDir.toString(), "--linger", "3s",
                "--channel", channel, "--stream", Integer.toString(streamId), "--replay-channel", replayChannel);
            if (pauseNanos > 0)
            {
                final Child lagging = subscribers.get(2);
                Thread.sleep(1_000);
                say("pausing subscriber-c (SIGSTOP) for " + pauseNanos / 1_000_000 + " ms");
                signal(lagging, "STOP");
                Thread.sleep(pauseNanos / 1_000_000);
                signal(lagging, "CONT");
                say("resumed subscriber-c (SIGCONT): it pulls what it missed from the journal, then rejoins live");
            }

            for (final Child child : children)
            {
                if (!child.awaitExit(deadline))
                {
                    say(child.name + " did not finish in time");
                    destroyChildren();
                    return FeedMain.EXIT_FAILURE;
                }
            }

            final String pubSummary = publisher.summary();
            final long firstSeq = field(pubSummary, "firstSeq");
            final long lastSeq = field(pubSummary, "lastSeq");
            final String pubDigest = text(pubSummary, "digest");
            final String journalDigest;
            try (Journal j = Journal.openReadOnly(journalDir))
            {
                journalDigest = QuoteDigest.toHex(j.digest(firstSeq, lastSeq));
            }

            System.out.println();
            System.out.printf("%-14s %9s %9s %9s %5s %9s %9s %18s %10s %10s%n",
                "process", "ticks", "firstSeq", "lastSeq", "gaps", "recovered", "dupsDrop", "digest", "p50 us", "p99 us");
            System.out.printf("%-14s %9d %9d %9d %5s %9s %9s %18s%n", "publisher", field(pubSummary, "published"),
                firstSeq, lastSeq, "-", "-", "-", pubDigest);
            boolean allGood = publisher.exitCode() == 0 && field(pubSummary, "published") == count;
            for (final Child sub : subscribers)
            {
                final String s = sub.summary();
                System.out.printf("%-14s %9d %9d %9d %5d %9d %9d %18s %10.1f %10.1f%n", sub.name, field(s, "delivered"),
                    field(s, "firstSeq"), field(s, "lastSeq"), field(s, "gapsDetected"), field(s, "recovered"),
                    field(s, "duplicatesDropped"), text(s, "digest"), field(s, "p50") / 1000.0, field(s, "p99") / 1000.0);
                allGood &= sub.exitCode() == 0 && field(s, "delivered") == count && pubDigest.equals(text(s, "digest"));
            }
            System.out.printf("%-14s %9d %9d %9d %5s %9s %9s %18s%n", "journal", lastSeq - firstSeq + 1, firstSeq,
                lastSeq, "-", "-", "-", journalDigest);
            allGood &= pubDigest.equals(journalDigest);
            System.out.println();
            System.out.println(allGood ?
                "OK: every subscriber delivered every tick, in order, once; digests match the publisher and the journal." :
                "FAILED: a subscriber's count or digest differs from the publisher's (see above).");
            System.out.println(new SummaryLine()
                .add("role", "demo")
                .add("ok", allGood)
                .add("published", field(pubSummary, "published"))
                .add("subscribers", subscribers.size())
                .add("recovered", pauseNanos > 0 ? field(subscribers.get(2).summary(), "recovered") : 0)
                .add("digest", pubDigest)
                .add("journalDigest", journalDigest)
                .add("journal", journal == null && !keepJournal ? "(deleted)" : journalDir.toAbsolutePath().toString()));
            System.out.flush();
            return allGood ? FeedMain.EXIT_OK : FeedMain.EXIT_FAILURE;
        }
        finally
        {
            destroyChildren();
            if (journal == null && !keepJournal)
            {
                deleteTree(journalDir);
            }
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

    private Child start(final String name, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FeedMain.class.getName());
        command.addAll(List.of(args));
        final Child child = new Child(name, new ProcessBuilder(command).start());
        children.add(child);
        return child;
    }

    private static void signal(final Child child, final String signal) throws IOException, InterruptedException
    {
        new ProcessBuilder("kill", "-" + signal, Long.toString(child.process.pid())).inheritIO().start()
            .waitFor(10, TimeUnit.SECONDS);
    }

    private void destroyChildren()
    {
        for (final Child child : children)
        {
            if (child.process.isAlive())
            {
                child.process.destroy();
                try
                {
                    signal(child, "CONT"); // a stopped process cannot act on SIGTERM
                }
                catch (final IOException | InterruptedException ignored)
                {
                    // best effort
                }
            }
        }
    }

    private static void say(final String message)
    {
        System.out.println("[demo] " + message);
        System.out.flush();
    }

    static long field(final String json, final String key)
    {
        final Matcher m = Pattern.compile("\"" + key + "\":(-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static String text(final String json, final String key)
    {
        final Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    /** A process of the demo: stderr forwarded with its name, stdout kept for its summary line. */
    private static final class Child
    {
        final String name;
        final Process process;
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch outputDone = new CountDownLatch(2);
        volatile String lastStdoutLine = "";

        Child(final String name, final Process process)
        {
            this.name = name;
            this.process = process;
            pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false);
            pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true);
        }

        private void pump(final BufferedReader reader, final boolean stdout)
        {
            final Thread thread = new Thread(() ->
            {
                try (reader)
                {
                    String line;
                    while ((line = reader.readLine()) != null)
                    {
                        if (stdout)
                        {
                            lastStdoutLine = line;
                            System.out.println("[" + name + "] " + line);
                        }
                        else
                        {
                            if (line.contains(SubscribeCommand.READY))
                            {
                                ready.countDown();
                            }
                            System.err.println("[" + name + "] " + line);
                        }
                    }
                }
                catch (final IOException ignored)
                {
                    // the process went away; what it printed is what we have
                }
                finally
                {
                    outputDone.countDown();
                }
            }, "demo-" + name + (stdout ? "-out" : "-err"));
            thread.setDaemon(true);
            thread.start();
        }

        boolean awaitReady(final long deadline) throws InterruptedException
        {
            return ready.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        boolean awaitExit(final long deadline) throws InterruptedException
        {
            return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) &&
                outputDone.await(5, TimeUnit.SECONDS);
        }

        int exitCode()
        {
            return process.exitValue();
        }

        String summary()
        {
            return lastStdoutLine;
        }
    }
}
