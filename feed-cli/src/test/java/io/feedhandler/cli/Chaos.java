package io.feedhandler.cli;

import io.feedhandler.cli.ChaosPart.Role;
import io.feedhandler.codecs.SummaryJson;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.SubscriberOffset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The chaos soak ({@code scripts/chaos}): on a lab of five hosts, a publisher and a standalone replay
 * server (h1, the journal on a small disk of its own), an anonymous subscriber (h2), a durable one (h3)
 * and one started {@code --from-seq} (h4) run for a given time while a seeded schedule injects one
 * fault after another, every kind in turn in a shuffled order: a process paused or killed and started
 * again (publisher included), a host's link down, throttled or partitioned off, garbage datagrams (from
 * h5), the journal's disk full. After each fault is healed, the soak waits until every subscriber has
 * caught up with the journal as it was then: a recovery, timed.
 * <p>
 * The invariant is checked all the time, not only at the end: each subscriber incarnation's status line
 * carries the digest of what it delivered from its first sequence to a recent checkpoint, and it must
 * equal the journal's digest of the same range (so no gap, no duplicate, nothing misread); a durable
 * subscriber's next incarnation must start right after its stored offset, a {@code --from-seq} one at
 * its sequence; no subscriber counts anything lost. At the end the publisher stops, every subscriber
 * must reach the journal's last tick and its summary must match the journal over its whole range, and
 * the journal must verify. The first violation ends the run; the report names it and the seed.
 */
final class Chaos
{
    static final String USAGE = "usage: scripts/chaos --minutes N [--seed S] [--rate TICKS_PER_S] [--dir DIR]";
    private static final String JAVA_OPTS = "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private static final String GROUP = "239.255.95.1";
    private static final int LIVE_PORT = 41500;
    private static final int REPLAY_PORT = 41503;
    private static final int STREAM = 9501;
    private static final int PUBLISHER_HOST = 1;
    private static final int GARBAGE_HOST = 5;
    private static final long MIN_FREE_DISK_BYTES = 32L << 20;
    /** How long after a heal every subscriber must have caught up before it counts as slow. */
    private static final long RECOVERY_LIMIT_MS = 120_000;
    /** How long a subscriber may report a checkpoint the journal does not hold before it is a violation. */
    private static final long JOURNAL_LAG_LIMIT_MS = 15_000;
    private static final long START_TIMEOUT_S = 180;
    private static final long CHECK_INTERVAL_MS = 500;

    private final double minutes;
    private final int rate;
    private final Path dir;
    private final SplittableRandom random;
    private final ChaosReport report;
    private final List<ChaosPart> parts = new ArrayList<>();
    private final List<ChaosFault> round = new ArrayList<>();
    private NetLab lab;
    private Path disk;
    private Path journalDir;
    private Journal journal;
    private long diskBytes;
    private boolean mounted;
    private byte[] journalId;

    Chaos(final double minutes, final long seed, final int rate, final Path dir)
    {
        this.minutes = minutes;
        this.rate = rate;
        this.dir = dir;
        this.random = new SplittableRandom(seed);
        this.report = new ChaosReport(seed, "lab of 5 hosts (h1 publisher `--no-replay-server --on-journal-full stop` " +
            "and standalone `feed replay-server`, journal on a tmpfs of its own; h2 anonymous subscriber, h3 durable " +
            "`--name`, h4 `--from-seq`; h5 sends garbage), multicast " + GROUP + ":" + LIVE_PORT + ", " + rate +
            " ticks/s, every JVM `" + JAVA_OPTS + "`, subscribers `--stale-timeout 1s`");
    }

