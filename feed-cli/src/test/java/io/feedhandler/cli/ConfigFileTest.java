package io.feedhandler.cli;

import io.feedhandler.publisher.PublisherConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --config FILE and --print-config, in process: precedence, every kind of mistake, the printed form. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigFileTest
{
    /** Every command that runs, as it is typed. */
    static final List<String[]> COMMANDS = List.of(
        new String[]{"publish"}, new String[]{"subscribe"}, new String[]{"driver"}, new String[]{"replay-server"},
        new String[]{"replay"}, new String[]{"journal", "stats"}, new String[]{"journal", "digest"},
        new String[]{"journal", "book"}, new String[]{"journal", "verify"}, new String[]{"journal", "upgrade"}, new String[]{"demo"}, new String[]{"stat"},
        new String[]{"metrics"}, new String[]{"gateway"}, new String[]{"replica"});

    @TempDir
    Path dir;

    @Test
    void commandLineOverridesTheFileAndTheFileOverridesTheDefaults() throws IOException
    {
        final Path file = write("publisher.properties",
            "# a comment, and a blank line", "", "stream = 1099", "count: 7", "linger=250ms", "no-replay-server=true",
            "channel=aeron:udp?endpoint=239.255.80.13:43013|interface=127.0.0.1   ");
        final CommandLine commandLine = FeedMain.commandLine();
        commandLine.parseArgs("publish", "--config", file.toString(), "--count", "9");
        final PublishCommand publish = commandLine.getSubcommands().get("publish").getCommand();

        assertEquals(9, publish.limits.count, "the command line wins");
        assertEquals(1099, publish.transport.stream.streamId, "the file stands in for the default");
        assertEquals(250_000_000L, publish.lingerNanos);
        assertTrue(publish.noReplayServer);
        assertEquals("aeron:udp?endpoint=239.255.80.13:43013|interface=127.0.0.1", publish.transport.stream.channel,
            "trailing blanks are not part of a value");
        assertEquals(42, publish.seed, "no file value, no command line: the default");
        assertEquals(TimeUnit.SECONDS.toNanos(1), publish.heartbeatIntervalNanos);
    }

    @Test
    void listsAndEnumsFromTheFile() throws IOException
    {
        final Path file = write("replay.properties", "instrument=AAPL,MSFT", "format=csv", "follow=true");
        final CommandLine commandLine = FeedMain.commandLine();
        commandLine.parseArgs("replay", "--config", file.toString());
        final ReplayCommand replay = commandLine.getSubcommands().get("replay").getCommand();
        assertEquals(List.of("AAPL", "MSFT"), replay.instrumentFilter);
        assertEquals(ReplayCommand.Format.csv, replay.format);
        assertTrue(replay.follow);
    }

    @Test
    void printConfigNamesWhereEachValueCameFrom() throws IOException
    {
        final Path file = write("subscriber.properties", "stream=1099", "name=risk", "stale-timeout=2s");
        final Result result = run("subscribe", "--config", file.toString(), "--name", "audit", "--print-config");
        assertEquals(0, result.exitCode, result.err);
        final Map<String, String> sources = sources(result.out);
        final Map<String, String> values = values(result.out);
        assertEquals("command line", sources.get("name"));
        assertEquals("audit", values.get("name"));
        assertEquals(file.toString(), sources.get("stream"));
        assertEquals("1099", values.get("stream"));
        assertEquals("2s", values.get("stale-timeout"));
        assertEquals("default", sources.get("recovery-buffer"));
        assertEquals("65536", values.get("recovery-buffer"));
        assertEquals("3s", ConfigReport.defaultText(
            FeedMain.commandLine().getSubcommands().get("subscribe").getCommandSpec().findOption("stale-timeout")));
        assertEquals("not set", sources.get("journal"), "an option without a default is listed, commented out");
        assertFalse(sources.containsKey("config") || sources.containsKey("print-config") || sources.containsKey("help"));
    }

    @Test
    void printConfigDoesNotRunTheCommand()
    {
        // Run, this would fail: there is no such journal.
        final Result result = run("journal", "stats", "--journal", dir.resolve("none").toString(), "--print-config");
        assertEquals(0, result.exitCode, result.err);
        assertEquals(dir.resolve("none").toString(), values(result.out).get("journal"));
    }

    /** What --print-config writes is a config file that gives the same configuration, for every command. */
    @Test
    void printedConfigurationReadsBackTheSameForEveryCommand() throws IOException
    {
        for (final String[] command : COMMANDS)
        {
            final List<String> args = new ArrayList<>(List.of(command));
            args.add("--print-config");
            final Result printed = run(args.toArray(String[]::new));
            assertEquals(0, printed.exitCode, String.join(" ", command) + ": " + printed.err);
            final Path file = Files.writeString(dir.resolve(String.join("-", command) + ".properties"), printed.out);

            args.addAll(List.of("--config", file.toString()));
            final Result again = run(args.toArray(String[]::new));
            assertEquals(0, again.exitCode, String.join(" ", command) + ": " + again.err);
            assertEquals(values(printed.out), values(again.out), String.join(" ", command));
            assertTrue(sources(again.out).values().stream().allMatch(s -> s.equals(file.toString()) || s.equals("not set")),
                String.join(" ", command) + ": " + again.out);
        }
    }

    @Test
    void everyCommandTakesAConfigFile()
    {
        final List<String> missing = new ArrayList<>();
        collectRunnableCommands(FeedMain.commandLine(), missing);
        assertEquals(List.of(), missing, "commands without --config/--print-config (add @Mixin ConfigOptions)");
        assertEquals(COMMANDS.size(), countRunnable(FeedMain.commandLine()), "COMMANDS lists every command");
    }

    @Test
    void unknownKeyNamesTheKeyAndTheFile() throws IOException
    {
        final Path file = write("typo.properties", "stream=1001", "strem=1002");
        assertUsageError(List.of("'strem'", file.toString()), "publish", "--config", file.toString());
        final Path other = write("other.properties", "instrument=AAPL");
        assertUsageError(List.of("'instrument'", other.toString()), "journal", "stats", "--config", other.toString());
    }

    @Test
    void optionsAboutTheRunCannotBeSetInAFile() throws IOException
    {
        for (final String key : List.of("config", "print-config", "help", "version"))
        {
            final Path file = write(key + ".properties", key + "=true");
            assertUsageError(List.of("'" + key + "'", file.toString()), "driver", "--config", file.toString());
        }
    }

    @Test
    void badValueNamesTheKeyTheValueAndTheFile() throws IOException
    {
        final Path count = write("count.properties", "count=many");
        assertUsageError(List.of("'count'", "'many'", count.toString()), "publish", "--config", count.toString());
        final Path linger = write("linger.properties", "linger=soon");
        assertUsageError(List.of("'linger'", "'soon'", linger.toString()), "publish", "--config", linger.toString());
        final Path flag = write("flag.properties", "no-recovery=yes");
        assertUsageError(List.of("'no-recovery'", "'yes'", flag.toString()), "subscribe", "--config", flag.toString());
        final Path format = write("format.properties", "format=xml");
        assertUsageError(List.of("'format'", "'xml'", format.toString()), "replay", "--config", format.toString());
        final Path threading = write("threading.properties", "threading=LOTS");
        assertUsageError(List.of("'threading'", "'LOTS'", threading.toString()), "driver", "--config",
            threading.toString());
    }

    @Test
    void aValueTheCommandRefusesIsTracedToTheFile() throws IOException
    {
        final Path file = write("rate.properties", "rate=-5", "channel=" + FeedMainTest.CHANNEL,
            "journal=" + dir.resolve("j"));
        assertUsageError(List.of("--rate -5", "rate from config file " + file), "publish", "--config", file.toString());
        // The same mistake on the command line is the command line's.
        final Result result = run("publish", "--config", file.toString(), "--rate", "-6");
        assertEquals(FeedMain.EXIT_USAGE, result.exitCode);
        assertFalse(result.err.contains(file.toString()), result.err);
    }

    @Test
    void aMissingOrUnreadableFileIsAUsageError() throws IOException
    {
        final Path missing = dir.resolve("missing.properties");
        assertUsageError(List.of("--config", missing.toString(), "no such file"), "subscribe", "--config",
            missing.toString());
        // Even when every option is on the command line, so that no default is ever asked for.
        assertUsageError(List.of(missing.toString()), "journal", "verify", "--journal", dir.toString(), "--config",
            missing.toString());
        assertUsageError(List.of(dir.toString(), "not a readable file"), "driver", "--config", dir.toString());
    }

    @Test
    void aKeySetTwiceOrWithoutAValueIsAUsageError() throws IOException
    {
        final Path twice = write("twice.properties", "stream=1", "stream=2");
        assertUsageError(List.of("'stream'", "twice", twice.toString()), "subscribe", "--config", twice.toString());
        final Path empty = write("empty.properties", "aeron-dir=");
        assertUsageError(List.of("'aeron-dir'", "no value", empty.toString()), "subscribe", "--config",
            empty.toString());
    }

    @Test
    void helpStillWorksWithAConfigFile() throws IOException
    {
        final Path file = write("help.properties", "stream=1099");
        final Result result = run("subscribe", "--config", file.toString(), "--help");
        assertEquals(0, result.exitCode, result.err);
        assertTrue(result.out.contains("--config"), result.out);
    }

    @Test
    void theLingerDefaultIsThePublisherLibrarys()
    {
        final String shown = ConfigReport.defaultText(
            FeedMain.commandLine().getSubcommands().get("publish").getCommandSpec().findOption("linger"));
        assertEquals(PublisherConfiguration.LINGER_NANOS, new DurationConverter().convert(shown));
    }

    private Path write(final String name, final String... lines) throws IOException
    {
        return Files.write(dir.resolve(name), List.of(lines));
    }

    /** key -> source ("command line", the file's path, "default", or "not set") from --print-config output. */
    static Map<String, String> sources(final String printed)
    {
        final Map<String, String> sources = new LinkedHashMap<>();
        String source = null;
        for (final String line : printed.split("\n"))
        {
            if (line.startsWith("# from the command line"))
            {
                source = "command line";
            }
            else if (line.startsWith("# from config file "))
            {
                source = line.substring("# from config file ".length());
            }
            else if (line.startsWith("# defaults"))
            {
                source = "default";
            }
            else if (line.startsWith("# not set"))
            {
                source = "not set";
            }
            else if (line.startsWith("#") && line.endsWith("=") && "not set".equals(source))
            {
                sources.put(line.substring(1, line.length() - 1), source);
            }
            else if (!line.startsWith("#") && line.contains("="))
            {
                sources.put(line.substring(0, line.indexOf('=')), source);
            }
        }
        return sources;
    }

    /** key -> value of the options that have one, from --print-config output. */
    static Map<String, String> values(final String printed)
    {
        final Map<String, String> values = new LinkedHashMap<>();
        for (final String line : printed.split("\n"))
        {
            if (!line.startsWith("#") && line.contains("="))
            {
                values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return values;
    }

    private static void collectRunnableCommands(final CommandLine commandLine, final List<String> missing)
    {
        for (final CommandLine sub : commandLine.getSubcommands().values())
        {
            final Object command = sub.getCommand();
            if (isRunnable(command) && (sub.getCommandSpec().findOption("--config") == null ||
                sub.getCommandSpec().findOption("--print-config") == null))
            {
                missing.add(sub.getCommandSpec().qualifiedName());
            }
            collectRunnableCommands(sub, missing);
        }
    }

    private static int countRunnable(final CommandLine commandLine)
    {
        int count = 0;
        for (final CommandLine sub : commandLine.getSubcommands().values())
        {
            count += (isRunnable(sub.getCommand()) ? 1 : 0) + countRunnable(sub);
        }
        return count;
    }

    private static boolean isRunnable(final Object command)
    {
        return !(command instanceof CommandLine.HelpCommand) &&
            (command instanceof Runnable || command instanceof java.util.concurrent.Callable);
    }

    private static void assertUsageError(final List<String> expected, final String... args)
    {
        final Result result = run(args);
        assertEquals(FeedMain.EXIT_USAGE, result.exitCode, result.err);
        for (final String text : expected)
        {
            assertTrue(result.err.contains(text), "stderr should name " + text + ": " + result.err);
        }
        assertFalse(result.err.contains("\tat "), "no stack trace for a user error: " + result.err);
        assertEquals(1, result.err.strip().lines().count(), "one line: " + result.err);
    }

    static Result run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = FeedMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    record Result(int exitCode, String out, String err)
    {
    }
}
