package io.feedhandler.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * {@code --config FILE} and {@code --print-config}, on every command. FeedMain reads the file (through
 * {@link ConfigFile}) and answers --print-config before the command runs; the command only logs what
 * is in effect.
 */
final class ConfigOptions
{
    @Option(names = "--" + ConfigFile.CONFIG, paramLabel = "FILE",
        description = "Read options from this properties file: key = the long option without its dashes, e.g. " +
            "stream=1001. The command line overrides the file.")
    Path file;

    @Option(names = "--" + ConfigFile.PRINT_CONFIG,
        description = "Print every option's effective value and where it came from (command line, config file, " +
            "default), then exit without running.")
    boolean print;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** For the start-up log: where the values came from and every value that is set, on one line. */
    String describe()
    {
        return ConfigReport.describe(command);
    }
}
