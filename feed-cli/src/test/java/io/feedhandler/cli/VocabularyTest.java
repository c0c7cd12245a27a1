package io.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One vocabulary across every command, checked on the commands' picocli model so an option added
 * tomorrow is held to it: option names, old spellings, choices (any case, listed as accepted),
 * durations (a unit required), help that ends its sentences and never splits a URI, -V everywhere,
 * "did you mean" for a misspelt option.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VocabularyTest
{
    private static final Pattern LONG_NAME = Pattern.compile("--[a-z0-9]+(-[a-z0-9]+)*");
    /** The one name of each concept; the other spellings are refused outright or only old, hidden aliases. */
    private static final Map<String, String> ONE_NAME = Map.of(
        "--from", "--from-seq", "--to", "--to-seq", "--start-seq", "--from-seq", "--end-seq", "--to-seq",
        "--journal-dir", "--journal", "--aeron-directory", "--aeron-dir", "--stream-id", "--stream");
    /** Value labels that say "one of a few names": such an option must list and check them. */
    private static final Set<String> CHOICE_LABELS = Set.of("POLICY", "STRATEGY", "MODE", "PROFILE", "CYCLE", "ACTION",
        "FORMAT");

    @Test
    void optionNamesFollowTheVocabulary()
    {
        final Map<String, String> labels = new HashMap<>();
        final List<String> problems = new ArrayList<>();
        for (final CommandSpec command : commands())
        {
            for (final OptionSpec option : command.options())
            {
                final String where = command.qualifiedName() + " " + option.longestName();
                for (final String name : option.names())
                {
                    if (name.startsWith("--") && !LONG_NAME.matcher(name).matches())
                    {
                        problems.add(where + ": '" + name + "' is not lower-case-with-dashes");
                    }
                    if (ONE_NAME.containsKey(name) && Vocabulary.replacementOf(option) == null)
                    {
                        problems.add(where + ": '" + name + "' is spelt " + ONE_NAME.get(name) + " everywhere");
                    }
                }
                if (option.hidden() && !option.usageHelp() && !option.versionHelp())
                {
                    final String replacement = Vocabulary.replacementOf(option);
                    if (replacement == null || command.findOption(replacement) == null)
                    {
                        problems.add(where + ": hidden, but not an old spelling of an option of this command");
                    }
                    continue;
                }
                if (option.arity().max() > 0 && !option.usageHelp() && !option.versionHelp())
                {
                    final String before = labels.putIfAbsent(option.longestName(), option.paramLabel());
                    if (before != null && !before.equals(option.paramLabel()))
                    {
                        problems.add(where + ": value " + option.paramLabel() + " here, " + before + " elsewhere");
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyChoiceIsListedInTheHelpAndAcceptedInAnyCase()
    {
        int choices = 0;
        final List<String> problems = new ArrayList<>();
        for (final CommandSpec command : commands())
        {
            for (final OptionSpec option : command.options())
            {
                if (option.hidden() || option.arity().max() < 1)
                {
                    continue;
                }
                final boolean looksLikeAChoice = CHOICE_LABELS.contains(option.paramLabel());
                if (option.completionCandidates() == null && !option.type().isEnum())
                {
                    if (looksLikeAChoice)
                    {
                        problems.add(command.qualifiedName() + " " + option.longestName() + " " + option.paramLabel() +
                            ": a choice without completionCandidates (see Choices)");
                    }
                    continue;
                }
                choices++;
                final List<String> names = new ArrayList<>();
                option.completionCandidates().forEach(names::add);
                final String help = String.join(" ", option.description());
                for (final String name : names)
                {
                    if (!help.contains(name) && !help.contains("${COMPLETION-CANDIDATES}"))
                    {
                        problems.add(command.qualifiedName() + " " + option.longestName() + ": help omits " + name);
                    }
                    for (final String spelling : List.of(name.toUpperCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)))
                    {
                        final ConfigFileTest.Result result =
                            ConfigFileTest.run(args(command, option.longestName(), spelling, "--print-config"));
                        if (result.exitCode() != 0)
                        {
                            problems.add(command.qualifiedName() + " " + option.longestName() + " " + spelling +
                                ": refused: " + result.err().strip());
                        }
                    }
                }
                final ConfigFileTest.Result bad =
                    ConfigFileTest.run(args(command, option.longestName(), "no-such-choice", "--print-config"));
                if (bad.exitCode() != FeedMain.EXIT_USAGE || bad.err().strip().lines().count() != 1 ||
                    !names.stream().allMatch(bad.err()::contains) || !bad.err().contains("no-such-choice"))
                {
                    problems.add(command.qualifiedName() + " " + option.longestName() +
                        ": a bad value must exit 2 with one line naming it and every accepted value: " + bad.err());
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(choices >= 10, "the walk found the choice options: " + choices);
    }

    @Test
    void choicesAreRenderedInTheHelpExactlyAsAccepted()
    {
        final String help = usage("driver");
        assertTrue(help.contains("shared, shared-network, dedicated"), help);
        assertFalse(help.toUpperCase(Locale.ROOT).contains("INVOKER"), "never offered, never accepted: " + help);
        final ConfigFileTest.Result invoker = ConfigFileTest.run("driver", "--threading", "INVOKER");
        assertEquals(FeedMain.EXIT_USAGE, invoker.exitCode(), invoker.err());
        assertTrue(invoker.err().contains("'INVOKER'"), invoker.err());
    }

    @Test
    void everyDurationNeedsAUnit()
    {
        int durations = 0;
        final List<String> problems = new ArrayList<>();
        for (final CommandSpec command : commands())
        {
            for (final OptionSpec option : command.options())
            {
                final boolean converted = option.converters() != null && option.converters().length > 0 &&
                    option.converters()[0] instanceof DurationConverter;
                if ("TIME".equals(option.paramLabel()) && (option.type() == long.class || option.type() == Long.class) &&
                    !converted)
                {
                    problems.add(command.qualifiedName() + " " + option.longestName() + ": a duration without " +
                        "DurationConverter");
                }
                if (!converted || option.hidden())
                {
                    continue;
                }
                durations++;
                final ConfigFileTest.Result bare =
                    ConfigFileTest.run(args(command, option.longestName(), "5", "--print-config"));
                if (bare.exitCode() != FeedMain.EXIT_USAGE || !bare.err().contains("'5'") ||
                    !bare.err().contains(option.longestName()) || bare.err().strip().lines().count() != 1)
                {
                    problems.add(command.qualifiedName() + " " + option.longestName() +
                        " 5: must exit 2 with one line naming the option and the value: " + bare.err());
                }
                final ConfigFileTest.Result withUnit =
                    ConfigFileTest.run(args(command, option.longestName(), "5s", "--print-config"));
                if (withUnit.exitCode() != 0)
                {
                    problems.add(command.qualifiedName() + " " + option.longestName() + " 5s: " + withUnit.err());
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(durations >= 15, "the walk found the duration options: " + durations);
    }

    @Test
    void helpEndsItsSentencesAndNeverSplitsAUri()
    {
        final List<String> problems = new ArrayList<>();
        for (final CommandSpec command : commands())
        {
            final String[] description = command.usageMessage().description();
            for (final String paragraph : description)
            {
                if (!endsASentence(paragraph))
                {
                    problems.add(command.qualifiedName() + ": description ends mid-sentence: ..." + tail(paragraph));
                }
            }
            if (description.length > 0 && description[0].strip().split("\\. ").length > 1)
            {
                problems.add(command.qualifiedName() + ": the first paragraph (the command list's line) is more " +
                    "than one sentence: " + description[0]);
            }
            for (final OptionSpec option : command.options())
            {
                final String text = String.join(" ", option.description());
                if (!endsASentence(text))
                {
                    problems.add(command.qualifiedName() + " " + option.longestName() + ": ends mid-sentence: ..." +
                        tail(text));
                }
            }
            final String help = usage(command.qualifiedName(" ").replaceFirst("^feed ?", "").split(" "));
            for (final String line : help.lines().toList())
            {
                if (line.length() > FeedMain.USAGE_WIDTH)
                {
                    problems.add(command.qualifiedName() + ": help line wider than " + FeedMain.USAGE_WIDTH + ": " + line);
                }
            }
            for (final OptionSpec option : command.options())
            {
                final String defaultText = ConfigReport.defaultText(option);
                if (defaultText != null && defaultText.contains(":") && !option.hidden() &&
                    !help.contains(defaultText))
                {
                    problems.add(command.qualifiedName() + " " + option.longestName() + ": the help splits its " +
                        "default " + defaultText);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theFeedHelpListsEveryCommandInAWholeSentence()
    {
        final String help = usage();
        assertFalse(help.contains("(a publisher's embedded server is then"), help);
        assertTrue(help.contains("Serve replay requests from a journal on this host, on its own."), help);
    }

    @Test
    void versionOnEveryCommand()
    {
        for (final CommandSpec command : commands())
        {
            final String[] args = args(command, "-V");
            final ConfigFileTest.Result result = ConfigFileTest.run(args);
            assertEquals(0, result.exitCode(), String.join(" ", args) + ": " + result.err());
            assertTrue(result.out().startsWith("feed "), String.join(" ", args) + ": " + result.out());
            assertTrue(result.out().contains("build "), result.out());
            assertFalse(result.out().contains("unknown"), "the build wrote version.properties: " + result.out());
        }
        final ConfigFileTest.Result root = ConfigFileTest.run("--version");
        assertTrue(root.out().matches("(?s)feed \\d+\\.\\d+\\.\\d+\\S*\\nbuild \\d{4}-\\d\\d-\\d\\dT.*"), root.out());
    }

    @Test
    void aMisspeltOptionGetsASuggestion()
    {
        final ConfigFileTest.Result typo = ConfigFileTest.run("journal", "digest", "--form-seq", "1");
        assertEquals(FeedMain.EXIT_USAGE, typo.exitCode(), typo.err());
        assertTrue(typo.err().contains("did you mean --from-seq?"), typo.err());
        assertEquals(1, typo.err().strip().lines().count(), typo.err());

        final ConfigFileTest.Result prefix = ConfigFileTest.run("replay", "--to", "5");
        assertTrue(prefix.err().contains("did you mean --to-seq?") || prefix.err().contains("did you mean --to-time?"),
            prefix.err());
        final ConfigFileTest.Result far = ConfigFileTest.run("publish", "--bogus");
        assertFalse(far.err().contains("did you mean"), "nothing close, nothing suggested: " + far.err());
    }

    @Test
    void anOldSpellingStillWorksAndSaysSo()
    {
        final CommandLine commandLine = FeedMain.commandLine();
        commandLine.parseArgs("journal", "digest", "--from", "3", "--to", "9");
        final JournalCommand.Digest digest =
            commandLine.getSubcommands().get("journal").getSubcommands().get("digest").getCommand();
        assertEquals(3, digest.from);
        assertEquals(9, digest.to);
        final ConfigFileTest.Result printed = ConfigFileTest.run("journal", "digest", "--from", "3", "--print-config");
        assertEquals(0, printed.exitCode(), printed.err());
        assertTrue(printed.err().contains("--from is deprecated, use --from-seq"), printed.err());
        assertTrue(printed.out().contains("from-seq=3"), "printed under its one name: " + printed.out());
        assertFalse(printed.out().contains("\nfrom="), printed.out());
    }

    private static boolean endsASentence(final String text)
    {
        final String trimmed = text.strip();
        return trimmed.isEmpty() || trimmed.endsWith(".") || trimmed.endsWith(".)") || trimmed.endsWith("?");
    }

    private static String tail(final String text)
    {
        return text.substring(Math.max(0, text.length() - 50));
    }

    /** Every command and subcommand but help, once each (aliases repeat entries). */
    static List<CommandSpec> commands()
    {
        final List<CommandSpec> commands = new ArrayList<>();
        collect(FeedMain.commandLine(), commands);
        assertTrue(commands.size() >= 14, "the walk found the commands: " + commands.size());
        return commands;
    }

    private static void collect(final CommandLine commandLine, final List<CommandSpec> commands)
    {
        for (final CommandLine sub : new LinkedHashSet<>(commandLine.getSubcommands().values()))
        {
            if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand)
            {
                continue;
            }
            commands.add(sub.getCommandSpec());
            collect(sub, commands);
        }
    }

    private static String[] args(final CommandSpec command, final String... more)
    {
        final List<String> args = new ArrayList<>(List.of(command.qualifiedName(" ").split(" ")));
        args.remove(0); // "feed"
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static String usage(final String... command)
    {
        final List<String> args = new ArrayList<>(List.of(command));
        args.removeIf(String::isEmpty);
        args.add("--help");
        final ConfigFileTest.Result result = ConfigFileTest.run(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.err());
        assertNotNull(result.out());
        return result.out();
    }
}