    public static void main(final String[] args) throws Exception
    {
        double minutes = 0;
        long seed = System.nanoTime() & 0xFFFF_FFFFL;
        int rate = 2_000;
        Path dir = null;
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                final String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i])
                {
                    case "--minutes" -> minutes = number(args[i], value);
                    case "--seed" -> seed = whole(args[i], value);
                    case "--rate" ->
                        rate = (int)Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, whole(args[i], value)));
                    case "--dir" -> dir = Path.of(need(args[i], value));
                    case "-h", "--help" ->
                    {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
                i++;
            }
            if (!(minutes > 0))
            {
                throw new IllegalArgumentException(minutes == 0 ? "--minutes is required" : "bad --minutes " + minutes);
            }
            if (rate <= 0 || rate > 20_000)
            {
                throw new IllegalArgumentException("bad --rate " + rate + " (1 to 20000 ticks/s)");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("chaos: " + ex.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        final String unavailable = NetLab.unavailable();
        if (unavailable != null)
        {
            System.err.println("chaos: " + unavailable);
            System.exit(3);
            return;
        }
        if (dir == null)
        {
            dir = Files.createTempDirectory("chaos-");
        }
        else if (Files.isDirectory(dir) && !isEmpty(dir))
        {
            System.err.println("chaos: bad --dir '" + dir + "': not empty (a run keeps its logs, offsets and report there)");
            System.exit(2);
            return;
        }
        final Chaos chaos = new Chaos(minutes, seed, rate, dir);
        final ChaosReport report = chaos.run();
        System.exit(report.violation() == null ? 0 : 1);
    }

    private static boolean isEmpty(final Path dir) throws IOException
    {
        try (var entries = Files.list(dir))
        {
            return entries.findAny().isEmpty();
        }
    }

    private static double number(final String option, final String value)
    {
        try
        {
            return Double.parseDouble(need(option, value));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad " + option + " '" + value + "': not a number");
        }
    }

    private static long whole(final String option, final String value)
    {
        try
        {
            return Long.parseLong(need(option, value));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad " + option + " '" + value + "': not a whole number");
        }
    }

    private static String need(final String option, final String value)
    {
        if (value == null)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    /** Run the soak; the report is printed on stdout and written to {@code DIR/chaos-report.md}. */
    ChaosReport run() throws IOException, InterruptedException
    {
        final Thread cleanup = new Thread(this::cleanUp, "chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        log("seed " + report.seed() + ", " + minutes + " min, " + rate + " ticks/s, in " + dir);
        try
        {
            setUp();
            final long end = System.nanoTime() + (long)(minutes * 60e9);
            while (System.nanoTime() < end || !round.isEmpty()) // every round whole: each kind as often
            {
                inject(nextFault());
                pause(random.nextLong(500, 2_000));
            }
            report.faultPhaseEnded();
            finish();
        }
        catch (final Violation ex)
        {
            report.faultPhaseEnded();
            report.violation(ex.getMessage());
        }
        catch (final Exception ex)
        {
            report.faultPhaseEnded();
            report.violation("the soak itself failed: " + ex);
            ex.printStackTrace();
        }
        finally
        {
            cleanUp();
            try
            {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
            catch (final IllegalStateException ignored)
            {
                // shutting down: the hook runs it
            }
        }
        final String text = report.render();
        System.out.println(text);
        Files.writeString(dir.resolve("chaos-report.md"), text);
        if (report.violation() != null)
        {
            System.err.println("chaos: FAILED with seed " + report.seed() + ": " + report.violation() +
                " (logs in " + dir + ")");
        }
        return report;
    }

    // ---------------------------------------------------------------- set-up and end

    private void setUp() throws IOException, InterruptedException
    {
        Files.createDirectories(dir.resolve("logs"));
        disk = Files.createDirectories(dir.resolve("disk"));
        // Room for the run's journal (about 80 bytes a tick on disk) and the fill fault's margin.
        diskBytes = Math.max(256L << 20, (long)(rate * minutes * 60 * 80 * 1.5) + (128L << 20));
        if (command(60, "mount", "-t", "tmpfs", "-o", "size=" + diskBytes / 1024 + "k", "tmpfs", disk.toString()) != 0)
        {
            throw new IllegalStateException("could not mount a tmpfs for the journal at " + disk);
        }
        mounted = true;
        journalDir = disk.resolve("journal");
        lab = NetLab.up(5);
        log("lab " + lab.name() + ", disk " + (diskBytes >> 20) + " MiB at " + disk);

        final ChaosPart publisher = new ChaosPart("publisher", PUBLISHER_HOST, Role.PUBLISHER);
        final ChaosPart server = new ChaosPart("replay-server", PUBLISHER_HOST, Role.REPLAY_SERVER);
        final ChaosPart live = new ChaosPart("anonymous", 2, Role.ANONYMOUS);
        final ChaosPart durable = new ChaosPart("durable", 3, Role.DURABLE);
        final ChaosPart fromSeq = new ChaosPart("from-seq", 4, Role.FROM_SEQ);
        parts.addAll(List.of(publisher, server, live, durable, fromSeq));

        start(live);
        start(durable);
        start(publisher);
        awaitJournal();
        journal = Journal.openReadOnly(journalDir);
        journalId = Files.readAllBytes(journalDir.resolve("journal.id"));
        start(server);
        awaitState(() -> journal.lastSequence() >= 2_000, 120, "the publisher to journal 2,000 ticks");
        fromSeq.nextFromSeq = 1;
        start(fromSeq);
        awaitCaughtUp(journal.lastSequence(), RECOVERY_LIMIT_MS, "start-up");
        log("all up, journal at " + journal.lastSequence());
    }

    /** Stop the publisher, let every subscriber reach its last tick, then compare each summary with the journal. */
    private void finish() throws Exception
    {
        final ChaosPart publisher = part(Role.PUBLISHER);
        publisher.process.stop();
        publisher.process.awaitExit(120);
        publisher.ended = true;
        final long last = journal.lastSequence();
        report.journalLast(last);
        log("publisher stopped at " + last + ": " + publisher.process.summary());
        if (!awaitCaughtUp(last, RECOVERY_LIMIT_MS, "the end"))
        {
            throw new Violation("at the end, not every subscriber delivered up to the journal's last tick " + last +
                ": " + positions());
        }
        for (final ChaosPart part : parts)
        {
            if (part.role.subscriber())
            {
                check(part);
                part.process.stop();
                part.process.awaitExit(120);
                checkSummary(part, last);
            }
        }
        final ChaosPart server = part(Role.REPLAY_SERVER);
        server.process.stop();
        server.process.awaitExit(60);
        journal.close();
        journal = null;
        final FeedProcess verify = FeedScript.run(300, "journal", "verify", "--journal", journalDir.toString());
        if (verify.exitCode() != 0)
        {
            throw new Violation("journal verify failed (" + verify.exitCode() + "): " + verify.stderr().strip());
        }
        report.endCheckPassed();
        report.note("journal verify: " + verify.summary());
    }

    private void checkSummary(final ChaosPart part, final long last)
    {
        final String line = part.process.summary();
        final SummaryJson summary;
        try
        {
            summary = SummaryJson.parse(line);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new Violation(part.label() + " ended with no summary line: " + line);
        }
        final long first = summary.number("firstSeq", -1);
        final long lastSeq = summary.number("lastSeq", -1);
        final long delivered = summary.number("delivered", -1);
        final long lost = summary.number("lost", -1);
        if (lastSeq != last || lost != 0 || delivered != lastSeq - first + 1)
        {
            throw new Violation(part.label() + " ended with firstSeq " + first + ", lastSeq " + lastSeq + ", delivered " +
                delivered + ", lost " + lost + "; the journal ends at " + last + ": " + line);
        }
        try (Journal reader = Journal.openReadOnly(journalDir))
        {
            final String expected = io.feedhandler.codecs.QuoteDigest.toHex(reader.digest(first, lastSeq));
            if (!expected.equals(summary.text("digest", "")))
            {
                throw new Violation(part.label() + " summary digest " + summary.text("digest", "") + " over " + first +
                    ".." + lastSeq + ", the journal's " + expected);
            }
        }
        report.endCheckPassed();
        report.note(part.label() + ": " + first + ".." + lastSeq + ", recovered " + summary.number("recovered", 0) +
            ", duplicates dropped " + summary.number("duplicatesDropped", 0) + ", gaps " +
            summary.number("gapsDetected", 0) + ", malformed " + summary.number("malformed", 0) + ", digest " +
            summary.text("digest", "") + " = journal's");
    }

    private void cleanUp()
    {
        synchronized (parts)
        {
            for (final ChaosPart part : parts)
            {
                if (part.process != null)
                {
                    part.process.close();
                    part.saveLog(dir);
                    part.process = null;
                }
                if (part.range != null)
                {
                    part.range.close();
                    part.range = null;
                }
            }
            if (journal != null)
            {
                journal.close();
                journal = null;
            }
            if (lab != null)
            {
                lab.close();
                lab = null;
            }
            if (mounted)
            {
                try
                {
                    if (command(60, "umount", disk.toString()) != 0)
                    {
                        command(60, "umount", "-l", disk.toString());
                    }
                }
                catch (final IOException | InterruptedException ex)
                {
                    System.err.println("chaos: could not unmount " + disk + ": " + ex);
                }
                mounted = false;
            }
        }
    }

    // ---------------------------------------------------------------- faults

    private ChaosFault nextFault()
    {
        if (round.isEmpty())
        {
            round.addAll(Arrays.asList(ChaosFault.values()));
            for (int i = round.size() - 1; i > 0; i--) // Fisher-Yates, from the seeded generator
            {
                final int j = random.nextInt(i + 1);
                round.set(i, round.set(j, round.get(i)));
            }
        }
        return round.remove(round.size() - 1);
    }

    private void inject(final ChaosFault fault) throws IOException, InterruptedException
    {
        final String what;
        switch (fault)
        {
            case STOP ->
            {
                final ChaosPart part = parts.get(random.nextInt(parts.size()));
                final long hold = random.nextLong(500, 5_000);
                what = "pause " + part.name + " " + hold + " ms";
                begin(fault, part.name, what);
                part.process.signal("STOP");
                pause(hold);
                part.process.signal("CONT");
            }
            case KILL ->
            {
                final ChaosPart part = parts.get(random.nextInt(parts.size()));
                what = "kill " + part.name;
                begin(fault, part.name, what);
                kill(part);
                restart(part);
            }
            case LINK_DOWN -> what = switchPort(fault, "link down", host -> lab.link(host, false),
                host -> lab.link(host, true));
            case THROTTLE ->
            {
                final int host = random.nextInt(1, 5);
                final String limit = List.of("256kbit", "512kbit", "1mbit").get(random.nextInt(3));
                final long hold = random.nextLong(2_000, 8_000);
                what = "throttle h" + host + " to " + limit + " " + hold + " ms";
                begin(fault, "h" + host, what);
                lab.throttle(host, limit);
                pause(hold);
                lab.throttle(host, "off");
            }
            case PARTITION -> what = switchPort(fault, "partition", host -> lab.partition(host, true),
                host -> lab.partition(host, false));
            case GARBAGE ->
            {
                final int datagrams = random.nextInt(50, 300);
                what = datagrams + " garbage datagrams to the live stream and the replay server";
                begin(fault, "h" + GARBAGE_HOST, what);
                sendGarbage(datagrams);
            }
            case DISK_FULL ->
            {
                final long hold = random.nextLong(1_000, 5_000);
                what = "journal disk full " + hold + " ms";
                begin(fault, "disk", what);
                fillDisk();
                pause(hold);
                freeDisk();
            }
            default -> throw new IllegalStateException(fault.name());
        }
        final long head = journal.lastSequence();
        final long healed = System.nanoTime();
        if (awaitCaughtUp(head, RECOVERY_LIMIT_MS, what))
        {
            final long ms = (System.nanoTime() - healed) / 1_000_000;
            report.recovered(fault, what, ms);
            log("  healed; every subscriber past " + head + " after " + ms + " ms");
        }
        else
        {
            report.slowRecovery(what + " (head " + head + ": " + positions() + ")", RECOVERY_LIMIT_MS);
            log("  not caught up in " + RECOVERY_LIMIT_MS + " ms: " + positions());
        }
    }

    /** A fault at a host's switch port (h1..h4), held 0.5 to 5 s. */
    private String switchPort(final ChaosFault fault, final String verb, final PortAction make, final PortAction heal)
        throws IOException, InterruptedException
    {
        final int host = random.nextInt(1, 5);
        final long hold = random.nextLong(500, 5_000);
        final String what = verb + " h" + host + " " + hold + " ms";
        begin(fault, "h" + host, what);
        make.apply(host);
        pause(hold);
        heal.apply(host);
        return what;
    }

    private interface PortAction
    {
        void apply(int host) throws IOException;
    }

    private void begin(final ChaosFault fault, final String target, final String what)
    {
        report.injected(fault, target);
        log(fault + " #" + report.count(fault) + ": " + what + " (journal at " + journal.lastSequence() + ")");
    }

    private void kill(final ChaosPart part) throws IOException, InterruptedException
    {
        part.process.close(); // SIGKILL by its pid, then its media driver's folder is removed
        part.saveLog(dir);
        switch (part.role)
        {
            case DURABLE ->
            {
                try (SubscriberOffset offset = SubscriberOffset.open(dir.resolve("offsets"), part.name))
                {
                    final long stored = offset.lastDelivered();
                    if (stored < part.verifiedTo)
                    {
                        throw new Violation(part.label() + " was checked up to " + part.verifiedTo + " but its stored " +
                            "offset is " + stored);
                    }
                    part.expectedFirst = stored == 0 ? 0 : stored + 1;
                }
            }
            case FROM_SEQ ->
            {
                final long head = journal.lastSequence();
                part.nextFromSeq = Math.max(1, head - random.nextLong(0, 20_000));
            }
            case PUBLISHER -> part.journalLastAtKill = journal.lastSequence();
            default ->
            {
            }
        }
    }

    private void restart(final ChaosPart part) throws IOException, InterruptedException
    {
        start(part);
        if (part.role == Role.PUBLISHER)
        {
            final long before = part.journalLastAtKill;
            awaitState(() -> journal.lastSequence() > before, START_TIMEOUT_S,
                "the restarted publisher to journal past " + before);
            if (!Arrays.equals(journalId, Files.readAllBytes(journalDir.resolve("journal.id"))))
            {
                throw new Violation("the restarted publisher changed journal.id (the stream's epoch)");
            }
        }
    }

    private void sendGarbage(final int datagrams) throws IOException, InterruptedException
    {
        final Path garbage = Files.createDirectories(dir.resolve("garbage"));
        try (var old = Files.list(garbage))
        {
            for (final Path file : (Iterable<Path>)old::iterator)
            {
                Files.delete(file);
            }
        }
        for (int i = 0; i < datagrams; i++)
        {
            final byte[] bytes = new byte[random.nextInt(1, 1_400)];
            for (int b = 0; b < bytes.length; b++)
            {
                bytes[b] = (byte)random.nextInt(256);
            }
            if (i % 4 == 0 && bytes.length >= 32)
            {
                // An Aeron data frame header for the feed's stream: past the driver's first checks.
                final ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                header.putInt(0, bytes.length).put(4, (byte)0).put(5, (byte)0xC0).putShort(6, (short)1)
                    .putInt(16, STREAM);
            }
            Files.write(garbage.resolve(String.format("%04d", i)), bytes);
        }
        final String script = "for f in " + garbage + "/*; do cat \"$f\" > /dev/udp/" + GROUP + "/" + LIVE_PORT +
            "; cat \"$f\" > /dev/udp/" + NetLab.ip(PUBLISHER_HOST) + "/" + REPLAY_PORT + "; done 2>/dev/null; true";
        command(120, "bash", NetLab.SCRIPT.toString(), "exec", lab.name(), "h" + GARBAGE_HOST, "bash", "-c", script);
    }

    private void fillDisk() throws IOException, InterruptedException
    {
        final FileStore store = Files.getFileStore(disk);
        final long used = store.getTotalSpace() - store.getUnallocatedSpace();
        final long size = used + MIN_FREE_DISK_BYTES / 2;
        if (command(60, "mount", "-o", "remount,size=" + (size + 1023) / 1024 + "k", disk.toString()) != 0)
        {
            throw new IllegalStateException("could not shrink the journal's tmpfs to " + size + " bytes");
        }
    }

    private void freeDisk() throws IOException, InterruptedException
    {
        if (command(60, "mount", "-o", "remount,size=" + diskBytes / 1024 + "k", disk.toString()) != 0)
        {
            throw new IllegalStateException("could not grow the journal's tmpfs back");
        }
    }

    // ---------------------------------------------------------------- processes

    private ChaosPart part(final Role role)
    {
        return parts.stream().filter(p -> p.role == role).findFirst().orElseThrow();
    }

    private void start(final ChaosPart part) throws IOException, InterruptedException
    {
        part.incarnation++;
        if (part.range != null)
        {
            part.range.close();
            part.range = null;
        }
        part.verifiedTo = 0;
        part.lagSinceNanos = 0;
        if (part.role == Role.FROM_SEQ)
        {
            part.expectedFirst = part.nextFromSeq;
        }
        final FeedProcess process;
        synchronized (parts)
        {
            process = lab.feed(part.host, JAVA_OPTS, arguments(part));
            part.process = process;
        }
        switch (part.role)
        {
            case PUBLISHER -> process.awaitLog("publishing on", START_TIMEOUT_S);
            case REPLAY_SERVER -> process.awaitLog("replay server for journal", START_TIMEOUT_S);
            default -> process.awaitReady(START_TIMEOUT_S);
        }
    }

    private String[] arguments(final ChaosPart part)
    {
        final String channel = "aeron:udp?endpoint=" + GROUP + ":" + LIVE_PORT + "|interface=" + NetLab.ip(part.host);
        final String replay = "aeron:udp?endpoint=" + NetLab.ip(PUBLISHER_HOST) + ":" + REPLAY_PORT;
        final List<String> args = new ArrayList<>();
        switch (part.role)
        {
            case PUBLISHER -> args.addAll(List.of("publish", "--journal", journalDir.toString(), "--rate",
                Integer.toString(rate), "--channel", channel, "--stream", Integer.toString(STREAM), "--no-replay-server",
                "--on-journal-full", "stop", "--min-free-disk", (MIN_FREE_DISK_BYTES >> 20) + "m",
                "--heartbeat-interval", "200ms", "--linger", "2s", "--status-interval", "1s"));
            case REPLAY_SERVER -> args.addAll(List.of("replay-server", "--journal", journalDir.toString(),
                "--replay-channel", replay));
            default ->
            {
                args.addAll(List.of("subscribe", "--channel", channel, "--stream", Integer.toString(STREAM),
                    "--replay-channel", replay, "--replay-response-channel",
                    "aeron:udp?endpoint=" + NetLab.ip(part.host) + ":0", "--stale-timeout", "1s",
                    "--status-interval", "500ms"));
                if (part.role == Role.DURABLE)
                {
                    args.addAll(List.of("--name", part.name, "--offsets", dir.resolve("offsets").toString()));
                }
                if (part.role == Role.FROM_SEQ)
                {
                    args.addAll(List.of("--from-seq", Long.toString(part.nextFromSeq)));
                }
            }
        }
        return args.toArray(String[]::new);
    }

    // ---------------------------------------------------------------- the invariant

    /** Compare every running subscriber's latest checkpoint with the journal. */
    private void checkAll()
    {
        for (final ChaosPart part : parts)
        {
            if (part.role.subscriber())
            {
                check(part);
            }
        }
    }

    private void check(final ChaosPart part)
    {
        final Map<String, String> status = part.status();
        if (status == null)
        {
            return;
        }
        final long first = ChaosPart.number(status, "firstSeq");
        final long lost = ChaosPart.number(status, "lost");
        if (lost != 0)
        {
            throw new Violation(part.label() + " counts " + lost + " ticks lost: " + status);
        }
        if (first == 0)
        {
            return;
        }
        if (part.range == null)
        {
            if (part.expectedFirst != 0 && first != part.expectedFirst)
            {
                throw new Violation(part.label() + " started at sequence " + first + ", expected " + part.expectedFirst +
                    (part.role == Role.DURABLE ? " (right after its stored offset)" : " (its --from-seq)"));
            }
            part.range = new ChaosJournal(journal, first);
        }
        final long checkpoint = ChaosPart.number(status, "checkpointSeq");
        if (checkpoint <= part.verifiedTo || checkpoint < first)
        {
            return;
        }
        final String expected;
        try
        {
            expected = part.range.digestTo(checkpoint);
        }
        catch (final IllegalStateException ex)
        {
            throw new Violation("the journal is not contiguous: " + ex.getMessage());
        }
        if (expected == null)
        {
            if (part.lagSinceNanos == 0)
            {
                part.lagSinceNanos = System.nanoTime();
            }
            else if (System.nanoTime() - part.lagSinceNanos > TimeUnit.MILLISECONDS.toNanos(JOURNAL_LAG_LIMIT_MS))
            {
                throw new Violation(part.label() + " delivered up to " + checkpoint + " but the journal holds only up " +
                    "to " + journal.lastSequence());
            }
            return;
        }
        part.lagSinceNanos = 0;
        if (!expected.equals(status.get("checkpointDigest")))
        {
            throw new Violation(part.label() + " delivered " + first + ".." + checkpoint + " with digest " +
                status.get("checkpointDigest") + ", the journal's over the same range is " + expected + " (" + status + ")");
        }
        report.checkPassed(checkpoint - Math.max(part.verifiedTo, first - 1));
        part.verifiedTo = checkpoint;
    }

    /** Wait {@code millis}, checking the invariant every {@link #CHECK_INTERVAL_MS}. */
    private void pause(final long millis) throws InterruptedException
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while ((left = end - System.nanoTime()) > 0)
        {
            Thread.sleep(Math.min(CHECK_INTERVAL_MS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            checkAll();
        }
    }

    /** Until every subscriber runs and has delivered {@code head}, checking on the way; false after {@code limitMs}. */
    private boolean awaitCaughtUp(final long head, final long limitMs, final String what) throws InterruptedException
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMs);
        while (System.nanoTime() < end)
        {
            checkAll();
            boolean all = true;
            for (final ChaosPart part : parts)
            {
                if (!part.ended && !part.process.isAlive())
                {
                    throw new Violation(part.label() + " exited (" + part.process.exitCode() + ") after " + what + ": " +
                        tail(part.process.stderr()));
                }
                if (part.role.subscriber())
                {
                    final Map<String, String> status = part.status();
                    all &= status != null && ChaosPart.number(status, "lastSeq") >= head;
                }
            }
            if (all)
            {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private void awaitState(final StateCheck check, final long timeoutSeconds, final String what)
        throws InterruptedException, IOException
    {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!check.reached())
        {
            if (System.nanoTime() > end)
            {
                throw new Violation("waited " + timeoutSeconds + " s for " + what + ": " + positions());
            }
            for (final ChaosPart part : parts)
            {
                if (part.process != null && !part.process.isAlive())
                {
                    throw new Violation(part.label() + " exited (" + part.process.exitCode() + ") waiting for " + what +
                        ": " + tail(part.process.stderr()));
                }
            }
            Thread.sleep(100);
        }
    }

    private interface StateCheck
    {
        boolean reached() throws IOException;
    }

    private void awaitJournal() throws InterruptedException, IOException
    {
        awaitState(() -> Files.exists(journalDir.resolve("journal.id")) && Journal.hasCycleFiles(journalDir), 120,
            "the journal to be made");
    }

    private String positions()
    {
        final StringBuilder out = new StringBuilder("journal " + (journal == null ? "?" : journal.lastSequence()));
        for (final ChaosPart part : parts)
        {
            if (part.role.subscriber())
            {
                final Map<String, String> status = part.status();
                out.append(", ").append(part.label()).append(' ')
                    .append(status == null ? "no status" : status.get("lastSeq") + " " + status.get("state"));
            }
        }
        return out.toString();
    }

    /** The last lines of a process's log, on one line for the report. */
    private static String tail(final String text)
    {
        final String last = text.length() <= 600 ? text : "..." + text.substring(text.length() - 600);
        return last.strip().replace("\n", " | ");
    }

    private static int command(final long timeoutSeconds, final String... command)
        throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0)
        {
            System.err.println("chaos: " + String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
        }
        return process.exitValue();
    }

    private static void log(final String line)
    {
        System.err.println("chaos " + Instant.now() + " " + line);
    }

    /** The invariant broken: the first one ends the soak. */
    static final class Violation extends RuntimeException
    {
        Violation(final String message)
        {
            super(message);
        }
    }
}
