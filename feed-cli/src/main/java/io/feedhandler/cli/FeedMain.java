package io.feedhandler.cli;

import io.aeron.exceptions.RegistrationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * {@code feed}: one entry point for every command, run by {@code scripts/feed}. Exit codes are a
 * contract: 0 success, 1 runtime failure, 2 bad arguments or configuration (one line naming the bad
 * value, no stack trace), 130/143 after SIGINT/SIGTERM ({@link Signals}; summary first).
 */
@Command(name = "feed", mixinStandardHelpOptions = true, versionProvider = FeedVersion.class,
    description = "Low-latency market data feed: SBE quotes over Aeron multicast, with a Chronicle Queue journal.",
    footer = {"", "Also: perf    the end-to-end benchmark suite ('feed perf --help'; run from the perf module's jar)."},
    subcommands = {
        PublishCommand.class,
        SubscribeCommand.class,
        GatewayCommand.class,
        DriverCommand.class,
        ReplayServerCommand.class,
        ReplicaCommand.class,
        ReplayCommand.class,
        JournalCommand.class,
        DemoCommand.class,
        StatCommand.class,
        MetricsCommand.class,
        CommandLine.HelpCommand.class})
public final class FeedMain implements Runnable
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    /**
     * Help is this wide (or the terminal's width when wider): wide enough that the description column
     * holds the longest default channel URI whole, so help never splits one and they can be copied.
     */
    static final int USAGE_WIDTH = 110;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(final String[] args)
    {
        Signals.install(); // first: a signal from here on is the feed's to handle (see Signals)
        final int exitCode = execute(args);
        System.exit(Signals.received() ? Signals.exitCode() : exitCode);
    }

    public static int execute(final String... args)
    {
        return commandLine().execute(args);
    }

    static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new FeedMain());
        final ConfigFile configFile = new ConfigFile();
        commandLine.setDefaultValueProvider(configFile);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setUsageHelpWidth(Math.max(USAGE_WIDTH, terminalWidth()));
        everyCommand(commandLine, command -> command.getCommandSpec().versionProvider(new FeedVersion()));
        commandLine.setExecutionStrategy(parseResult -> run(parseResult, configFile));
        commandLine.setParameterExceptionHandler((ex, arguments) ->
        {
            final CommandLine command = ex.getCommandLine();
            final PrintWriter err = command.getErr();
            final String name = command.getCommandSpec().qualifiedName();
            final String fromFile = configFile.explain(ex);
            err.println(fromFile != null ? name + ": " + fromFile :
                name + ": " + ex.getMessage() + didYouMean(ex) + " (try '" + name + " --help')");
            err.flush();
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, command, parseResult) ->
        {
            final PrintWriter err = command.getErr();
            final String name = command.getCommandSpec().qualifiedName();
            if (Signals.received())
            {
                // Whatever failed on the way out after a signal is the stop, not a fault (nor damage).
                err.println(name + ": stopped by " + Signals.name() + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
                err.flush();
                return Signals.exitCode();
            }
            if (ex instanceof UsageError || ex instanceof IllegalArgumentException)
            {
                err.println(name + ": " + configFile.attribute(command.getCommandSpec(), ex.getMessage()));
                err.flush();
                return EXIT_USAGE;
            }
            if (ex instanceof RegistrationException)
            {
                err.println(name + ": the media driver refused the channel: " + ex.getMessage());
                err.flush();
                return EXIT_USAGE;
            }
            err.println(name + ": failed: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return EXIT_FAILURE;
        });
        return commandLine;
    }

    /**
     * Between parsing and running a command: help first; then the config file must be sound (it was
     * read while parsing, for the defaults); --print-config answers without running the command.
     */
    private static int run(final CommandLine.ParseResult parseResult, final ConfigFile configFile)
    {
        final Integer helpExitCode = CommandLine.executeHelpRequest(parseResult);
        if (helpExitCode != null)
        {
            return helpExitCode;
        }
        CommandLine.ParseResult leaf = parseResult;
        while (leaf.hasSubcommand())
        {
            leaf = leaf.subcommand();
        }
        final CommandLine command = leaf.commandSpec().commandLine();
        try
        {
            configFile.check(command.getCommandSpec());
            final ConfigFile file = configFile;
            final CommandLine.ParseResult parsed = leaf;
            Choices.resolve(command.getCommandSpec(), option -> parsed.hasMatchedOption(option) ? null :
                file.fromFile(option));
        }
        catch (final UsageError ex)
        {
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            command.getErr().flush();
            return EXIT_USAGE;
        }
        Vocabulary.noteDeprecated(leaf, command.getErr());
        if (leaf.hasMatchedOption("--" + ConfigFile.PRINT_CONFIG))
        {
            ConfigReport.print(command.getCommandSpec(), command.getOut());
            return EXIT_OK;
        }
        if (!(command.getCommand() instanceof StopsOnSignal))
        {
            Signals.onStop(null); // a one-shot command: a signal ends it at once (now, if one came already)
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    /** For an unknown option, the nearest known ones (never an old spelling); empty otherwise. */
    static String didYouMean(final CommandLine.ParameterException ex)
    {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException))
        {
            return "";
        }
        final CommandLine.Model.CommandSpec command = ex.getCommandLine().getCommandSpec();
        for (final String unmatched : ((CommandLine.UnmatchedArgumentException)ex).getUnmatched())
        {
            if (unmatched.startsWith("--"))
            {
                final String nearest = nearestOption(command, unmatched.split("=", 2)[0]);
                if (nearest != null)
                {
                    return "; did you mean " + nearest + "?";
                }
            }
        }
        return "";
    }

    /** The visible option closest in spelling (a typo, a transposition, a missing part), or null if none is close. */
    static String nearestOption(final CommandLine.Model.CommandSpec command, final String given)
    {
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (final CommandLine.Model.OptionSpec option : command.options())
        {
            if (option.hidden())
            {
                continue;
            }
            for (final String name : option.names())
            {
                // A prefix of a real option ("--to" for "--to-seq") is as near as a one-letter typo.
                final int distance = given.length() > 3 && name.startsWith(given) ? 1 : editDistance(given, name);
                if (distance < best)
                {
                    best = distance;
                    nearest = name;
                }
            }
        }
        return best <= Math.max(2, given.length() / 3) ? nearest : null;
    }

    private static int editDistance(final String a, final String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    static void everyCommand(final CommandLine commandLine, final Consumer<CommandLine> action)
    {
        action.accept(commandLine);
        for (final CommandLine sub : commandLine.getSubcommands().values())
        {
            everyCommand(sub, action);
        }
    }

    /** The terminal's columns when stdout is one and the shell exports them; 0 otherwise. */
    private static int terminalWidth()
    {
        try
        {
            final String columns = System.getenv("COLUMNS");
            return System.console() != null && columns != null ? Integer.parseInt(columns.strip()) : 0;
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }
}
