package io.feedhandler.cli;

import io.aeron.exceptions.RegistrationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code feed}: one entry point for every command, run by {@code scripts/feed}. Exit codes are a
 * contract: 0 success, 1 runtime failure, 2 bad arguments or configuration (one line naming the bad
 * value, no stack trace).
 */
@Command(name = "feed", mixinStandardHelpOptions = true, version = "feed 0.1.0",
    description = "Low-latency market data feed: SBE quotes over Aeron multicast, with a Chronicle Queue journal.",
    footer = {"", "Also: perf    the end-to-end benchmark suite ('feed perf --help'; run from the perf module's jar)."},
    subcommands = {
        PublishCommand.class,
        SubscribeCommand.class,
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
        System.exit(execute(args));
    }

    public static int execute(final String... args)
    {
        return commandLine().execute(args);
    }

    static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new FeedMain());
        commandLine.setParameterExceptionHandler((ex, arguments) ->
        {
            final CommandLine command = ex.getCommandLine();
            final PrintWriter err = command.getErr();
            err.println(command.getCommandSpec().qualifiedName() + ": " + ex.getMessage() +
                " (try '" + command.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, command, parseResult) ->
        {
            final PrintWriter err = command.getErr();
            final String name = command.getCommandSpec().qualifiedName();
            if (ex instanceof UsageError || ex instanceof IllegalArgumentException)
            {
                err.println(name + ": " + ex.getMessage());
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
}
