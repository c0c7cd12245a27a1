package io.feedhandler.cli;

import io.feedhandler.cli.NetLab.Line;
import io.feedhandler.codecs.SummaryJson;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalIdentity;
import io.feedhandler.journal.JournalVerifier;
import io.feedhandler.journal.SubscriberOffset;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The feed across hosts, under the faults that break push systems. Every process runs on a host of a
 * lab made by {@code scripts/netlab} (network namespaces on a bridge of their own; nothing touches the
 * machine's interfaces): the publisher, its journal and replay server on h1, subscribers on the others,
 * real multicast (or multi-destination-cast) between them and replays across the bridge.
 * <p>
 * Every scenario checks every subscriber's summary against the publisher's journal: it delivered
 * exactly its range, each sequence once and in order (delivered = last - first + 1 and the digest is
 * the journal's over that range), nothing lost; then the scenario's own claim. Each scenario adds its
 * rows to {@code feed-cli/target/netlab-report.md}. Needs root; skipped, saying why, without it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NetLabIT
{
    /** Small heaps and a single-threaded collector: up to twelve JVMs share the build machine's cores. */
    static final String JAVA_OPTS = "-Xmx128m -XX:+UseSerialGC";
    static final int HOSTS = 6;
    static final int PUBLISHER_HOST = 1;
    static final long RATE = 50_000;
    static final long HIGH_RATE = 100_000;
    /** Throttled link: a fraction of what the feed sends at {@link #RATE} (68-byte ticks, 128 bytes a frame). */
    /**
     * A third or less of what the feed sends at 50,000 ticks/s, so the throttled host cannot keep up
     * with live and must get most of the run by replay. Batches made the feed's bytes per tick about
     * half of version 1's 128-byte frames (measured: 42,381 batches of 256-byte frames for 150,000
     * ticks, 29 Mbit/s), so the throttle went from 16 to 8 Mbit/s to keep the scenario what it was.
     */
    static final String THROTTLE = "8mbit";
    /**
     * The storm runs ten subscriber JVMs: at this live rate they and the publisher fit on two shared
     * cores. The replay server is capped so the catch-up cannot take all the CPU live needs, yet each of
     * the eight sessions (12,500/s) still pulls faster than live grows.
     */
    static final long STORM_RATE = 5_000;
    static final long STORM_REPLAY_RATE = 100_000;

    private static final NetLabReport REPORT = new NetLabReport();
    private static NetLab lab;

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeLab() throws IOException
    {
        final String unavailable = NetLab.unavailable();
        assumeTrue(unavailable == null, unavailable);
        final long start = System.nanoTime();
        lab = NetLab.up(HOSTS, 2);
        REPORT.setup("Lab " + lab.name() + ": " + HOSTS + " hosts (h1 publisher, journal and replay server; h2..h" +
            HOSTS + " subscribers and replicas), each on an A (10.77.0.i) and a B (10.78.0.i) path, made in " +
            String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9) +
            ". Every process: `JAVA_OPTS=\"" + JAVA_OPTS + "\"`, its own embedded media driver, the default profile." +
            " Rates: " + RATE + "/s, scenario 1 and 8a " + HIGH_RATE + "/s; throttled link " + THROTTLE + ".");
    }

    @AfterAll
    static void removeLab()
    {
        if (lab != null)
        {
            lab.close();
            REPORT.write();
        }
    }

    @Test
    @Order(1)
    void multicastToThreeHostsAtAHighRate() throws Exception
    {
        scenario("1. multicast, 3 subscriber hosts", 1, false, run -> threeSubscribers(run, HIGH_RATE));
    }

    @Test
    @Order(2)
    void throttledHostGetsEveryTickThroughReplay() throws Exception
    {
        scenario("2. one host's link throttled (tc tbf " + THROTTLE + ")", 2, false, NetLabIT::throttled);
    }

    @Test
    @Order(3)
    void pausedSubscriberCatchesUp() throws Exception
    {
        scenario("3. subscriber paused 5 s (SIGSTOP)", 3, false, run ->
        {
            final long count = 8 * RATE;
            final FeedProcess paused = run.subscriber(2, "paused", count);
            final FeedProcess peer = run.subscriber(3, "peer", count);
            pauseOneFiveSeconds(run, count, "paused", paused, "peer", peer);
            run.claim("the paused subscriber caught up through replay: recovered " + paused.field("recovered"),
                paused.field("recovered") > 0);
            // Whether it merged back into live before the run ended depends on how much CPU the catch-up
            // got; either way it delivered every tick (checked above).
            run.claim("state at the end " + paused.text("state") + " (" + paused.field("recoveries") +
                " recoveries merged back into live), recovering for " + paused.field("recoveryMs") + " ms", true);
            run.claimNoGap("peer", peer);
        });
    }

    @Test
    @Order(4)
    void durableSubscriberKilledAndRestarted() throws Exception
    {
        scenario("4. durable subscriber killed (SIGKILL), restarted", 4, false, run ->
        {
            final long count = 6 * RATE;
            final FeedProcess first = run.subscriber(2, "durable", count);
            final FeedProcess peer = run.subscriber(3, "peer", count);
            run.awaitReady();
            final FeedProcess publisher = run.publisher(count, RATE);
            run.awaitOffset("durable", RATE);
            first.signal("KILL");
            first.awaitExit(30);
            first.removeDriverDirectory();
            run.raw("durable (killed)", "(SIGKILL: no summary)");
            final long offset = run.offset("durable");
            final FeedProcess second = run.subscriber(2, "durable", count - offset);
            run.awaitAll();

            run.checkPublisher(publisher, 1, count);
            run.check("durable (restarted)", second, offset + 1, count);
            run.check("peer", peer, 1, count);
            run.claim("the restart resumed right after the stored offset " + offset + ": first " +
                second.field("firstSeq"), second.field("firstSeq") == offset + 1);
            run.claimNoGap("peer", peer);
        });
    }

    @Test
    @Order(5)
    void publisherKilledAndRestartedOnTheSameJournal() throws Exception
    {
        scenario("5. publisher killed (SIGKILL), restarted on its journal", 5, false, run ->
        {
            final long total = 6 * RATE;
            final List<FeedProcess> subscribers = List.of(
                run.subscriber(2, "a", total), run.subscriber(3, "b", total), run.subscriber(4, "c", total));
            run.awaitReady();
            final FeedProcess first = run.publisher(100 * total, RATE);
            Await.until(() -> Journal.lastSequenceOf(run.journal()) >= total / 3, 90);
            first.signal("KILL");
            first.awaitExit(30);
            first.removeDriverDirectory();
            run.raw("publisher (killed)", "(SIGKILL: no summary)");
            final long killedAt = Journal.lastSequenceOf(run.journal());
            final FeedProcess second = run.publisher(total - killedAt, RATE);
            run.awaitAll();

            run.checkPublisher(second, killedAt + 1, total);
            run.claim("the restarted publisher continued the sequence: first " + second.field("firstSeq") +
                " after " + killedAt + " in the journal", second.field("firstSeq") == killedAt + 1);
            final String[] names = {"a", "b", "c"};
            for (int i = 0; i < names.length; i++)
            {
                run.check(names[i], subscribers.get(i), 1, total);
            }
        });
    }

    @Test
    @Order(6)
    void hostCutOffForThreeSeconds() throws Exception
    {
        scenario("6. a subscriber host's link down 3 s", 6, false, run ->
        {
            // Live goes on for a few seconds after the link is back, for the subscriber to rejoin it.
            final long count = 10 * RATE;
            final FeedProcess cut = run.subscriber(2, "cut", count);
            final FeedProcess peer = run.subscriber(3, "peer", count);
            run.awaitReady();
            final FeedProcess publisher = run.publisher(count, RATE);
            run.awaitOffset("cut", RATE);
            run.link(2, false);
            Thread.sleep(3_000);
            run.link(2, true);
            run.awaitAll();

            run.checkPublisher(publisher, 1, count);
            run.check("cut", cut, 1, count);
            run.check("peer", peer, 1, count);
            run.claim("the cut-off subscriber pulled what it missed: recovered " + cut.field("recovered"),
                cut.field("recovered") > 0);
            // While the link is down the driver will not open a multicast subscription on it: the
            // subscriber must ride that out (it used to end with exit 1), and rejoin once it is back.
            run.claim("it kept running while live could not be rejoined (link down), rejoins " + cut.field("liveRejoins"),
                cut.stderr().contains("cannot rejoin the live stream yet") && "LIVE".equals(cut.text("state")));
            run.claimNoGap("peer", peer);
        });
    }

    @Test
    @Order(7)
    void replayStormOfEightLateSubscribers() throws Exception
    {
        scenario("7. replay storm: 8 late subscribers from sequence 1", 7, false, run -> storm(run, 0));
    }

    @Test
    @Order(8)
    void multiDestinationCastToThreeHosts() throws Exception
    {
        scenario("8a. MDC (no multicast), 3 subscriber hosts", 8, true, run -> threeSubscribers(run, HIGH_RATE));
    }

    @Test
    @Order(9)
    void multiDestinationCastWithAThrottledHost() throws Exception
    {
        scenario("8b. MDC, one host's link throttled (" + THROTTLE + ")", 9, true, NetLabIT::throttled);
    }

    /**
     * Publish {@code count} ticks; stop {@code paused} (SIGSTOP) for 5 s once it has the first second's,
     * then let both subscribers end and check each, and the publisher, against the journal.
     */
    private static void pauseOneFiveSeconds(
        final Run run, final long count, final String pausedName, final FeedProcess paused, final String peerName,
        final FeedProcess peer) throws Exception
    {
        run.awaitReady();
        final FeedProcess publisher = run.publisher(count, RATE);
        run.awaitOffset(pausedName, RATE);
        paused.signal("STOP");
        Thread.sleep(5_000);
        paused.signal("CONT");
        run.awaitAll();

        run.checkPublisher(publisher, 1, count);
        run.check(pausedName, paused, 1, count);
        run.check(peerName, peer, 1, count);
    }

    // ---- scenarios shared by multicast and MDC ----------------------------------------------------------

    /**
     * Across hosts by default: the subscribers name no response channel, so each derives its own
     * host's address on the route to the replay server; the paused one recovers through it.
     */
    @Test
    @Order(10)
    void subscribersGivenOnlyTheChannelAndTheReplayChannel() throws Exception
    {
        scenario("10. subscribers given only --channel and --replay-channel, one paused 5 s", 10, false, run ->
        {
            final long count = 8 * RATE;
            final FeedProcess paused = run.plainSubscriber(2, "plain-paused", count);
            final FeedProcess peer = run.plainSubscriber(3, "plain-peer", count);
            pauseOneFiveSeconds(run, count, "plain-paused", paused, "plain-peer", peer);
            run.claim("the paused subscriber recovered " + paused.field("recovered") + " ticks by replay to its own host",
                paused.field("recovered") > 0);
            for (final FeedProcess subscriber : List.of(paused, peer))
            {
                final int host = subscriber == paused ? 2 : 3;
                final String name = subscriber == paused ? "plain-paused" : "plain-peer";
                run.claim(name + " asked for answers at its own address " + NetLab.ip(host),
                    subscriber.stderr().contains("answered at " + NetLab.ip(host) + ":"));
                run.claim(name + " logged no recovery warning (cannot reach, answers do not arrive)",
                    !subscriber.stderr().contains("cannot reach") && !subscriber.stderr().contains("do not arrive"));
            }
            run.claimNoGap("plain-peer", peer);
        });
    }

    /**
     * The mistake the derived response address prevents, made on purpose: a subscriber on another host
     * that names 127.0.0.1 as where answers go. The server is reachable and acknowledges its requests,
     * but answers to its own loopback; the subscriber says so, once, naming the address and the fix.
     */
    @Test
    @Order(11)
    void answersToAnAddressTheServerCannotReachAreReported() throws Exception
    {
        scenario("11. a response address the server cannot reach (127.0.0.1 from another host)", 11, false, run ->
        {
            final FeedProcess publisher = run.publisher(20 * RATE, RATE);
            Await.until(() -> Journal.lastSequenceOf(run.journal()) >= RATE, 90); // history to ask for
            final FeedProcess misled = run.plainSubscriber(4, "misled", 0, "--from-seq", "1",
                "--replay-response-channel", "aeron:udp?endpoint=127.0.0.1:0", "--duration", "150s");
            run.awaitReady();
            misled.awaitLog("do not arrive", 120);
            misled.stop();
            publisher.stop();
            run.claim("misled exited 143 on SIGTERM with its summary: exit " + misled.awaitExit(60),
                misled.exitCode() == 143 && misled.hasSummary());
            publisher.awaitExit(60);
            final String warning = misled.lastStderrLine("do not arrive");
            run.raw("misled", warning);
            run.claim("the warning names the address answers were asked to go to and the option that fixes it",
                warning.contains("answers to 127.0.0.1:") && warning.contains("--replay-response-channel"));
            run.claim("it is logged once", misled.stderr().split("do not arrive", -1).length == 2);
        });
    }

    /**
     * A/B lines across two bridges: every subscriber host hears the publisher on its A port (the first
     * bridge) and its B port (the second). Faults on A alone cost nothing; on both, recovery as today.
     */
    @Test
    @Order(12)
    void theBLineCoversWhatAThrottledOrDownALineLoses() throws Exception
    {
        scenario("12. A/B lines: h2's A throttled (" + THROTTLE + "), h3's A down 3 s, h5's A and B down 3 s", 12,
            false, NetLabIT::abLines);
    }

    private static void abLines(final Run run) throws Exception
    {
        final long count = 6 * RATE;
        final FeedProcess throttled = run.subscriber(2, "a-throttled", count, "--b-channel", run.bSubscriberChannel(2));
        final FeedProcess down = run.subscriber(3, "a-down", count, "--b-channel", run.bSubscriberChannel(3));
        final FeedProcess clean = run.subscriber(4, "clean", count, "--b-channel", run.bSubscriberChannel(4));
        final FeedProcess isolated = run.subscriber(5, "both-down", count, "--b-channel", run.bSubscriberChannel(5));
        run.awaitReady();
        final FeedProcess publisher = run.publisher(count, RATE, "--b-channel", run.bPublisherChannel());
        // The faults come once the lines run in step: at the start B may connect a moment after A, and
        // what it did not carry then is A's to bring (a host with A throttled from the start could not).
        run.awaitOffset("a-down", RATE);
        run.throttle(2, Line.A, THROTTLE);
        run.link(3, Line.A, false);
        run.isolate(5, true);
        Thread.sleep(3_000);
        run.link(3, Line.A, true);
        run.isolate(5, false);
        run.awaitAll();

        run.checkPublisher(publisher, 1, count);
        run.check("a-throttled", throttled, 1, count);
        run.check("a-down", down, 1, count);
        run.check("clean", clean, 1, count);
        run.check("both-down", isolated, 1, count);
        final SummaryJson lineB = publisher.summaryJson().object("lineB");
        run.claim("the publisher sent on both lines: B skipped " + lineB.number("backPressured", -1) +
            " ticks at back-pressure, " + lineB.number("notConnected", -1) + " before a B subscriber connected", true);
        for (final FeedProcess subscriber : List.of(throttled, down, clean))
        {
            final String name = subscriber == throttled ? "a-throttled" : subscriber == down ? "a-down" : "clean";
            run.claim(name + ": B covered every loss of A: gaps " + subscriber.field("gapsDetected") + ", recovered " +
                subscriber.field("recovered") + " (" + lines(subscriber) + ")",
                subscriber.field("gapsDetected") == 0 && subscriber.field("recovered") == 0);
        }
        final long bFirst = line(throttled, "b").number("firstSeen", -1);
        run.claim("a-throttled took most of the feed from B: " + bFirst + " of " + count + " first seen on B",
            bFirst * 2 >= count);
        final long silentEvents = line(down, "a").number("silentEvents", -1);
        final long silentLogs = down.stderr().lines().filter(l -> l.contains("line A (") && l.contains(" silent ")).count();
        run.claim("a-down reported line A silent (" + silentEvents + " silent events, " + silentLogs +
            " log lines) and delivered from B meanwhile", silentEvents >= 1 && silentLogs >= 1);
        // No "never rejoined" for the clean host: on a loaded machine one of its lines may say nothing for the
        // stale timeout (a suite run had B silent once on h4, with gaps 0), and is then reported and rejoined
        // by itself while the other delivers. What the issue asks of it, no gap and nothing pulled, is above.
        run.claim("both-down, with A and B down together, recovered by replay as with one line: recovered " +
            isolated.field("recovered"), isolated.field("recovered") > 0);
    }

    /** A subscriber's per-line figures, for a claim. */
    private static String lines(final FeedProcess subscriber)
    {
        final SummaryJson a = line(subscriber, "a");
        final SummaryJson b = line(subscriber, "b");
        return "first seen A " + a.number("firstSeen", -1) + " B " + b.number("firstSeen", -1) + ", line gaps A " +
            a.number("gaps", -1) + " B " + b.number("gaps", -1) + ", covered " + subscriber.field("lineGapsCovered") +
            ", silent events A " + a.number("silentEvents", -1) + " B " + b.number("silentEvents", -1);
    }

    private static SummaryJson line(final FeedProcess subscriber, final String line)
    {
        return subscriber.summaryJson().object("lines").object(line);
    }

    static final int REPLICA_HOST = 5;
    /** The exit of a process stopped with SIGTERM, its summary printed. */
    static final int STOPPED = 143;

    /**
     * A replica on a host of its own keeps the history reachable when the publisher's host is gone: it
     * follows the run, the publisher's host is cut off on every path (publisher and replay server still
     * running, unreachable), and a late subscriber listing the primary first gets everything from the replica.
     */
    @Test
    @Order(13)
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aReplicaServesALateSubscriberWhenThePublishersHostIsCutOff() throws Exception
    {
        scenario("13. replica on h5; the publisher's host isolated; a late subscriber from sequence 1", 13, false, run ->
        {
            final long count = 10 * RATE;
            final FeedProcess replica = run.replica(REPLICA_HOST, "r5", run.replayChannel());
            final FeedProcess publisher = run.lingeringPublisher(count);
            Await.until(() -> Journal.lastSequenceOf(run.replicaJournal("r5")) >= count, 120);
            final FeedProcess stats = run.journalTool(REPLICA_HOST, "replica stats", "stats", "--journal",
                run.replicaJournal("r5").toString());
            final SummaryJson standing = stats.summaryJson().object("replica");
            run.claim("the replica followed the run: its journal ends at " + Journal.lastSequenceOf(run.replicaJournal("r5")) +
                ", trails its upstream by " + standing.number("trailsBy", -1) + " (journal stats)",
                standing.number("trailsBy", -1) == 0);

            run.isolate(PUBLISHER_HOST, true);
            final String primaryFirst = Run.replayChannels(run.replayChannel(), run.replicaServeChannel(REPLICA_HOST));
            final FeedProcess late = run.subscriber(3, "late", count, "--from-seq", "1", "--replay-channel", primaryFirst);
            late.awaitExit(150);
            run.isolate(PUBLISHER_HOST, false);
            run.stopPublisher(publisher);
            run.stopReplica("replica r5", replica);

            run.checkPublisher(publisher, 1, count, STOPPED);
            run.check("late", late, 1, count);
            run.checkReplica("r5", REPLICA_HOST, "r5", replica, 1, count);
            run.claim("late listed the primary first, found it unreachable and failed over: replayFailovers " +
                late.field("replayFailovers") + ", last server " + late.text("replayServer") + ", duplicates dropped " +
                late.field("duplicatesDropped"), late.field("replayFailovers") >= 1 &&
                run.replicaServeChannel(REPLICA_HOST).equals(late.text("replayServer")) &&
                late.field("duplicatesDropped") == 0);
            final SummaryJson served = replica.summaryJson().object("replay");
            run.claim("the replica served it: replay sessions " + served.number("sessions", -1) + ", ticks sent " +
                served.number("ticksSent", -1), served.number("sessions", -1) >= 1);
        });
    }

    /**
     * A replica killed (SIGKILL) a third into the run and started again on its journal, on its own host:
     * it resumes after its journal's last sequence, pulls the rest from the primary, and ends with the
     * primary's history, journal verified.
     */
    @Test
    @Order(14)
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aReplicaKilledAndRestartedEndsWithThePrimarysHistory() throws Exception
    {
        scenario("14. replica on h5 killed (SIGKILL) a third into the run, restarted", 14, false, run ->
        {
            final long count = 10 * RATE;
            final Path journal = run.replicaJournal("r5");
            final FeedProcess first = run.replica(REPLICA_HOST, "r5", run.replayChannel());
            final FeedProcess peer = run.subscriber(3, "peer", count);
            run.awaitReady();
            final FeedProcess publisher = run.lingeringPublisher(count);
            Await.until(() -> Journal.lastSequenceOf(journal) >= count / 3, 120);
            first.signal("KILL");
            first.awaitExit(30);
            first.removeDriverDirectory();
            run.raw("replica r5 (killed)", "(SIGKILL: no summary)");
            final JournalVerifier.Result afterKill = JournalVerifier.verify(journal, JournalVerifier.Depth.START_UP);
            final long killedAt = afterKill.ok() ? Journal.lastSequenceOf(journal) : afterKill.lastGoodSequence();
            // A kill during an append may leave a cut entry: the replica's remedy is to keep the good
            // prefix under the same epoch and pull the rest again.
            final FeedProcess second = run.replica(REPLICA_HOST, "r5", run.replayChannel(), "--on-damaged-journal", "archive");
            Await.until(() -> Journal.lastSequenceOf(journal) >= count, 150);
            peer.awaitExit(150);
            run.stopReplica("replica r5 (restarted)", second);
            run.stopPublisher(publisher);

            run.checkPublisher(publisher, 1, count, STOPPED);
            run.check("peer", peer, 1, count);
            run.checkReplica("r5", REPLICA_HOST, "r5", second, 1, count);
            final long startSeq = second.summaryJson().number("startSeq", -1);
            run.claim("the restart resumed at " + startSeq + ", right after " + (afterKill.ok() ?
                "its journal's last sequence at the kill, " + killedAt : "the good prefix (the kill cut an entry: " +
                afterKill.problem() + "; archived, the prefix kept), " + killedAt), startSeq == killedAt + 1 &&
                afterKill.ok() != second.stderr().contains("was damaged at sequence"));
            final FeedProcess verify = run.journalTool(REPLICA_HOST, "replica verify", "verify", "--journal",
                journal.toString());
            run.claim("`journal verify` on the replica's journal: exit " + verify.exitCode() + ", " +
                verify.field("quotes") + " quotes", verify.exitCode() == 0 && verify.summary().contains("\"ok\":true"));
            run.claimNoGap("peer", peer);
        });
    }

    /**
     * Failover in the middle of a pull: a late subscriber listing the replica first is served by it; the
     * replica is killed (SIGKILL) part way through the replay, and the subscriber goes on from the
     * primary at the next sequence it needs, nothing missed and nothing twice.
     */
    @Test
    @Order(15)
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aSubscriberWhoseReplicaIsKilledMidReplayFinishesFromThePrimary() throws Exception
    {
        scenario("15. the replica serving a late subscriber killed (SIGKILL) mid-replay", 15, false, run ->
        {
            final long count = 10 * RATE;
            // Capped, so the pull lasts seconds and the kill lands in the middle of it.
            final FeedProcess replica = run.replica(REPLICA_HOST, "r5", run.replayChannel(),
                "--max-replay-rate", Long.toString(REPLICA_REPLAY_RATE));
            final FeedProcess publisher = run.lingeringPublisher(count);
            Await.until(() -> Journal.lastSequenceOf(run.replicaJournal("r5")) >= count, 120);

            final String replicaFirst = Run.replayChannels(run.replicaServeChannel(REPLICA_HOST), run.replayChannel());
            final FeedProcess late = run.subscriber(3, "late", count, "--from-seq", "1", "--replay-channel", replicaFirst);
            run.awaitOffset("late", count / 5);
            replica.signal("KILL");
            replica.awaitExit(30);
            replica.removeDriverDirectory();
            final long killedAt = run.offset("late");
            run.raw("replica r5 (killed)", "(SIGKILL: no summary)");
            late.awaitExit(150);
            run.stopPublisher(publisher);

            run.checkPublisher(publisher, 1, count, STOPPED);
            run.check("late", late, 1, count);
            final long fromPrimary = publisher.summaryJson().object("replay").number("ticksSent", -1);
            run.claim("late had " + killedAt + " (its stored offset) when its replica was killed, and finished " +
                "from the primary: replayFailovers " + late.field("replayFailovers") + ", last server " +
                late.text("replayServer") + ", duplicates dropped " + late.field("duplicatesDropped") +
                ", gaps " + late.field("gapsDetected"), late.field("replayFailovers") >= 1 &&
                run.replayChannel().equals(late.text("replayServer")) && late.field("duplicatesDropped") == 0);
            run.claim("the primary served only the rest: " + fromPrimary + " ticks sent by its replay server, of " +
                count, fromPrimary > 0 && fromPrimary < count);
        });
    }

    /** The replica's replay rate in scenario 15: a 500,000-tick pull lasts about 5 s. */
    static final long REPLICA_REPLAY_RATE = 100_000;

    /** Scenario 7's storm, taken by a replica on h6 that the late subscribers list before the primary. */
    @Test
    @Order(16)
    void aReplayStormServedByAReplica() throws Exception
    {
        scenario("16. replay storm served by a replica on h6: 8 late subscribers list it first", 16, false,
            run -> storm(run, 6));
    }

    /**
     * A replica that starts while its host is cut off from its upstream: it says so once, naming the
     * upstream, keeps trying, and once the partition heals pulls the whole run and follows on.
     */
    @Test
    @Order(17)
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aReplicaCutOffFromItsUpstreamSaysSoOnceAndCatchesUpWhenItHeals() throws Exception
    {
        scenario("17. a replica on h6 started while its host is partitioned from the publisher's", 17, false, run ->
        {
            final long count = 5 * RATE;
            final int host = 6;
            final FeedProcess peer = run.subscriber(3, "peer", count);
            run.awaitReady();
            run.partition(host, true);
            final FeedProcess replica = run.replica(host, "r6", run.replayChannel());
            final FeedProcess publisher = run.lingeringPublisher(count);
            replica.awaitLog("cannot reach", 120);
            Await.until(() -> Journal.lastSequenceOf(run.journal()) >= count, 120);
            final long cutOffFor = 2_000;
            Thread.sleep(cutOffFor); // the replica keeps trying: still "cannot reach", said once
            final boolean aliveWhileCutOff = replica.isAlive();
            run.partition(host, false);
            Await.until(() -> Journal.lastSequenceOf(run.replicaJournal("r6")) >= count, 120);
            peer.awaitExit(150);
            run.stopReplica("replica r6", replica);
            run.stopPublisher(publisher);

            run.checkPublisher(publisher, 1, count, STOPPED);
            run.check("peer", peer, 1, count);
            run.checkReplica("r6", host, "r6", replica, 1, count);
            final String warning = replica.lastStderrLine("cannot reach");
            run.raw("replica r6 warning", warning);
            final long unreachable = replica.summaryJson().object("subscriber").number("replayUnreachable", -1);
            run.claim("while cut off it kept running (" + aliveWhileCutOff + ") and said once that it cannot reach " +
                "its upstream, naming it: " + (replica.stderr().split("cannot reach", -1).length - 1) + " line(s), " +
                "counted (replayUnreachable " + unreachable + ")",
                aliveWhileCutOff && warning != null && warning.contains(run.replayChannel()) &&
                replica.stderr().split("cannot reach", -1).length == 2 && unreachable == 1);
            run.claim("once the partition healed it pulled the whole run from its upstream: recovered " +
                replica.summaryJson().object("subscriber").number("recovered", -1) + " of " + count,
                replica.summaryJson().object("subscriber").number("recovered", -1) > 0);
        });
    }

    private static void threeSubscribers(final Run run, final long rate) throws Exception
    {
        final long count = 3 * rate;
        final List<FeedProcess> subscribers = List.of(
            run.subscriber(2, "a", count), run.subscriber(3, "b", count), run.subscriber(4, "c", count));
        run.awaitReady();
        final FeedProcess publisher = run.publisher(count, rate);
        run.awaitAll();

        run.checkPublisher(publisher, 1, count);
        final String[] names = {"a", "b", "c"};
        for (int i = 0; i < names.length; i++)
        {
            run.check(names[i], subscribers.get(i), 1, count);
        }
        run.claim("all digests equal the journal's: " + run.journalDigest(1, count), true);
        run.claim(String.format(Locale.ROOT, "publisher achieved %d/s of %d/s asked, back-pressured %d times",
            publisher.field("ratePerSec"), rate, publisher.field("backPressured")), true);
    }

    private static void throttled(final Run run) throws Exception
    {
        final long count = 3 * RATE;
        run.throttle(2, THROTTLE);
        final FeedProcess slow = run.subscriber(2, "throttled", count);
        final FeedProcess b = run.subscriber(3, "b", count);
        final FeedProcess c = run.subscriber(4, "c", count);
        run.awaitReady();
        // The throttled host's live stream trails the publisher by tens of seconds, repaired at a trickle
        // through the thin link, and its pull shares that link with live until the run ends: how long the
        // pull takes depends on the machine's load, not on the feed. So replays come from a replay server
        // of its own on the publisher's host, as a deployment that keeps history available after a run
        // would have it, and the scenario does not depend on the publisher staying up long enough.
        final FeedProcess publisher = run.publisher(count, RATE, "--no-replay-server");
        final FeedProcess server = run.replayServer(publisher);
        run.awaitAll();
        run.stopReplayServer(server);
        run.awaitAll();

        run.checkPublisher(publisher, 1, count);
        run.check("throttled", slow, 1, count);
        run.check("b", b, 1, count);
        run.check("c", c, 1, count);
        run.claim("the throttled host lost most of the live stream and got it by replay: recovered " +
            slow.field("recovered") + " of " + count, slow.field("recovered") >= count / 2);
        run.claimNoGap("b", b);
        run.claimNoGap("c", c);
        // Held back by the slow host, the publisher would fall to what that link carries: 8 Mbit/s is
        // about 28% of what the feed sends at the rate asked. CPU contention on a loaded
        // build machine cost it at most 46% in our runs, so 50% tells the two apart.
        final long rate = publisher.field("ratePerSec");
        run.claim(String.format(Locale.ROOT, "publisher rate unchanged by the slow host: %d/s of %d/s asked " +
            "(at least %d%%), back-pressured %d times", rate, RATE, MIN_RATE_PERCENT,
            publisher.field("backPressured")), rate * 100 >= RATE * MIN_RATE_PERCENT);
    }


    /** Lowest publisher rate, in percent of the rate asked, that counts as unchanged (measured: see docs/NETLAB.md). */
    static final long MIN_RATE_PERCENT = 50;

    /**
     * @param replicaHost 0, or the host of a replica that the late subscribers list first: it then
     *                    takes the storm, and the publisher's own server serves none of them.
     */
    private static void storm(final Run run, final int replicaHost) throws Exception
    {
        final long count = 15 * STORM_RATE;
        final long history = 5 * STORM_RATE;
        final int[] stormHosts = {3, 4, 5};
        final Path logA = run.home.resolve("live-a.hlog");
        final Path logB = run.home.resolve("live-b.hlog");
        // The on-time subscribers keep the default stale timeout (3 s): the storm may starve them of CPU
        // for a moment, which is latency to report, not a silence to rejoin.
        final FeedProcess liveA = run.subscriber(2, "live-a", count, "--latency-log", logA.toString(),
            "--latency-log-interval", "500ms", "--stale-timeout", "3s");
        final FeedProcess liveB = run.subscriber(6, "live-b", count, "--latency-log", logB.toString(),
            "--latency-log-interval", "500ms", "--stale-timeout", "3s");
        // The late subscribers start with their hosts partitioned off, so all eight are up (JVMs
        // started) and then ask for the history at the same moment, when the partition ends.
        for (final int host : stormHosts)
        {
            run.partition(host, true);
        }
        final FeedProcess replica = replicaHost == 0 ? null : run.replica(replicaHost, "storm", run.replayChannel(),
            "--max-replay-rate", Long.toString(STORM_REPLAY_RATE));
        final List<String> lateArgs = new ArrayList<>(List.of("--from-seq", "1"));
        if (replica != null)
        {
            // The replica first; a replica busy serving the others may connect to a requester after the
            // default half second, so they wait for it longer rather than take the primary.
            lateArgs.addAll(List.of("--replay-channel",
                Run.replayChannels(run.replicaServeChannel(replicaHost), run.replayChannel()),
                "--replay-connect-wait", STORM_CONNECT_WAIT));
        }
        final List<FeedProcess> late = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            late.add(run.subscriber(stormHosts[i % stormHosts.length], "late-" + (i + 1), count,
                lateArgs.toArray(new String[0])));
        }
        run.awaitReady();
        final long publishStartMs = System.currentTimeMillis();
        final FeedProcess publisher = run.publisher(count, STORM_RATE, "--max-replay-rate", Long.toString(STORM_REPLAY_RATE));
        Await.until(() -> Journal.lastSequenceOf(run.journal()) >= history, 90);
        final long stormStartMs = System.currentTimeMillis();
        for (final int host : stormHosts)
        {
            run.partition(host, false);
        }
        long stormEndMs = stormStartMs;
        for (final FeedProcess subscriber : late)
        {
            subscriber.awaitLog("back on live", 150);
            stormEndMs = Math.max(stormEndMs, System.currentTimeMillis());
        }
        run.awaitAll();

        run.checkPublisher(publisher, 1, count);
        run.check("live-a", liveA, 1, count);
        run.check("live-b", liveB, 1, count);
        for (int i = 0; i < late.size(); i++)
        {
            run.check("late-" + (i + 1), late.get(i), 1, count);
        }
        run.claim("all 8 late subscribers pulled the history and joined live within " +
            (stormEndMs - stormStartMs) + " ms of asking (" + history + "+ ticks each)", true);
        run.claimNoGap("live-a", liveA);
        run.claimNoGap("live-b", liveB);

        // Latency of the on-time subscribers: the second after the first (JIT warm-up) until the storm,
        // then the storm itself.
        final Histogram before = new Histogram(3);
        final Histogram during = new Histogram(3);
        for (final Path log : List.of(logA, logB))
        {
            addIntervals(log, publishStartMs + 1_000, stormStartMs, before);
            addIntervals(log, stormStartMs, stormEndMs, during);
        }
        final double p99Before = before.getValueAtPercentile(99) / 1e6;
        final double p99During = during.getValueAtPercentile(99) / 1e6;
        run.claim(String.format(Locale.ROOT, "on-time subscribers' p99 latency: %.1f ms before the storm (%d ticks), " +
            "%.1f ms during it (%d ticks); allowed during: %.0f ms", p99Before, before.getTotalCount(), p99During,
            during.getTotalCount(), stormLatencyBoundMs(p99Before)),
            during.getTotalCount() > 0 && p99During <= stormLatencyBoundMs(p99Before));
        if (replica == null)
        {
            run.claim(String.format(Locale.ROOT, "publisher achieved %d/s of %d/s asked; its replay server sent %d " +
                "ticks, at most %d/s (--max-replay-rate)", publisher.field("ratePerSec"), STORM_RATE,
                publisher.field("ticksSent"), STORM_REPLAY_RATE), true);
            return;
        }
        run.stopReplica("replica storm", replica);
        run.checkReplica("storm", replicaHost, "storm", replica, 1, count);
        final String replicaServer = run.replicaServeChannel(replicaHost);
        final long fromReplica = late.stream().filter(l -> replicaServer.equals(l.text("replayServer")) &&
            l.field("replayFailovers") == 0).count();
        final SummaryJson served = replica.summaryJson().object("replay");
        final SummaryJson primary = publisher.summaryJson().object("replay");
        // All eight ask the moment the partition heals, when neither server is connected yet, and wait up to
        // STORM_CONNECT_WAIT for the replica, listed first. Every session the primary's own server had is
        // then a pull of the replica's own (its gaps) or of an on-time subscriber (none: no gap, claimed above).
        final long primarySessions = primary.number("sessions", -1);
        final long ownPulls = replica.summaryJson().object("subscriber").number("replaySessions", -1) +
            liveA.field("replaySessions") + liveB.field("replaySessions");
        run.claim("the publisher's own server served none of the late subscribers: " + fromReplica + " of 8 pulled " +
            "from the replica alone (its server: " + served.number("sessions", -1) + " sessions, " +
            served.number("ticksSent", -1) + " ticks); the primary's server had " + primarySessions + " session(s) (" +
            primary.number("ticksSent", -1) + " ticks), the replica's and the on-time subscribers' own pulls " + ownPulls,
            fromReplica == late.size() && primarySessions <= ownPulls);
        final long rate = publisher.field("ratePerSec");
        run.claim(String.format(Locale.ROOT, "publisher rate unaffected: %d/s of %d/s asked (at least %d%%)", rate,
            STORM_RATE, MIN_RATE_PERCENT), rate * 100 >= STORM_RATE * MIN_RATE_PERCENT);
    }

    /**
     * How long the storm's late subscribers wait for the replica, listed first, to connect (the default,
     * half a second, is too short for a replica busy serving the others on this shared machine: 4 of 8
     * then took the primary once; docs/NETLAB.md).
     */
    private static final String STORM_CONNECT_WAIT = "20s";

    /** How far the storm may raise the on-time subscribers' p99 (measured: see docs/NETLAB.md). */
    static double stormLatencyBoundMs(final double p99BeforeMs)
    {
        return Math.max(20 * p99BeforeMs, 500);
    }

    private static void addIntervals(final Path log, final long fromMs, final long toMs, final Histogram into)
        throws IOException
    {
        if (!Files.exists(log))
        {
            return;
        }
        final HistogramLogReader reader = new HistogramLogReader(log.toFile());
        try
        {
            EncodableHistogram interval;
            while ((interval = reader.nextIntervalHistogram()) != null)
            {
                if (interval.getEndTimeStamp() > fromMs && interval.getStartTimeStamp() < toMs)
                {
                    into.add((Histogram)interval);
                }
            }
        }
        finally
        {
            reader.close();
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    @FunctionalInterface
    interface Body
    {
        void run(Run run) throws Exception;
    }

    /** Run a scenario, record it in the report whatever happens, then fail if any check failed. */
    private static void scenario(final String title, final int index, final boolean mdc, final Body body)
        throws Exception
    {
        final Run run = new Run(title, index, mdc);
        try
        {
            body.run(run);
        }
        catch (final Exception | AssertionError ex)
        {
            run.report.failures.add(ex.toString());
            throw ex;
        }
        finally
        {
            run.close();
            REPORT.add(run.report);
        }
        if (!run.report.passed())
        {
            throw new AssertionError(title + ": " + String.join("; ", run.report.failures));
        }
    }

    /** One scenario's processes, channels and checks. Ports and groups are the scenario's own. */
    static final class Run implements AutoCloseable
    {
        final NetLabReport.Scenario report;
        final Path home;
        private final int index;
        private final boolean mdc;
        private final long startNanos = System.nanoTime();
        private final List<FeedProcess> processes = new ArrayList<>();
        private final List<FeedProcess> starting = new ArrayList<>();
        private final List<FeedProcess> servers = new ArrayList<>();
        private final Map<String, String> digests = new HashMap<>();
        private final List<Port> throttled = new ArrayList<>();
        private final List<Port> cut = new ArrayList<>();
        private final List<Port> partitioned = new ArrayList<>();
        private final List<Integer> isolated = new ArrayList<>();

        Run(final String title, final int index, final boolean mdc) throws IOException
        {
            this.report = new NetLabReport.Scenario(title);
            this.index = index;
            this.mdc = mdc;
            this.home = Files.createDirectories(dir.resolve("scenario-" + index));
        }

        private int port()
        {
            return 41100 + 10 * index;
        }

        String publisherChannel()
        {
            return mdc ?
                "aeron:udp?control=" + NetLab.ip(PUBLISHER_HOST) + ":" + port() + "|control-mode=dynamic" :
                "aeron:udp?endpoint=239.255.91." + (2 * index + 1) + ":" + port() + "|interface=" + NetLab.ip(PUBLISHER_HOST);
        }

        String subscriberChannel(final int host)
        {
            return mdc ?
                "aeron:udp?endpoint=" + NetLab.ip(host) + ":" + (port() + 2) + "|control=" + NetLab.ip(PUBLISHER_HOST) +
                    ":" + port() :
                "aeron:udp?endpoint=239.255.91." + (2 * index + 1) + ":" + port() + "|interface=" + NetLab.ip(host);
        }

        String replayChannel()
        {
            return "aeron:udp?endpoint=" + NetLab.ip(PUBLISHER_HOST) + ":" + (port() + 1);
        }

        /** The B line: a group of its own on the lab's second bridge, sent from the publisher's B address. */
        String bPublisherChannel()
        {
            return bChannel(PUBLISHER_HOST);
        }

        String bSubscriberChannel(final int host)
        {
            return bChannel(host);
        }

        private String bChannel(final int host)
        {
            return "aeron:udp?endpoint=239.255.92." + (2 * index + 1) + ":" + (port() + 4) + "|interface=" +
                NetLab.ip(host, Line.B);
        }

        /** Where the replica on {@code host} serves replays (one replica a host; a restart takes it again). */
        String replicaServeChannel(final int host)
        {
            return "aeron:udp?endpoint=" + NetLab.ip(host) + ":" + (port() + 5);
        }

        Path replicaJournal(final String name)
        {
            return home.resolve("replica-" + name);
        }

        /** Replay servers to ask, in order, as one {@code --replay-channel}. */
        static String replayChannels(final String... channels)
        {
            return String.join(",", channels);
        }

        /**
         * A replica on {@code host}: follows the scenario's live channel there, pulls from {@code upstream},
         * journals into {@link #replicaJournal} and serves on {@link #replicaServeChannel}; returns once it
         * runs, and runs until {@link #stopReplica}.
         */
        FeedProcess replica(final int host, final String name, final String upstream, final String... more)
            throws IOException, InterruptedException
        {
            final List<String> args = new ArrayList<>(List.of("replica", "--journal", replicaJournal(name).toString(),
                "--channel", subscriberChannel(host), "--replay-channel", upstream,
                "--serve-channel", replicaServeChannel(host),
                "--replay-response-channel", "aeron:udp?endpoint=" + NetLab.ip(host) + ":0", "--stale-timeout", "1s"));
            args.addAll(List.of(more));
            final FeedProcess replica = lab.feed(host, JAVA_OPTS, args.toArray(new String[0]));
            processes.add(replica);
            servers.add(replica);
            replica.awaitLog("replica of", 120);
            return replica;
        }

        /** SIGTERM: a replica ends when told, with its summary (exit {@link #STOPPED}). */
        void stopReplica(final String label, final FeedProcess replica) throws Exception
        {
            replica.stop();
            final int exit = replica.awaitExit(60);
            raw(label, replica.summary());
            expect(exit == STOPPED && replica.hasSummary() && "replica".equals(replica.text("role")),
                label + " exit " + exit + ": " + tail(replica));
        }

        /** {@code feed journal ARGS} on {@code host}, its summary recorded; fails the scenario unless it exits 0. */
        FeedProcess journalTool(final int host, final String label, final String... args) throws Exception
        {
            final List<String> command = new ArrayList<>(List.of("journal"));
            command.addAll(List.of(args));
            final FeedProcess tool = lab.feed(host, JAVA_OPTS, command.toArray(new String[0]));
            final int exit = tool.awaitExit(90);
            raw(label, tool.summary());
            expect(exit == 0, label + " exit " + exit + ": " + tail(tool));
            return tool;
        }

        /** The digest of a replica's journal over a range, by {@code feed journal digest} on its host. */
        String replicaDigest(final int host, final String name, final long from, final long to) throws Exception
        {
            return journalTool(host, "replica " + name + " " + from + ".." + to, "digest", "--journal",
                replicaJournal(name).toString(), "--from-seq", Long.toString(from), "--to-seq", Long.toString(to))
                .text("digest");
        }

        Path journal()
        {
            return home.resolve("journal");
        }

        Path offsets()
        {
            return home.resolve("offsets");
        }

        FeedProcess publisher(final long count, final long rate, final String... more) throws IOException
        {
            final List<String> args = new ArrayList<>(List.of("publish", "--journal", journal().toString(),
                "--channel", publisherChannel(), "--replay-channel", replayChannel(),
                "--count", Long.toString(count), "--rate", Long.toString(rate), "--replay-drain-timeout", "90s"));
            if (!List.of(more).contains("--linger"))
            {
                args.add("--linger");
                args.add("2s");
            }
            args.addAll(List.of(more));
            final FeedProcess publisher = lab.feed(PUBLISHER_HOST, JAVA_OPTS, args.toArray(new String[0]));
            processes.add(publisher);
            return publisher;
        }

        /**
         * A publisher that, once it has published, lingers with its replay server up until {@link #stopPublisher}
         * (exit {@link #STOPPED}): a replica may pull from it, or it may be cut off rather than gone.
         */
        FeedProcess lingeringPublisher(final long count) throws IOException
        {
            return publisher(count, RATE, "--linger", "250s");
        }

        void stopPublisher(final FeedProcess publisher) throws InterruptedException
        {
            publisher.stop();
            publisher.awaitExit(60);
        }

        /**
         * A replay server of its own ({@code feed replay-server}) on the publisher's host, on the scenario's
         * replay channel, serving the journal {@code publisher} (started with --no-replay-server) writes; it
         * runs until {@link #stopReplayServer}.
         */
        FeedProcess replayServer(final FeedProcess publisher) throws Exception
        {
            publisher.awaitLog("publishing on", 120); // the journal exists: the server opens it read-only
            final FeedProcess server = lab.feed(PUBLISHER_HOST, JAVA_OPTS, "replay-server",
                "--journal", journal().toString(), "--replay-channel", replayChannel());
            processes.add(server);
            servers.add(server);
            return server;
        }

        /** SIGTERM: a replay server ends when told, with its summary (exit 143). */
        void stopReplayServer(final FeedProcess server) throws Exception
        {
            server.stop();
            final int exit = server.awaitExit(60);
            raw("replay server", server.summary());
            expect(exit == 143 && "replay-server".equals(server.text("role")),
                "replay server exit " + exit + ": " + tail(server));
        }

        /**
         * A durable subscriber on {@code host}. Over MDC it asks for sequence 1: the publisher starts once
         * the first subscriber has joined and sends to each one from when it joins, so a subscriber that
         * joins a moment later pulls what it missed (with multicast every receiver sees the first tick).
         */
        FeedProcess subscriber(final int host, final String name, final long count, final String... more)
            throws IOException
        {
            final List<String> args = new ArrayList<>(List.of("subscribe", "--name", name,
                "--offsets", offsets().toString(), "--count", Long.toString(count), "--duration", "170s",
                "--channel", subscriberChannel(host),
                "--replay-response-channel", "aeron:udp?endpoint=" + NetLab.ip(host) + ":0"));
            if (!List.of(more).contains("--replay-channel"))
            {
                args.add("--replay-channel");
                args.add(replayChannel());
            }
            if (!List.of(more).contains("--stale-timeout"))
            {
                args.add("--stale-timeout");
                args.add("1s");
            }
            if (mdc && !List.of(more).contains("--from-seq") && !new java.io.File(offsets().toFile(),
                name + SubscriberOffset.SUFFIX).exists())
            {
                args.add("--from-seq");
                args.add("1");
            }
            args.addAll(List.of(more));
            final FeedProcess subscriber = lab.feed(host, JAVA_OPTS, args.toArray(new String[0]));
            processes.add(subscriber);
            starting.add(subscriber);
            return subscriber;
        }

        /**
         * A durable subscriber on {@code host} with nothing about the network but {@code --channel} and
         * {@code --replay-channel}: where replays answer to, it works out itself.
         */
        FeedProcess plainSubscriber(final int host, final String name, final long count, final String... more)
            throws IOException
        {
            final List<String> args = new ArrayList<>(List.of("subscribe", "--name", name,
                "--offsets", offsets().toString(), "--count", Long.toString(count),
                "--channel", subscriberChannel(host), "--replay-channel", replayChannel()));
            args.addAll(List.of(more));
            if (!args.contains("--duration"))
            {
                args.addAll(List.of("--duration", "170s"));
            }
            final FeedProcess subscriber = lab.feed(host, JAVA_OPTS, args.toArray(new String[0]));
            processes.add(subscriber);
            starting.add(subscriber);
            return subscriber;
        }

        void awaitReady() throws InterruptedException
        {
            for (final FeedProcess subscriber : starting)
            {
                subscriber.awaitReady(120);
            }
            starting.clear();
        }

        /** Wait for every process still running, but a replay server of its own, to end by itself. */
        void awaitAll() throws InterruptedException
        {
            for (final FeedProcess process : processes)
            {
                if (process.isAlive() && !servers.contains(process))
                {
                    process.awaitExit(150);
                }
            }
        }

        void awaitOffset(final String name, final long sequence) throws InterruptedException
        {
            Await.until(() -> offset(name) >= sequence, 90);
        }

        long offset(final String name)
        {
            return SubscriberOffset.readAll(offsets()).stream().filter(e -> e.name().equals(name))
                .mapToLong(SubscriberOffset.Entry::lastDelivered).findFirst().orElse(0);
        }

        void throttle(final int host, final String rate) throws IOException
        {
            throttle(host, Line.A, rate);
        }

        void throttle(final int host, final Line line, final String rate) throws IOException
        {
            lab.throttle(host, line, rate);
            throttled.add(new Port(host, line));
        }

        void link(final int host, final boolean up) throws IOException
        {
            link(host, Line.A, up);
        }

        void link(final int host, final Line line, final boolean up) throws IOException
        {
            lab.link(host, line, up);
            faulted(cut, new Port(host, line), !up);
        }

        void partition(final int host, final boolean cutOff) throws IOException
        {
            lab.partition(host, Line.A, cutOff);
            faulted(partitioned, new Port(host, Line.A), cutOff);
        }

        /** Every port of a host down (cut off on all its paths) or up again. */
        void isolate(final int host, final boolean cutOff) throws IOException
        {
            lab.isolate(host, cutOff);
            faulted(isolated, host, cutOff);
        }

        /** Keep the list of what {@link #close} must restore. */
        private static <T> void faulted(final List<T> faults, final T what, final boolean on)
        {
            if (on)
            {
                faults.add(what);
            }
            else
            {
                faults.remove(what);
            }
        }

        /** The journal's digest of a range, by {@code feed journal digest} on the publisher's host. */
        String journalDigest(final long from, final long to) throws Exception
        {
            final String key = from + ".." + to;
            final String known = digests.get(key);
            if (known != null)
            {
                return known;
            }
            final FeedProcess digest = lab.feed(PUBLISHER_HOST, JAVA_OPTS, "journal", "digest",
                "--journal", journal().toString(), "--from-seq", Long.toString(from), "--to-seq", Long.toString(to));
            if (digest.awaitExit(90) != 0)
            {
                throw new AssertionError("journal digest failed: " + digest.stderr());
            }
            raw("journal " + key, digest.summary());
            digests.put(key, digest.text("digest"));
            return digest.text("digest");
        }

        void checkPublisher(final FeedProcess publisher, final long first, final long last)
        {
            checkPublisher(publisher, first, last, 0);
        }

        /** As {@link #checkPublisher(FeedProcess, long, long)}, for a publisher that ends with {@code exit} (143: stopped). */
        void checkPublisher(final FeedProcess publisher, final long first, final long last, final int exit)
        {
            raw("publisher", publisher.summary());
            report.published = last;
            expect(publisher.exitCode() == exit, "publisher exit " + publisher.exitCode() + ": " + tail(publisher));
            expect(publisher.field("firstSeq") == first && publisher.field("lastSeq") == last,
                "publisher published " + publisher.field("firstSeq") + ".." + publisher.field("lastSeq") +
                ", expected " + first + ".." + last);
        }

        /**
         * A subscriber delivered exactly {@code first..last}, each once, in order, nothing lost: its
         * count is the range's length and its digest the journal's over the range.
         */
        void check(final String label, final FeedProcess subscriber, final long first, final long last) throws Exception
        {
            final String expected = journalDigest(first, last);
            raw(label, subscriber.summary());
            final long delivered = subscriber.field("delivered");
            final List<String> problems = new ArrayList<>();
            if (subscriber.exitCode() != 0)
            {
                problems.add("exit " + subscriber.exitCode() + ": " + tail(subscriber));
            }
            if (subscriber.field("firstSeq") != first || subscriber.field("lastSeq") != last)
            {
                problems.add("delivered " + subscriber.field("firstSeq") + ".." + subscriber.field("lastSeq") +
                    ", expected " + first + ".." + last);
            }
            if (delivered != last - first + 1)
            {
                problems.add("delivered " + delivered + " for " + (last - first + 1) + " sequences");
            }
            if (subscriber.field("lost") != 0)
            {
                problems.add("lost " + subscriber.field("lost"));
            }
            if (!expected.equals(subscriber.text("digest")))
            {
                problems.add("digest " + subscriber.text("digest") + ", journal's " + expected);
            }
            for (final String problem : problems)
            {
                report.failures.add(label + ": " + problem);
            }
            report.rows.add(new NetLabReport.Row(label, delivered, subscriber.field("recovered"),
                subscriber.field("duplicatesDropped"), subscriber.field("lost"), subscriber.field("gapsDetected"),
                subscriber.field("recoveryMs"), problems.isEmpty()));
        }

        /**
         * A replica, stopped: its journal holds {@code first..last} with the primary journal's digest over
         * the range (by {@code feed journal digest} on each host), and the primary's epoch.
         */
        void checkReplica(final String label, final int host, final String name, final FeedProcess replica,
            final long first, final long last) throws Exception
        {
            final String expected = journalDigest(first, last);
            final String digest = replicaDigest(host, name, first, last);
            final SummaryJson summary = replica.summaryJson();
            final String epoch = JournalIdentity.read(journal()).epochHex();
            final List<String> problems = new ArrayList<>();
            if (summary.number("journalLastSeq", -1) != last)
            {
                problems.add("journal last " + summary.number("journalLastSeq", -1) + ", expected " + last);
            }
            if (!expected.equals(digest))
            {
                problems.add("journal digest " + digest + " over " + first + ".." + last + ", the primary's " + expected);
            }
            if (!epoch.equals(summary.text("epoch", "")))
            {
                problems.add("epoch " + summary.text("epoch", "") + ", the primary's " + epoch);
            }
            for (final String problem : problems)
            {
                report.failures.add(label + ": " + problem);
            }
            final SummaryJson subscriber = summary.object("subscriber");
            report.rows.add(new NetLabReport.Row(label + " (replica)", summary.number("delivered", -1),
                subscriber.number("recovered", -1), subscriber.number("duplicatesDropped", -1),
                subscriber.number("lost", -1), subscriber.number("gapsDetected", -1),
                subscriber.number("recoveryMs", -1), problems.isEmpty()));
        }

        void claimNoGap(final String label, final FeedProcess subscriber)
        {
            claim(label + " saw no gap: gaps " + subscriber.field("gapsDetected") + ", live rejoins " +
                subscriber.field("liveRejoins"), subscriber.field("gapsDetected") == 0 &&
                subscriber.field("liveRejoins") == 0);
        }

        void claim(final String text, final boolean ok)
        {
            report.claims.add((ok ? "" : "**not met**: ") + text);
            if (!ok)
            {
                report.failures.add(text);
            }
        }

        void raw(final String label, final String line)
        {
            report.raw.add(label + ": " + line);
        }

        private void expect(final boolean ok, final String failure)
        {
            if (!ok)
            {
                report.failures.add(failure);
            }
        }

        private static String tail(final FeedProcess process)
        {
            final String err = process.stderr();
            return err.length() > 2_000 ? "..." + err.substring(err.length() - 2_000) : err;
        }

        public void close()
        {
            for (final FeedProcess process : processes)
            {
                process.close();
            }
            try
            {
                for (final Port port : throttled)
                {
                    lab.throttle(port.host(), port.line(), "off");
                }
                for (final Port port : cut)
                {
                    lab.link(port.host(), port.line(), true);
                }
                for (final Port port : partitioned)
                {
                    lab.partition(port.host(), port.line(), false);
                }
                for (final int host : isolated)
                {
                    lab.isolate(host, false);
                }
            }
            catch (final IOException ex)
            {
                report.failures.add("could not restore the lab: " + ex);
            }
            report.seconds = (System.nanoTime() - startNanos) / 1e9;
        }
    }

    /** A host's switch port on one line. */
    record Port(int host, Line line)
    {
    }
}
