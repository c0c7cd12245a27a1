package io.feedhandler.cli;

import io.feedhandler.transport.FeedCounterReader;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where {@code feed stat} and {@code feed metrics} read counters from. */
final class CounterSourceOptions
{
    // Not DriverOptions: a list of drivers to read counters from, none of them used to talk Aeron.
    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "A media driver directory to read (repeatable; default: find them all).")
    List<Path> aeronDirectories = new ArrayList<>();

    void validate()
    {
        for (final Path directory : aeronDirectories)
        {
            if (!Files.isDirectory(directory))
            {
                throw new UsageError("bad --aeron-dir '" + directory + "': no such directory");
            }
        }
    }

    List<FeedCounterReader.Instance> read()
    {
        return FeedCounterReader.readAll(aeronDirectories);
    }

    /** The directories looked in, for a message when nothing was found. */
    List<Path> searched()
    {
        return aeronDirectories.isEmpty() ? FeedCounterReader.driverDirectories() : aeronDirectories;
    }
}
