package io.feedhandler.cli;

import io.aeron.exceptions.RegistrationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code feed}: one entry point for every command, run by {@code scripts/feed}. Exit codes are a
 * contract: 0 success, 1 runtime failure, 2 bad arguments or configuration (one line naming the bad
 * value, no stack trace), 130/143 after SIGINT/SIGTERM ({@link Signals}; summary first).
 */
@Command(name = "feed", mixinStandardHelpOptions = true, version = "feed 0.1.0",
    description = "Low-latency market data feed: SBE quotes over Aeron multicast, with a Chronicle Queue journal.",
    footer = {"", "Also: perf    the end-to-end benchmark suite ('feed perf --help'; run from the perf module's jar)."},
    subcommands = {
        PublishCommand.class,
        SubscribeCommand.class,
        GatewayCommand.class,
        DriverCommand.class,
        ReplayServerCommand.class,
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
        commandLine.setExecutionStrategy(parseResult -> run(parseResult, configFile));
        commandLine.setParameterExceptionHandler((ex, arguments) ->
        {
            final CommandLine command = ex.getCommandLine();
            final PrintWriter err = command.getErr();
            final String name = command.getCommandSpec().qualifiedName();
            final String fromFile = configFile.explain(ex);
            err.println(fromFile != null ? name + ": " + fromFile :
                name + ": " + ex.getMessage() + " (try '" + name + " --help')");
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
        }
        catch (final UsageError ex)
        {
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            command.getErr().flush();
            return EXIT_USAGE;
        }
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
}
