package io.feedhandler.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A command's effective configuration: every option's value and where it came from. */
final class ConfigReport
{
    static final String COMMAND_LINE = "command line";
    static final String DEFAULT = "default";

    /** One option's value (null when it has none) and its source: command line, the file's path, or default. */
    record Setting(String key, String value, String source)
    {
    }

    private ConfigReport()
    {
    }

    /**
     * The options a config file may set, in the order of the command's help; not the hidden old spellings
     * (a file may still use one, but the reference and --print-config name only the current one).
     */
    static List<OptionSpec> configurable(final CommandSpec command)
    {
        return command.options().stream().filter(option -> ConfigFile.isConfigurable(option) && !option.hidden())
            .collect(Collectors.toList());
    }

    static List<Setting> effective(final CommandSpec command)
    {
        final ParseResult parsed = command.commandLine() == null ? null : command.commandLine().getParseResult();
        final ConfigFile file = command.defaultValueProvider() instanceof ConfigFile ?
            (ConfigFile)command.defaultValueProvider() : null;
        final List<Setting> settings = new ArrayList<>();
        for (final OptionSpec option : configurable(command))
        {
            final String key = ConfigFile.key(option);
            final String fromFile = file == null ? null : file.valueFor(option);
            final OptionSpec oldSpelling = parsed == null ? null : matchedOldSpelling(command, parsed, option);
            if (parsed != null && parsed.hasMatchedOption(option))
            {
                settings.add(new Setting(key, commandLineText(option), COMMAND_LINE));
            }
            else if (oldSpelling != null)
            {
                settings.add(new Setting(key, commandLineText(oldSpelling), COMMAND_LINE));
            }
            else if (fromFile != null)
            {
                settings.add(new Setting(key, fromFile, ConfigFile.fileOf(command).toString()));
            }
            else
            {
                settings.add(new Setting(key, defaultText(option), DEFAULT));
            }
        }
        return settings;
    }

    /** The old spelling of this option (a hidden alias, see {@link Vocabulary}) given on the command line, or null. */
    private static OptionSpec matchedOldSpelling(final CommandSpec command, final ParseResult parsed, final OptionSpec option)
    {
        for (final OptionSpec alias : command.options())
        {
            if (option.longestName().equals(Vocabulary.replacementOf(alias)) && parsed.hasMatchedOption(alias))
            {
                return alias;
            }
        }
        return null;
    }

    /** The default as a user would write it (durations as 5s, not nanoseconds); null when there is none. */
    static String defaultText(final OptionSpec option)
    {
        final String text = option.defaultValue() != null ? option.defaultValue() : text(option.initialValue());
        return text == null || text.isEmpty() ? null : text;
    }

    /**
     * {@code --print-config}: the effective configuration as a properties file, grouped by where each
     * value came from, so it can be saved and used as a config file itself.
     */
    static void print(final CommandSpec command, final PrintWriter out)
    {
        final Map<String, List<Setting>> bySource = new LinkedHashMap<>();
        bySource.put(COMMAND_LINE, new ArrayList<>());
        final List<Setting> unset = new ArrayList<>();
        for (final Setting setting : effective(command))
        {
            if (setting.value() == null)
            {
                unset.add(setting);
            }
            else
            {
                bySource.computeIfAbsent(setting.source(), s -> new ArrayList<>()).add(setting);
            }
        }
        // Defaults last, whatever order the file's and the command line's options came in.
        final List<Setting> defaults = bySource.remove(DEFAULT);
        if (defaults != null)
        {
            bySource.put(DEFAULT, defaults);
        }
        out.println("# " + command.qualifiedName() + ": the effective configuration, grouped by where each value " +
            "came from");
        for (final Map.Entry<String, List<Setting>> group : bySource.entrySet())
        {
            if (group.getValue().isEmpty())
            {
                continue;
            }
            out.println(group.getKey().equals(COMMAND_LINE) ? "# from the command line" :
                group.getKey().equals(DEFAULT) ? "# defaults" : "# from config file " + group.getKey());
            for (final Setting setting : group.getValue())
            {
                out.println(setting.key() + "=" + setting.value());
            }
        }
        if (!unset.isEmpty())
        {
            out.println("# not set (no default; see '" + command.qualifiedName() + " --help')");
            for (final Setting setting : unset)
            {
                out.println("#" + setting.key() + "=");
            }
        }
        out.flush();
    }

    /** For the start-up log: the sources, then every value that is set, on one line. */
    static String describe(final CommandSpec command)
    {
        final List<Setting> settings = effective(command);
        final StringBuilder line = new StringBuilder("configuration from defaults");
        settings.stream().map(Setting::source).filter(s -> !s.equals(DEFAULT) && !s.equals(COMMAND_LINE)).distinct()
            .forEach(file -> line.append(", config file ").append(file));
        if (settings.stream().anyMatch(s -> s.source().equals(COMMAND_LINE)))
        {
            line.append(", command line");
        }
        line.append(':');
        for (final Setting setting : settings)
        {
            if (setting.value() != null)
            {
                line.append(' ').append(setting.key()).append('=').append(setting.value());
            }
        }
        return line.toString();
    }

    private static String commandLineText(final OptionSpec option)
    {
        if (option.arity().max() == 0)
        {
            return String.valueOf((Object)option.getValue()); // (Object): else javac picks valueOf(char[])
        }
        return String.join(",", option.originalStringValues());
    }

    private static String text(final Object value)
    {
        if (value == null)
        {
            return null;
        }
        if (value instanceof Collection)
        {
            return ((Collection<?>)value).stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return value.toString();
    }
}
