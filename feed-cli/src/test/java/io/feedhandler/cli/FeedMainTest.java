package io.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to every command: exit 2, one line naming the bad value, no stack trace. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FeedMainTest
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.77.15:40615|interface=127.0.0.1";

    @TempDir
    Path dir;

    @Test
    void unknownOption()
    {
        assertUsageError("'--bogus'", "publish", "--bogus");
    }

    @Test
    void badChannelUri()
    {
        assertUsageError("aeron:nope", "publish", "--channel", "aeron:nope", "--journal", dir.toString());
        assertUsageError("endpoint=", "subscribe", "--channel", "aeron:udp?interface=127.0.0.1");
        assertUsageError("must be odd", "subscribe", "--channel", "aeron:udp?endpoint=239.1.1.2:4000|interface=127.0.0.1");
        assertUsageError("control-mode=dynamic beside control=", "publish", "--channel",
            "aeron:udp?control=127.0.0.1:40655", "--journal", dir.toString());
        assertUsageError("endpoint=<this host's address>:port", "subscribe", "--channel",
            "aeron:udp?control=127.0.0.1:40655|control-mode=dynamic");
    }

    @Test
    void badJournalFullPolicyAndReserve()
    {
        assertUsageError("--on-journal-full 'pause'", "publish", "--on-journal-full", "pause", "--journal",
            dir.toString(), "--channel", CHANNEL);
        assertUsageError("--min-free-disk 524288 bytes", "publish", "--min-free-disk", "512k", "--journal",
            dir.toString(), "--channel", CHANNEL);
        assertUsageError("'lots'", "publish", "--min-free-disk", "lots");
    }

    @Test
    void negativeRate()
    {
        assertUsageError("--rate -5", "publish", "--rate", "-5", "--journal", dir.toString(), "--channel", CHANNEL);
    }

    @Test
    void negativeCount()
    {
        assertUsageError("--count -1", "subscribe", "--count", "-1", "--channel", CHANNEL);
    }

    @Test
    void badDurationAndNumbers()
    {
        assertUsageError("'soon'", "subscribe", "--duration", "soon");
        assertUsageError("'many'", "publish", "--count", "many");
        assertUsageError("--idle 'fast'", "subscribe", "--idle", "fast", "--channel", CHANNEL);
    }

    @Test
    void badProfileAndCpu()
    {
        assertUsageError("--profile 'fast'", "subscribe", "--profile", "fast", "--channel", CHANNEL);
        assertUsageError("--cpu 99", "publish", "--cpu", "99", "--journal", dir.toString(), "--channel", CHANNEL);
        assertUsageError("--replay-cpu 99", "publish", "--replay-cpu", "99", "--journal", dir.toString(),
            "--channel", CHANNEL);
        assertUsageError("--max-instruments 0", "subscribe", "--max-instruments", "0", "--channel", CHANNEL);
        assertUsageError("--max-replay-rate -1", "publish", "--max-replay-rate", "-1", "--journal", dir.toString(),
            "--channel", CHANNEL);
        assertUsageError("--max-requests-per-second -3", "publish", "--max-requests-per-second", "-3",
            "--journal", dir.toString(), "--channel", CHANNEL);
        assertUsageError("--max-requests-per-second 2000000", "replay-server", "--max-requests-per-second", "2000000",
            "--journal", dir.toString());
    }

    @Test
    void streamIdsArePositive()
    {
        assertUsageError("--stream 0", "subscribe", "--stream", "0", "--channel", CHANNEL);
        assertUsageError("--stream -3", "publish", "--stream", "-3", "--journal", dir.toString(), "--channel", CHANNEL);
        assertUsageError("--replay-stream 0", "subscribe", "--replay-stream", "0", "--channel", CHANNEL);
    }

    @Test
    void boundsOfLimitsAndTimes()
    {
        final String journal = dir.resolve("j").toString();
        assertUsageError("--max-sessions 0", "publish", "--max-sessions", "0", "--journal", journal, "--channel", CHANNEL);
        assertUsageError("--max-batch 0", "publish", "--max-batch", "0", "--journal", journal, "--channel", CHANNEL);
        assertUsageError("--burst 0", "publish", "--burst", "0", "--journal", journal, "--channel", CHANNEL);
        assertUsageError("--instruments 0", "publish", "--instruments", "0", "--journal", journal, "--channel", CHANNEL);
        assertUsageError("--heartbeat-interval 0", "publish", "--heartbeat-interval", "0s", "--journal", journal,
            "--channel", CHANNEL);
        assertUsageError("--stale-timeout 0", "subscribe", "--stale-timeout", "0s", "--channel", CHANNEL);
        assertUsageError("--recovery-buffer 0", "subscribe", "--recovery-buffer", "0", "--channel", CHANNEL);
        assertUsageError("--from-seq -5", "subscribe", "--from-seq", "-5", "--channel", CHANNEL);
        assertUsageError("--roll-cycle 'BOGUS'", "publish", "--roll-cycle", "BOGUS", "--journal", journal,
            "--channel", CHANNEL);
    }

    @Test
    void aListOfReplayServersIsForSubscribersOnly()
    {
        final String servers = "aeron:udp?endpoint=127.0.0.1:40901,aeron:udp?endpoint=127.0.0.1:40902";
        assertUsageError("listens on one channel", "replay-server", "--journal", dir.toString(),
            "--replay-channel", servers);
        assertUsageError("listens on one channel", "publish", "--journal", dir.resolve("j").toString(),
            "--channel", CHANNEL, "--replay-channel", servers);
        assertUsageError("--replay-channel (server 2 of 2) 'aeron:udp?endpoint=127.0.0.1:4O902'", "subscribe",
            "--channel", CHANNEL, "--replay-channel", "aeron:udp?endpoint=127.0.0.1:40901,aeron:udp?endpoint=127.0.0.1:4O902");
        assertUsageError("the same server as entry 1", "subscribe", "--channel", CHANNEL,
            "--replay-channel", servers + ",aeron:udp?endpoint=127.0.0.1:40901");
        assertUsageError("--replay-server-timeout 0", "subscribe", "--replay-server-timeout", "0s", "--channel", CHANNEL);
        assertUsageError("--replay-connect-wait", "subscribe", "--replay-connect-wait", "-1s", "--channel", CHANNEL);
        assertUsageError("--replay-connect-wait", "replica", "--replay-connect-wait", "soon", "--channel", CHANNEL);
    }

    @Test
    void rangesRunForwards()
    {
        assertUsageError("--from-seq 10 --to-seq 5", "replay", "--from-seq", "10", "--to-seq", "5",
            "--journal", dir.toString());
        assertUsageError("--to-seq 5 is before --from-seq 10", "journal", "digest", "--from-seq", "10", "--to-seq", "5",
            "--journal", dir.toString());
    }

    @Test
    void namesAndDirectories() throws Exception
    {
        assertUsageError("--name '../../etc/x'", "subscribe", "--name", "../../etc/x", "--offsets", dir.toString(),
            "--channel", CHANNEL);
        final Path file = Files.createFile(dir.resolve("plain-file"));
        assertUsageError(file.resolve("offsets").toString(), "subscribe", "--name", "x",
            "--offsets", file.resolve("offsets").toString(), "--channel", CHANNEL);
        assertUsageError("--journal '" + dir.resolve("none"), "replay-server", "--journal", dir.resolve("none").toString());
        assertUsageError(file.resolve("aeron").toString(), "driver", "--aeron-dir", file.resolve("aeron").toString());
    }

    @Test
    void channelsTheMediaDriverRefusesAreUsageErrors()
    {
        // Found only when the driver resolves the channel: still exit 2 at start-up, naming the problem.
        assertUsageError("10.9.9.9", "subscribe", "--no-recovery",
            "--channel", "aeron:udp?endpoint=239.255.77.15:40615|interface=10.9.9.9");
        assertUsageError("port out of range", "publish", "--journal", dir.resolve("j").toString(), "--no-replay-server",
            "--channel", "aeron:udp?endpoint=239.255.77.15:99999|interface=127.0.0.1");
        assertUsageError("nohost.invalid", "publish", "--journal", dir.resolve("j").toString(), "--no-replay-server",
            "--channel", "aeron:udp?endpoint=nohost.invalid:40615");
    }

    @Test
    void badDamagedJournalPolicyAndHalfAStream()
    {
        assertUsageError("--on-damaged-journal 'delete'", "publish", "--on-damaged-journal", "delete",
            "--journal", dir.toString(), "--channel", CHANNEL);
        assertUsageError("give both", "journal", "verify", "--journal", dir.toString(), "--stream", "7");
    }

    @Test
    void unreadableCsvLineIsReportedWithItsNumber() throws Exception
    {
        final Path csv = dir.resolve("ticks.csv");
        Files.write(csv, List.of("timestamp,symbol,bid,bidSize,ask,askSize", "1,AAPL,1.00,100,1.01,100",
            "2,AAPL,one,100,1.01,100"));
        assertUsageError("line 3", "publish", "--csv", csv.toString(), "--journal", dir.resolve("j").toString(),
            "--channel", CHANNEL);
        assertUsageError("missing.csv", "publish", "--csv", dir.resolve("missing.csv").toString(),
            "--journal", dir.resolve("j").toString(), "--channel", CHANNEL);
    }

    @Test
    void unwritableJournalDirectory() throws Exception
    {
        final Path file = Files.createFile(dir.resolve("not-a-dir"));
        final String journal = file.resolve("journal").toString();
        assertUsageError(journal, "publish", "--journal", journal, "--channel", CHANNEL, "--count", "1");
    }

    @Test
    void journalToolsNameAMissingJournal()
    {
        final String missing = dir.resolve("nothing-here").toString();
        assertUsageError(missing, "journal", "stats", "--journal", missing);
        assertUsageError(missing, "journal", "digest", "--journal", missing);
    }

    @Test
    void aCommandIsRequired()
    {
        assertUsageError("command", new String[0]);
    }

    @Test
    void aFlagGivenOnTheCommandLineIsInTheStartUpReport()
    {
        // The start-up log lists where each value came from; a boolean flag once broke it (exit 1).
        final Result result = run("publish", "--no-replay-server", "--count", "5", "--rate", "0",
            "--connect-timeout", "0s", "--linger", "0s", "--journal", dir.resolve("flag").toString(),
            "--channel", CHANNEL, "--stream", "3091");
        assertEquals(0, result.exitCode, result.err);
    }

    @Test
    void helpWorksForEveryCommand()
    {
        for (final String command : new String[]{"publish", "subscribe", "driver", "journal", "demo"})
        {
            final Result result = run(command, "--help");
            assertEquals(0, result.exitCode, command);
            assertTrue(result.out.contains("Usage: feed " + command), result.out);
        }
    }

    @Test
    void gatewayBadArguments() throws Exception
    {
        assertUsageError("--port 70000", "gateway", "--port", "70000", "--channel", CHANNEL);
        assertUsageError("--bind 'no.such.host.invalid'", "gateway", "--bind", "no.such.host.invalid", "--channel", CHANNEL);
        assertUsageError("--history 10", "gateway", "--history", "10", "--channel", CHANNEL);
        assertUsageError("--max-resumes 0", "gateway", "--max-resumes", "0", "--channel", CHANNEL);
        assertUsageError("--max-connections 0", "gateway", "--max-connections", "0", "--channel", CHANNEL);
        assertUsageError("--reconnect-rate -1", "gateway", "--reconnect-rate", "-1", "--channel", CHANNEL);
        assertUsageError("--slow-client-timeout 0", "gateway", "--slow-client-timeout", "0s", "--channel", CHANNEL);
        assertUsageError("--tokens '" + dir.resolve("none"), "gateway", "--tokens", dir.resolve("none").toString(),
            "--channel", CHANNEL);
        final Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "good-token-1: AAPL\nnot a line\n");
        assertUsageError("line 2", "gateway", "--tokens", tokens.toString(), "--channel", CHANNEL);
        assertUsageError("--journal '" + dir.resolve("none"), "gateway", "--journal", dir.resolve("none").toString(),
            "--channel", CHANNEL);
    }

    private static void assertUsageError(final String expected, final String... args)
    {
        final Result result = run(args);
        assertEquals(FeedMain.EXIT_USAGE, result.exitCode, result.err);
        assertTrue(result.err.contains(expected), "stderr should name " + expected + ": " + result.err);
        assertFalse(result.err.contains("\tat "), "no stack trace for a user error: " + result.err);
        assertEquals(1, result.err.strip().lines().count(), "one line: " + result.err);
    }

    private static Result run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final var commandLine = FeedMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err)
    {
    }
}
