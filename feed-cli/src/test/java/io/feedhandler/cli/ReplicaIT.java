package io.feedhandler.cli;

import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalIdentity;
import io.feedhandler.journal.JournalVerifier;
import io.feedhandler.codecs.SummaryJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicas through the real parts: {@code scripts/feed} processes, each with its own embedded media
 * driver, multicast on loopback, journals on disk. A replica follows a publisher, is killed and
 * restarted, feeds a second replica (a chain), and serves a late subscriber after the publisher has
 * gone; each journal ends equal to the primary's. The refusals are checked before anything runs.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReplicaIT
{
    private static final String CHANNEL = "aeron:udp?endpoint=239.255.96.1:43101|interface=127.0.0.1";
    private static final String PRIMARY_REPLAY = "aeron:udp?endpoint=127.0.0.1:43102";
    private static final String FIRST_SERVE = "aeron:udp?endpoint=127.0.0.1:43103";
    private static final String SECOND_SERVE = "aeron:udp?endpoint=127.0.0.1:43104";
    private static final long TICKS = 300_000;

    @TempDir
    Path dir;

    @Test
    void aReplicaKilledAndRestartedAndAChainAfterItHoldThePrimarysHistoryAndServeItWhenThePublisherIsGone()
        throws Exception
    {
        final Path primary = dir.resolve("primary");
        final Path first = dir.resolve("replica-1");
        final Path second = dir.resolve("replica-2");
        try (FeedProcess killed = replica(first, PRIMARY_REPLAY, FIRST_SERVE))
        {
            killed.awaitLog("replica of", 60);
            final FeedProcess publisher = FeedScript.start("publish", "--count", Long.toString(TICKS), "--rate", "50000",
                "--journal", primary.toString(), "--channel", CHANNEL, "--replay-channel", PRIMARY_REPLAY,
                "--linger", "8s");
            try (publisher)
            {
                Await.until(() -> Journal.lastSequenceOf(first) >= TICKS / 6, 60);
                killed.signal("KILL");
                killed.awaitExit(30);
                killed.removeDriverDirectory();
                final boolean sound = JournalVerifier.verify(first, JournalVerifier.Depth.START_UP).ok();
                final long lastBeforeRestart = sound ? Journal.lastSequenceOf(first) : -1;

                // A kill during an append may leave a cut entry: the replica's remedy is to archive it and pull again.
                try (FeedProcess restarted = replica(first, PRIMARY_REPLAY, FIRST_SERVE, "--on-damaged-journal", "archive"))
                {
                    restarted.awaitLog("replica of", 60);
                    try (FeedProcess chained = replica(second, FIRST_SERVE, SECOND_SERVE))
                    {
                        chained.awaitLog("replica of", 60);
                        assertEquals(0, publisher.awaitExit(120), publisher.stderr());
                        Await.until(() ->
                            Journal.lastSequenceOf(first) == TICKS && Journal.lastSequenceOf(second) == TICKS, 90);

                        final String digest = publisher.text("digest");
                        final String epoch = JournalIdentity.read(primary).epochHex();
                        // The primary first, as a subscriber would list it: it has ended, so the replica serves.
                        try (FeedProcess late = FeedScript.start("subscribe", "--from-seq", "1", "--count",
                            Long.toString(TICKS), "--duration", "90s", "--channel", CHANNEL,
                            "--replay-channel", PRIMARY_REPLAY + "," + FIRST_SERVE))
                        {
                            assertEquals(0, late.awaitExit(120), late.stderr());
                            assertEquals(TICKS, late.field("delivered"), late.summary());
                            assertEquals(digest, late.text("digest"), "the whole history, from the replica");
                            assertEquals(0, late.field("duplicatesDropped"), late.summary());
                            assertTrue(late.field("replayFailovers") >= 1, late.summary());
                            assertEquals(FIRST_SERVE, late.text("replayServer"), late.summary());
                        }
                        refusedAnotherEpoch(epoch);

                        restarted.stop();
                        chained.stop();
                        assertEquals(143, restarted.awaitExit(60), restarted.stderr());
                        assertEquals(143, chained.awaitExit(60), chained.stderr());
                        final SummaryJson summary = restarted.summaryJson();
                        assertEquals("replica", summary.text("role", ""));
                        if (sound)
                        {
                            assertEquals(lastBeforeRestart + 1, summary.number("startSeq", -1),
                                "resumed right after its journal's last sequence: " + restarted.summary());
                        }
                        assertEquals(TICKS, summary.number("journalLastSeq", -1), restarted.summary());
                        assertEquals(epoch, summary.text("epoch", ""), "the primary's epoch");
                        assertTrue(summary.object("replay").number("sessions", 0) >= 2,
                            "it served the chain and the late subscriber: " + restarted.summary());
                        assertEquals(epoch, chained.summaryJson().text("epoch", ""), "down the chain too");
                    }
                }
                for (final Path replica : List.of(first, second))
                {
                    assertEquals(digest(primary), digest(replica), "the same history: " + replica);
                    final FeedProcess verify = FeedScript.run(60, "journal", "verify", "--journal", replica.toString());
                    assertEquals(0, verify.exitCode(), verify.stderr());
                }
                final FeedProcess stats = FeedScript.run(60, "journal", "stats", "--journal", first.toString());
                assertEquals(0, stats.exitCode(), stats.stderr());
                final SummaryJson standing = stats.summaryJson();
                assertEquals(JournalIdentity.read(primary).epochHex(), standing.text("epoch", ""));
                assertEquals(0, standing.object("replica").number("trailsBy", -1), stats.summary());
                assertEquals(PRIMARY_REPLAY, standing.object("replica").text("upstream", ""), stats.summary());
                assertTrue(stats.stderr().contains("trails its upstream by 0 sequences"), stats.stderr());
            }
        }
    }

    @Test
    void aJournalOfAnotherStreamAndAServeChannelAmongTheUpstreamsAreRefusedBeforeAnythingRuns() throws Exception
    {
        final Path other = dir.resolve("other");
        Files.createDirectories(other);
        JournalIdentity.replica(CHANNEL, 2002, 0x77L, PRIMARY_REPLAY).write(other);
        final FeedProcess anotherStream = FeedScript.run(60, "replica", "--journal", other.toString(),
            "--channel", CHANNEL, "--replay-channel", PRIMARY_REPLAY, "--serve-channel", FIRST_SERVE);
        assertEquals(FeedMain.EXIT_USAGE, anotherStream.exitCode(), anotherStream.stderr());
        assertTrue(anotherStream.stderr().contains("set up for stream 2002") &&
            anotherStream.stderr().contains("Nothing was replicated"), anotherStream.stderr());
        assertFalse(anotherStream.stderr().contains("replica of"), "never started: " + anotherStream.stderr());
        assertFalse(Files.exists(other.resolve("writer.lock")), "nothing written into it");

        final FeedProcess itself = FeedScript.run(60, "replica", "--journal", dir.resolve("itself").toString(),
            "--channel", CHANNEL, "--replay-channel", FIRST_SERVE, "--serve-channel", FIRST_SERVE + "|mtu=8192");
        assertEquals(FeedMain.EXIT_USAGE, itself.exitCode(), itself.stderr());
        assertTrue(itself.stderr().contains("bad --serve-channel"), itself.stderr());
        assertFalse(Files.exists(dir.resolve("itself")), "nothing created");
    }

    /** A replica whose journal holds another epoch of the same stream is refused once its upstream speaks. */
    private void refusedAnotherEpoch(final String epoch) throws Exception
    {
        final Path stale = dir.resolve("stale");
        Files.createDirectories(stale);
        JournalIdentity.replica(CHANNEL, 1001, 0x1234L, FIRST_SERVE).write(stale);
        final FeedProcess refused = FeedScript.run(90, "replica", "--journal", stale.toString(), "--channel", CHANNEL,
            "--replay-channel", FIRST_SERVE, "--serve-channel", "aeron:udp?endpoint=127.0.0.1:43105");
        assertEquals(FeedMain.EXIT_USAGE, refused.exitCode(), refused.stderr());
        assertTrue(refused.stderr().contains("0000000000001234") && refused.stderr().contains(epoch), refused.stderr());
    }

    private static FeedProcess replica(final Path journal, final String upstream, final String serve, final String... more)
        throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("replica", "--journal", journal.toString(),
            "--channel", CHANNEL, "--replay-channel", upstream, "--serve-channel", serve, "--stale-timeout", "1s"));
        args.addAll(List.of(more));
        return FeedScript.start(args.toArray(new String[0]));
    }

    private static String digest(final Path journal)
    {
        try (Journal open = Journal.openReadOnly(journal))
        {
            return QuoteDigest.toHex(open.digest(1, TICKS));
        }
    }
}
