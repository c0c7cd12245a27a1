package io.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples in conf/ (shipped in the distribution's conf/) cannot rot: each is what its command accepts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExampleConfigTest
{
    static final Path CONF = FeedScript.REPO_ROOT.resolve("conf");

    /** Each example's command, by the role its file name starts with. */
    static final Map<String, String> COMMAND_OF_ROLE = Map.of(
        "publisher", "publish", "subscriber", "subscribe", "replay-server", "replay-server", "driver", "driver");

    @Test
    void everyExampleIsAcceptedByItsCommandAndIsInEffect() throws IOException
    {
        for (final Path example : examples())
        {
            final String name = example.getFileName().toString();
            final String role = COMMAND_OF_ROLE.keySet().stream().filter(r -> name.startsWith(r + "-")).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": name it <role>-<profile>.properties, role one of " +
                    COMMAND_OF_ROLE.keySet()));
            final ConfigFileTest.Result printed = ConfigFileTest.run(
                COMMAND_OF_ROLE.get(role), "--config", example.toString(), "--print-config");
            assertEquals(0, printed.exitCode(), name + ": " + printed.err());

            final Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(example, StandardCharsets.UTF_8))
            {
                file.load(reader);
            }
            assertTrue(file.size() > 0, name + " sets something");
            final Map<String, String> sources = ConfigFileTest.sources(printed.out());
            final Map<String, String> values = ConfigFileTest.values(printed.out());
            for (final String key : file.stringPropertyNames())
            {
                assertEquals(example.toString(), sources.get(key), name + ": " + key);
                assertEquals(file.getProperty(key).strip(), values.get(key), name + ": " + key);
            }
            final boolean hasProfile = role.equals("publisher") || role.equals("subscriber");
            if (hasProfile)
            {
                final String profile = name.substring(role.length() + 1, name.length() - ".properties".length());
                assertEquals(profile, values.get("profile"), name);
            }
        }
    }

    @Test
    void everyRoleHasAnExampleForBothDeploymentProfiles() throws IOException
    {
        final List<String> names = examples().stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
        for (final String role : COMMAND_OF_ROLE.keySet())
        {
            for (final String profile : List.of("low-latency", "compact"))
            {
                assertTrue(names.contains(role + "-" + profile + ".properties"), role + " " + profile + ": " + names);
            }
        }
    }

    static List<Path> examples() throws IOException
    {
        try (Stream<Path> files = Files.list(CONF))
        {
            return files.filter(p -> p.toString().endsWith(".properties")).sorted().collect(Collectors.toList());
        }
    }
}
