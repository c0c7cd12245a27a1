package io.feedhandler.perf;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Main class of {@code perf/target/benchmarks.jar}: JMH's own command line (the same options as
 * {@code org.openjdk.jmh.Main}, e.g. {@code -prof gc}, {@code -f}, a benchmark regex), with the
 * product's JVM flags added to every fork so Agrona and Chronicle run as they do in production.
 */
public final class Benchmarks
{
    private Benchmarks()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final CommandLineOptions commandLine = new CommandLineOptions(args);
        if (commandLine.shouldHelp() || commandLine.shouldList() || commandLine.shouldListProfilers() ||
            commandLine.shouldListResultFormats() || commandLine.shouldListWithParams())
        {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        new Runner(new OptionsBuilder().parent(commandLine).jvmArgsAppend(jvmFlags()).build()).run();
    }

    /** The flags from the parent POM's {@code feed.jvm.flags}, filtered into the jar at build time. */
    public static String[] jvmFlags() throws IOException
    {
        try (InputStream in = Benchmarks.class.getResourceAsStream("/feed-jvm.options"))
        {
            if (in == null)
            {
                throw new IllegalStateException("feed-jvm.options missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+");
        }
    }
}
