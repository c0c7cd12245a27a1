package io.feedhandler.cli;

import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalConfiguration;
import io.feedhandler.journal.JournalException;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The journal a command writes (publish) or reads (replay-server, replay, the journal tools). */
final class JournalOptions
{
    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (default: ${DEFAULT-VALUE}).")
    Path directory = Path.of(JournalConfiguration.DIRECTORY);

    /** For a reader: the directory must be there (a writer creates it). */
    Path existing()
    {
        if (!Files.isDirectory(directory))
        {
            throw bad("no such directory");
        }
        return directory;
    }

    /** Open it for reading; what is not a journal is a usage error naming it. */
    Journal openReadOnly()
    {
        existing();
        try
        {
            return Journal.openReadOnly(directory);
        }
        catch (final JournalException ex)
        {
            throw bad(ex.getMessage());
        }
    }

    /** A mistake in --journal, one line naming the directory. */
    UsageError bad(final String problem)
    {
        return new UsageError("bad --journal '" + directory + "': " + problem);
    }
}
