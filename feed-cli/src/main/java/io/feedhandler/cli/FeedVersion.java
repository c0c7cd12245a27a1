package io.feedhandler.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * {@code -V}/{@code --version} on every command: the Maven project's version and when it was built,
 * from a resource the build writes, so a report from the field says exactly which build ran.
 */
final class FeedVersion implements CommandLine.IVersionProvider
{
    static final String RESOURCE = "version.properties";

    public String[] getVersion()
    {
        final Properties build = read();
        return new String[]{
            "feed " + build.getProperty("version", "unknown"),
            "build " + build.getProperty("build.time", "unknown") + ", Java " + System.getProperty("java.version") +
                " (" + System.getProperty("java.vm.name") + ")"};
    }

    static Properties read()
    {
        final Properties properties = new Properties();
        try (InputStream in = FeedVersion.class.getResourceAsStream(RESOURCE))
        {
            if (in != null)
            {
                properties.load(in);
            }
        }
        catch (final IOException ignored)
        {
            // unknown, said so
        }
        return properties;
    }
}
