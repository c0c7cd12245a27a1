package io.feedhandler.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every typed option of every command, walked from the command model so a new option is covered
 * the day it is added: a value that is not of the option's kind (number, duration, size, enum) is
 * refused with exit 2 and one line naming the option and the value, before anything starts.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OptionValuesTest
{
    private static final String NOT_A_VALUE = "not-a-value";

    @TestFactory
    List<DynamicTest> everyTypedOptionRefusesAValueOfTheWrongKind()
    {
        final List<DynamicTest> tests = new ArrayList<>();
        collect(FeedMain.commandLine().getCommandSpec(), tests);
        assertTrue(tests.size() > 40, "the walk found the commands' options: " + tests.size());
        return tests;
    }

    private static void collect(final CommandSpec command, final List<DynamicTest> tests)
    {
        for (final CommandLine sub : new LinkedHashSet<>(command.subcommands().values())) // aliases repeat entries
        {
            final CommandSpec spec = sub.getCommandSpec();
            if (spec.userObject() instanceof CommandLine.HelpCommand)
            {
                continue;
            }
            for (final OptionSpec option : spec.options())
            {
                if (option.arity().max() >= 1 && isTyped(option))
                {
                    final List<String> args = new ArrayList<>(List.of(spec.qualifiedName(" ").split(" ")));
                    args.remove(0); // "feed"
                    args.add(option.longestName());
                    args.add(NOT_A_VALUE);
                    tests.add(DynamicTest.dynamicTest(String.join(" ", args), () -> assertRefused(option, args)));
                }
            }
            collect(spec, tests);
        }
    }

    /** Options whose values are parsed into something narrower than free text. */
    private static boolean isTyped(final OptionSpec option)
    {
        final Class<?> type = option.type();
        final boolean converted = option.converters() != null && option.converters().length > 0;
        return converted || type.isEnum() || type == int.class || type == long.class || type == double.class ||
            type == Integer.class || type == Long.class || type == Double.class;
    }

    private static void assertRefused(final OptionSpec option, final List<String> args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = FeedMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exitCode = commandLine.execute(args.toArray(String[]::new));
        final String message = err.toString();
        assertEquals(FeedMain.EXIT_USAGE, exitCode, message);
        assertTrue(message.contains(option.longestName()), "names the option: " + message);
        assertTrue(message.contains(NOT_A_VALUE), "names the value: " + message);
        assertFalse(message.contains("\tat "), "no stack trace: " + message);
        assertEquals(1, message.strip().lines().count(), "one line: " + message);
    }
}
