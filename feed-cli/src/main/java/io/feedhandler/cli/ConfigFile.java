package io.feedhandler.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The properties file named by {@code --config FILE}: each key is a long option of the command without
 * its dashes ({@code stream=1001}). It is picocli's default value provider, so a value from the file
 * takes the place of the option's default and the command line still wins. picocli asks for defaults
 * only after it has matched the command line, and only for the options not given there, so the file
 * that {@code --config} names is known by the time it is read.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider
{
    static final String CONFIG = "config";
    static final String PRINT_CONFIG = "print-config";

    private static final Pattern PICOCLI_PREFIX = Pattern.compile("^Invalid value for option '[^']*': ");

    private Path path;
    private Map<String, String> values;
    private UsageError problem;
    private final Map<ArgSpec, String> supplied = new IdentityHashMap<>();

    public String defaultValue(final ArgSpec arg)
    {
        if (!(arg instanceof OptionSpec) || !isConfigurable((OptionSpec)arg))
        {
            return null;
        }
        final Path file = fileOf(arg.command());
        if (file == null || load(file) == null)
        {
            return null;
        }
        final String value = values.get(key((OptionSpec)arg));
        if (value != null)
        {
            supplied.put(arg, value);
        }
        return value;
    }

    /**
     * Before a command runs: its config file exists, reads, and names only its options.
     *
     * @throws UsageError naming the file and the bad key.
     */
    void check(final CommandSpec command)
    {
        final Path file = fileOf(command);
        if (file == null)
        {
            return;
        }
        if (load(file) == null)
        {
            throw problem;
        }
        for (final String key : values.keySet())
        {
            final OptionSpec option = command.findOption(key);
            if (option == null || !isConfigurable(option))
            {
                throw new UsageError("unknown key '" + key + "' in config file " + file + ": the keys are the long " +
                    "options of '" + command.qualifiedName() + " --help' without the dashes" +
                    (option != null ? " (except " + CONFIG + ", " + PRINT_CONFIG + ", help and version)" : ""));
            }
        }
    }

    /** The config file of this command's run, or null when none was named. */
    static Path fileOf(final CommandSpec command)
    {
        final OptionSpec option = command.findOption(CONFIG);
        return option == null ? null : option.getValue();
    }

    /** The value the file gives this option, or null. Only meaningful once the command line is parsed. */
    String valueFor(final OptionSpec option)
    {
        final Path file = fileOf(option.command());
        return file != null && file.equals(path) && values != null ? values.get(key(option)) : null;
    }

    /**
     * A one-line explanation when picocli refused a value that came from the file, naming the key, the
     * value and the file; null when the bad value came from the command line.
     */
    String explain(final CommandLine.ParameterException ex)
    {
        final ArgSpec arg = ex.getArgSpec();
        final String value = arg == null ? null : supplied.get(arg);
        if (value == null)
        {
            return null;
        }
        return "bad value '" + value + "' for key '" + key((OptionSpec)arg) + "' in config file " + path + ": " +
            PICOCLI_PREFIX.matcher(ex.getMessage()).replaceFirst("");
    }

    /**
     * The start of a one-line refusal of this option's value when the file gave it ("bad value 'V' for key
     * 'K' in config file F"); null when the file did not.
     */
    String fromFile(final OptionSpec option)
    {
        final String value = valueFor(option);
        return value == null ? null : "bad value '" + value + "' for key '" + key(option) + "' in config file " + path;
    }

    /** Where a command's own check of a value (a range, a channel) failed on a value from the file, say so. */
    String attribute(final CommandSpec command, final String message)
    {
        final Path file = fileOf(command);
        if (file == null || values == null || !file.equals(path))
        {
            return message;
        }
        for (final String key : values.keySet())
        {
            if (Pattern.compile("(?<![\\w-])--" + Pattern.quote(key) + "(?![\\w-])").matcher(message).find() &&
                !command.commandLine().getParseResult().hasMatchedOption("--" + key))
            {
                return message + " (" + key + " from config file " + file + ")";
            }
        }
        return message;
    }

    static String key(final OptionSpec option)
    {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** Everything but the options about the run itself: help, version, --config, --print-config. */
    static boolean isConfigurable(final OptionSpec option)
    {
        final String key = key(option);
        return !option.usageHelp() && !option.versionHelp() && !key.equals(CONFIG) && !key.equals(PRINT_CONFIG);
    }

    private Map<String, String> load(final Path file)
    {
        if (file.equals(path))
        {
            return values;
        }
        path = file;
        values = null;
        problem = null;
        try
        {
            values = read(file);
        }
        catch (final UsageError ex)
        {
            problem = ex;
        }
        return values;
    }

    private static Map<String, String> read(final Path file)
    {
        if (!Files.exists(file))
        {
            throw new UsageError("bad --config '" + file + "': no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file))
        {
            throw new UsageError("bad --config '" + file + "': not a readable file");
        }
        final Map<String, String> read = new LinkedHashMap<>();
        final String[] duplicate = {null};
        // Properties syntax (comments with # or !, key=value or key: value), kept in file order and
        // refusing a key set twice: a silent "last one wins" hides mistakes.
        final Properties properties = new Properties()
        {
            private static final long serialVersionUID = 1L;

            public synchronized Object put(final Object key, final Object value)
            {
                if (read.putIfAbsent((String)key, (String)value) != null && duplicate[0] == null)
                {
                    duplicate[0] = (String)key;
                }
                return super.put(key, value);
            }
        };
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new UsageError("bad --config '" + file + "': " + ex.getMessage());
        }
        if (duplicate[0] != null)
        {
            throw new UsageError("bad --config '" + file + "': key '" + duplicate[0] + "' is set twice");
        }
        for (final Map.Entry<String, String> entry : read.entrySet())
        {
            // Trailing blanks are invisible in a file and never meant to be part of a value.
            entry.setValue(entry.getValue().strip());
            if (entry.getValue().isEmpty())
            {
                throw new UsageError("bad --config '" + file + "': key '" + entry.getKey() + "' has no value " +
                    "(comment the line out to keep the default)");
            }
        }
        return read;
    }
}
