package io.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instrument-filtered subscriptions through the real parts: a publisher of 100 instruments with its
 * journal, two standalone replay servers on that journal (one per subscriber, so each one's bytes are
 * counted apart), a subscriber of 3 instruments and one of all, both late joiners, both stopped
 * (SIGSTOP) for 5 s. The filtered one delivers exactly the rows {@code feed replay --instrument} gives,
 * with the digest {@code feed journal digest --instrument} gives, and its recovery moves a small
 * fraction of the bytes of the unfiltered one's.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InstrumentFilterIT
{
    private static final String CHANNEL = "aeron:udp?endpoint=239.255.93.1:45301|interface=127.0.0.1";
    private static final String PUBLISHER_REPLAY = "aeron:udp?endpoint=127.0.0.1:45310";
    private static final String FILTERED_REPLAY = "aeron:udp?endpoint=127.0.0.1:45311";
    private static final String FULL_REPLAY = "aeron:udp?endpoint=127.0.0.1:45312";
    private static final String WANTED = "AAPL,MSFT,NVDA";

    @TempDir
    Path dir;

    @Test
    void aFilteredSubscriberDeliversItsInstrumentsAndRecoversThemWithAFractionOfTheBytes() throws Exception
    {
        final String journal = dir.resolve("journal").toString();
        try (FeedProcess publisher = FeedScript.start("publish", "--count", "3000000", "--rate", "100000",
            "--instruments", "100", "--journal", journal, "--linger", "3s", "--channel", CHANNEL,
            "--replay-channel", PUBLISHER_REPLAY))
        {
            publisher.awaitLog("publishing on", 60); // its journal exists: replay servers can open it
            runFilteredAndFull(journal, publisher);
        }
    }

    private void runFilteredAndFull(final String journal, final FeedProcess publisher) throws Exception
    {
        try (FeedProcess filteredServer = replayServer(journal, FILTERED_REPLAY);
            FeedProcess fullServer = replayServer(journal, FULL_REPLAY);
            FeedProcess filtered = FeedScript.start("subscribe", "--instrument", WANTED, "--print", "--duration", "45s",
                "--stale-timeout", "1s", "--channel", CHANNEL, "--replay-channel", FILTERED_REPLAY);
            FeedProcess full = FeedScript.start("subscribe", "--duration", "45s", "--stale-timeout", "1s",
                "--channel", CHANNEL, "--replay-channel", FULL_REPLAY))
        {
            filtered.awaitReady(60);
            full.awaitReady(60);
            filtered.awaitLog("recovered", 60); // a late joiner that could not place ids pulled their definitions
            filtered.signal("STOP");
            full.signal("STOP");
            Thread.sleep(5_000);
            filtered.signal("CONT");
            full.signal("CONT");
            assertEquals(0, publisher.awaitExit(120), publisher.stderr());
            assertEquals(0, filtered.awaitExit(120), filtered.stderr());
            assertEquals(0, full.awaitExit(120), full.stderr());
            filteredServer.signal("TERM");
            fullServer.signal("TERM");
            assertEquals(143, filteredServer.awaitExit(60), filteredServer.stderr());
            assertEquals(143, fullServer.awaitExit(60), fullServer.stderr());

            System.out.println("InstrumentFilterIT: filtered " + filtered.summary() + "\nunfiltered " + full.summary() +
                "\nfiltered server " + filteredServer.summary() + "\nunfiltered server " + fullServer.summary());
            final long last = publisher.field("lastSeq");
            assertEquals(last, full.field("lastSeq"), full.summary());
            assertTrue(full.field("recovered") > 0, "the stop made it pull: " + full.summary());
            assertTrue(filtered.field("recovered") > 0, "the stop made it pull: " + filtered.summary());
            assertEquals(0, filtered.field("lost"), filtered.summary());
            assertEquals(0, filtered.field("undefinedInstruments"), filtered.summary());

            // Everything after its start: its instruments delivered, the rest passed over, nothing twice.
            final long first = filtered.field("firstSeq");
            final FeedProcess replay = FeedScript.run(60, "replay", "--journal", journal, "--instrument", WANTED,
                "--from-seq", Long.toString(first), "--to-seq", Long.toString(last), "--format", "csv");
            assertEquals(0, replay.exitCode(), replay.stderr());
            final List<String> expected = new ArrayList<>();
            for (final String row : replay.stdoutLines().subList(1, replay.stdoutLines().size()))
            {
                final String[] columns = row.split(",");
                expected.add(columns[0] + " " + columns[3]); // sequence and instrument id
            }
            final List<String> delivered = new ArrayList<>();
            final List<String> printed = filtered.stdoutLines();
            for (final String row : printed.subList(0, printed.size() - 1))
            {
                final String[] columns = row.split(" ");
                delivered.add(columns[0] + " " + columns[1]);
            }
            assertTrue(expected.size() > 10_000, "about 3% of the ticks: " + expected.size());
            assertEquals(expected, delivered, "exactly the rows feed replay --instrument gives");
            assertEquals(expected.size(), filtered.field("delivered"), filtered.summary());
            // Every sequence from where it joined is delivered or passed over; it joined a few ticks (of other
            // instruments, about 3% being its own) before its first delivered one.
            final long accounted = filtered.field("delivered") + filtered.field("filtered") - (last - first + 1);
            assertTrue(accounted >= 0 && accounted < 1_000, "every sequence delivered or passed over: " +
                filtered.summary());

            final FeedProcess digest = FeedScript.run(60, "journal", "digest", "--journal", journal,
                "--instrument", WANTED, "--from", Long.toString(first), "--to", Long.toString(last));
            assertEquals(0, digest.exitCode(), digest.stderr());
            assertEquals(digest.text("digest"), filtered.text("digest"), filtered.summary());
            assertEquals(expected.size(), digest.field("count"), digest.summary());

            final long filteredBytes = filteredServer.field("bytesSent");
            final long fullBytes = fullServer.field("bytesSent");
            System.out.printf("InstrumentFilterIT: filtered recovery %,d bytes (%,d ticks), unfiltered %,d bytes " +
                "(%,d ticks): %.1f%%%n", filteredBytes, filtered.field("recovered"), fullBytes, full.field("recovered"),
                100.0 * filteredBytes / fullBytes);
            assertEquals(1, filteredServer.field("filteredSessions") >= 1 ? 1 : 0, filteredServer.summary());
            assertTrue(fullBytes > 1_000_000, fullServer.summary());
            assertTrue(filteredBytes < fullBytes / 5, "a filtered recovery moves a fraction of the bytes: " +
                filteredBytes + " of " + fullBytes);
        }
    }

    @Test
    void badInstrumentListsAreRefusedNamingThem() throws Exception
    {
        final FeedProcess empty = FeedScript.run(60, "subscribe", "--instrument", "");
        assertEquals(2, empty.exitCode(), empty.stderr());
        assertTrue(empty.stderr().contains("--instrument") && empty.stderr().contains("no instrument named"),
            empty.stderr());
        final FeedProcess tooLong = FeedScript.run(60, "subscribe", "--instrument", "AAPL,THIS_IS_NOT_A_SYMBOL_AT_ALL");
        assertEquals(2, tooLong.exitCode(), tooLong.stderr());
        assertTrue(tooLong.stderr().contains("THIS_IS_NOT_A_SYMBOL_AT_ALL"), tooLong.stderr());

        final String journal = dir.resolve("journal").toString();
        final FeedProcess publisher = FeedScript.run(60, "publish", "--count", "1000", "--instruments", "10",
            "--journal", journal, "--no-replay-server", "--channel", CHANNEL);
        assertEquals(0, publisher.exitCode(), publisher.stderr());
        final FeedProcess unknown = FeedScript.run(60, "subscribe", "--journal", journal, "--instrument", "AAPL,NOPE,ZZZ",
            "--channel", CHANNEL);
        assertEquals(2, unknown.exitCode(), unknown.stderr());
        assertTrue(unknown.stderr().contains("NOPE,ZZZ"), unknown.stderr());
        final FeedProcess digest = FeedScript.run(60, "journal", "digest", "--journal", journal, "--instrument", "NOPE");
        assertEquals(2, digest.exitCode(), digest.stderr());
        assertTrue(digest.stderr().contains("NOPE"), digest.stderr());

        // From the journal: a subscriber of AAPL from sequence 1 delivers what the digest tool counts.
        final FeedProcess aapl = FeedScript.run(60, "subscribe", "--journal", journal, "--instrument", "AAPL",
            "--from-seq", "1", "--duration", "3s", "--channel", CHANNEL, "--replay-channel", FILTERED_REPLAY);
        final FeedProcess aaplDigest = FeedScript.run(60, "journal", "digest", "--journal", journal,
            "--instrument", "AAPL");
        assertEquals(0, aaplDigest.exitCode(), aaplDigest.stderr());
        assertEquals(aaplDigest.field("count"), aapl.field("delivered"), aapl.summary());
        assertEquals(aaplDigest.text("digest"), aapl.text("digest"), aapl.summary());
        assertEquals(1000 - aapl.field("delivered"), aapl.field("filtered"), aapl.summary());
    }

    private static FeedProcess replayServer(final String journal, final String channel) throws Exception
    {
        final FeedProcess server = FeedScript.start("replay-server", "--journal", journal, "--replay-channel", channel);
        server.awaitLog("listening on", 60);
        return server;
    }
}
