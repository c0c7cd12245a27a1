package io.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/CONFIGURATION.md lists every option of every command as the code defines it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigReferenceTest
{
    static final Path DOC = FeedScript.REPO_ROOT.resolve("docs/CONFIGURATION.md");

    @Test
    void theReferenceIsWhatTheCodeSays() throws Exception
    {
        final String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        assertEquals(ConfigReference.update(doc), doc, "docs/CONFIGURATION.md differs from the options in the code; " +
            "regenerate it from the repository root after 'mvn -B -DskipTests package': " + ConfigReference.REGENERATE);
    }

    @Test
    void everyCommandAndOptionIsListed()
    {
        final String tables = ConfigReference.tables();
        for (final String[] command : ConfigFileTest.COMMANDS)
        {
            final String name = "feed " + String.join(" ", command);
            assertTrue(tables.contains("### `" + name + "`"), name);
            final var spec = FeedMain.commandLine().getCommandSpec();
            var sub = spec.subcommands().get(command[0]);
            for (int i = 1; i < command.length; i++)
            {
                sub = sub.getSubcommands().get(command[i]);
            }
            for (final var option : ConfigReport.configurable(sub.getCommandSpec()))
            {
                assertTrue(tables.contains("| `" + ConfigFile.key(option) + "` |"), name + " " + option.longestName());
            }
        }
        assertTrue(tables.contains("`aeron:udp?endpoint=239.255.77.1:40456\\|interface=127.0.0.1`"),
            "a pipe in a table cell is escaped");
    }
}
