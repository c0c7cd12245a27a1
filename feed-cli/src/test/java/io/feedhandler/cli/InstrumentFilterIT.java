package io.feedhandler.cli;

import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounterReader;
import io.feedhandler.transport.FeedCounterReader.Instance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

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
    private static final String RECOVERED = "recovered up to sequence";

    @TempDir
    Path dir;

    @Test
    void aFilteredSubscriberDeliversItsInstrumentsAndRecoversThemWithAFractionOfTheBytes() throws Exception
    {
        final String journal = dir.resolve("journal").toString();
        // Long enough for every step below on a loaded machine; stopped (SIGTERM) once they are done.
        try (FeedProcess publisher = FeedScript.start("publish", "--count", "20000000", "--rate", "100000",
            "--instruments", "100", "--journal", journal, "--channel", CHANNEL, "--replay-channel", PUBLISHER_REPLAY))
        {
            publisher.awaitLog("publishing on", 60); // its journal exists: replay servers can open it
            runFilteredAndFull(journal, publisher);
        }
    }

    private void runFilteredAndFull(final String journal, final FeedProcess publisher) throws Exception
    {
        try (FeedProcess filteredServer = replayServer(journal, FILTERED_REPLAY);
            FeedProcess fullServer = replayServer(journal, FULL_REPLAY);
            FeedProcess filtered = FeedScript.start("subscribe", "--instrument", WANTED, "--print", "--duration", "180s",
                "--stale-timeout", "1s", "--channel", CHANNEL, "--replay-channel", FILTERED_REPLAY);
            FeedProcess full = FeedScript.start("subscribe", "--duration", "180s", "--stale-timeout", "1s",
                "--channel", CHANNEL, "--replay-channel", FULL_REPLAY))
        {
            filtered.awaitReady(60);
            full.awaitReady(60);
            // A late joiner cannot place the ids it hears until live repeats the definitions: it pulls them,
            // then delivers.
            awaitDelivering(filtered);
            final int filteredRecoveries = logged(filtered, RECOVERED);
            final int fullRecoveries = logged(full, RECOVERED);
            filtered.signal("STOP");
            full.signal("STOP");
            Thread.sleep(5_000);
            filtered.signal("CONT");
            full.signal("CONT");
            awaitLogged(filtered, RECOVERED, filteredRecoveries + 1); // back on live after pulling what the stop cost
            awaitLogged(full, RECOVERED, fullRecoveries + 1);
            // Not yet enough on its own: a first pull still running at the stop ends after it, and only then
            // is the stop's own gap found and pulled. Past everything sent before they resumed, and not
            // recovering, is past all that the stop cost.
            final long sentBeforeResume = sentSinceNow(publisher);
            awaitLiveBeyond(filtered, sentBeforeResume);
            awaitLiveBeyond(full, sentBeforeResume);
            for (final FeedProcess process : List.of(filtered, full, publisher, filteredServer, fullServer))
            {
                process.signal("TERM");
                assertEquals(143, process.awaitExit(60), process.stderr());
            }
            System.out.println("InstrumentFilterIT: filtered " + filtered.summary() + "\nunfiltered " + full.summary() +
                "\nfiltered server " + filteredServer.summary() + "\nunfiltered server " + fullServer.summary());

            assertEquals("LIVE", filtered.text("state"), filtered.summary());
            assertEquals("LIVE", full.text("state"), full.summary());
            assertTrue(full.field("recovered") > 0, "the stop made it pull: " + full.summary());
            assertTrue(filtered.field("recovered") > 0, "the stop made it pull: " + filtered.summary());
            assertEquals(0, filtered.field("lost"), filtered.summary());
            assertEquals(0, filtered.field("undefinedInstruments"), filtered.summary());

            // Its instruments delivered, every one once, the rest passed over.
            final long first = filtered.field("firstSeq");
            final long last = filtered.field("lastSeq");
            final FeedProcess replay = FeedScript.run(60, "replay", "--journal", journal, "--instrument", WANTED,
                "--from-seq", Long.toString(first), "--to-seq", Long.toString(last), "--format", "csv");
            assertEquals(0, replay.exitCode(), replay.stderr());
            final List<String> expected = new ArrayList<>();
            for (final String row : replay.stdoutLines().subList(1, replay.stdoutLines().size()))
            {
                // sequence,exchangeTimestamp,sendTimestamp,instrumentId,symbol,bid,bidSize,ask,askSize
                final String[] columns = row.split(",");
                expected.add(String.join(" ", columns[0], columns[4], columns[6], columns[5], columns[8], columns[7]));
            }
            final List<String> delivered = new ArrayList<>();
            final List<String> printed = filtered.stdoutLines();
            for (final String row : printed.subList(0, printed.size() - 1))
            {
                // QuoteText: SEQUENCE PUBLISH-TIME SYMBOL BIDSIZE @ BID / ASK x ASKSIZE
                final String[] columns = row.split(" ");
                delivered.add(String.join(" ", columns[0], columns[2], columns[3], columns[5], columns[9], columns[7]));
            }
            assertTrue(expected.size() > 1_000, "about 3% of the ticks: " + expected.size());
            assertEquals(expected, delivered, "exactly the rows feed replay --instrument gives");
            assertEquals(expected.size(), filtered.field("delivered"), filtered.summary());
            // Every sequence it saw is delivered or passed over: those between its first and last own
            // tick, and a few (about 97% are others') before the first and after the last.
            final long accounted = filtered.field("delivered") + filtered.field("filtered") - (last - first + 1);
            assertTrue(accounted >= 0 && accounted < 2_000, "every sequence delivered or passed over: " +
                filtered.summary());

            final FeedProcess digest = FeedScript.run(60, "journal", "digest", "--journal", journal,
                "--instrument", WANTED, "--from-seq", Long.toString(first), "--to-seq", Long.toString(last));
            assertEquals(0, digest.exitCode(), digest.stderr());
            assertEquals(digest.text("digest"), filtered.text("digest"), filtered.summary());
            assertEquals(expected.size(), digest.field("count"), digest.summary());
            final FeedProcess fullDigest = FeedScript.run(60, "journal", "digest", "--journal", journal,
                "--from-seq", Long.toString(full.field("firstSeq")), "--to-seq", Long.toString(full.field("lastSeq")));
            assertEquals(fullDigest.text("digest"), full.text("digest"), full.summary());

            final long filteredBytes = filteredServer.field("bytesSent");
            final long fullBytes = fullServer.field("bytesSent");
            System.out.printf("InstrumentFilterIT: filtered recoveries %,d bytes (%,d ticks), unfiltered %,d bytes " +
                "(%,d ticks): %.1f%%%n", filteredBytes, filtered.field("recovered"), fullBytes, full.field("recovered"),
                100.0 * filteredBytes / fullBytes);
            // Every session the filtered subscriber got was a filtered one. How many there were depends on timing:
            // its first pull (the definitions a late joiner needs) may still be running when the stop comes, and
            // then one session covers both.
            assertTrue(filteredServer.field("filteredSessions") >= 1 &&
                filteredServer.field("filteredSessions") == filteredServer.field("sessions"), filteredServer.summary());
            assertTrue(fullBytes > 1_000_000, fullServer.summary());
            assertTrue(filteredBytes < fullBytes / 5, "a filtered recovery moves a fraction of the bytes: " +
                filteredBytes + " of " + fullBytes);
        }
    }

    private static int logged(final FeedProcess process, final String text)
    {
        return process.stderr().split(Pattern.quote(text), -1).length - 1;
    }

    private static void awaitDelivering(final FeedProcess process) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (process.stdoutLines().isEmpty())
        {
            assertTrue(System.nanoTime() < deadline && process.isAlive(), "delivered nothing: " + process.stderr());
            Thread.sleep(100);
        }
    }

    /**
     * The publisher's last sequence as of a counter refresh that came after this call: everything it had
     * sent before the call is at or below it.
     */
    private static long sentSinceNow(final FeedProcess publisher) throws Exception
    {
        final long before = counter(publisher, FeedCounter.PUBLISHER_LAST_SEQUENCE);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long now;
        while ((now = counter(publisher, FeedCounter.PUBLISHER_LAST_SEQUENCE)) <= before)
        {
            assertTrue(System.nanoTime() < deadline && publisher.isAlive(), "the publisher's last sequence " +
                "stayed at " + before + " (pid " + publisher.pid() + "): " + FeedCounterReader.readAll(List.of()));
            Thread.sleep(20);
        }
        return now;
    }

    /** Waits until {@code subscriber} is on live (not recovering) and has delivered beyond {@code sequence}. */
    private static void awaitLiveBeyond(final FeedProcess subscriber, final long sequence) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true)
        {
            final Instance counters = counters(subscriber, FeedCounter.Role.SUBSCRIBER);
            if (counters != null && counters.value(FeedCounter.RECOVERING) == 0 &&
                counters.value(FeedCounter.SUBSCRIBER_LAST_SEQUENCE) > sequence)
            {
                return;
            }
            assertTrue(System.nanoTime() < deadline && subscriber.isAlive(), "not live beyond " + sequence + ": " +
                counters + "\n" + subscriber.stderr());
            Thread.sleep(50);
        }
    }

    private static long counter(final FeedProcess process, final FeedCounter counter)
    {
        final Instance counters = counters(process, counter.role());
        return counters == null ? 0 : counters.value(counter);
    }

    /** Its live counters of {@code role}, read from its embedded media driver as {@code feed stat} does; null before it has them. */
    private static Instance counters(final FeedProcess process, final FeedCounter.Role role)
    {
        for (final Instance instance : FeedCounterReader.readAll(FeedCounterReader.driverDirectories()))
        {
            if (instance.pid() == process.pid() && instance.role() == role)
            {
                return instance;
            }
        }
        return null;
    }

    /** Waits until {@code process} has logged {@code text} at least {@code times} times. */
    private static void awaitLogged(final FeedProcess process, final String text, final int times) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (logged(process, text) < times)
        {
            assertTrue(System.nanoTime() < deadline && process.isAlive(), "waited for '" + text + "' x" + times + ": " +
                process.stderr());
            Thread.sleep(100);
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
