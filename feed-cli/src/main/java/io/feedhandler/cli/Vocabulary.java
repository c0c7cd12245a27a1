package io.feedhandler.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

/**
 * One name per concept across the commands (docs/ARCHITECTURE.md and the shared contract name them:
 * {@code --from-seq}/{@code --to-seq} wherever a sequence range is taken, durations with a unit, choices
 * in any case). An old spelling stays accepted as a hidden option whose description starts with
 * {@link #DEPRECATED} and names the current one; using it prints one note on stderr.
 */
final class Vocabulary
{
    /** How a hidden option's description starts when it is an old spelling of another option. */
    static final String DEPRECATED = "Deprecated spelling of ";

    private Vocabulary()
    {
    }

    /** The current name of an old spelling, or null when the option is not one. */
    static String replacementOf(final OptionSpec option)
    {
        final String description = String.join(" ", option.description());
        if (!option.hidden() || !description.startsWith(DEPRECATED))
        {
            return null;
        }
        final String rest = description.substring(DEPRECATED.length()).strip();
        return rest.endsWith(".") ? rest.substring(0, rest.length() - 1) : rest;
    }

    /** One line on stderr for each old spelling given on the command line. */
    static void noteDeprecated(final ParseResult parsed, final PrintWriter err)
    {
        final CommandSpec command = parsed.commandSpec();
        for (final OptionSpec option : parsed.matchedOptions())
        {
            final String replacement = replacementOf(option);
            if (replacement != null)
            {
                err.println(command.qualifiedName() + ": " + option.longestName() + " is deprecated, use " + replacement);
            }
        }
        err.flush();
    }
}
