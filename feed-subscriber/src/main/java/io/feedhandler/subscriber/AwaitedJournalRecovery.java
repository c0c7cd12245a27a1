package io.feedhandler.subscriber;

import io.feedhandler.journal.Journal;

import java.nio.file.Path;

/**
 * Recovery from a journal on this host that may not exist yet: subscribers are started before the
 * publisher that creates their {@code --journal}. Until the journal holds cycle files, a pull cannot
 * start ({@link #start} says so, and {@link Recovery} tries again later, saying once why nothing comes);
 * from then on it is a {@link JournalRecovery}. Live delivery does not wait for it.
 */
final class AwaitedJournalRecovery implements RecoverySource
{
    private final Path directory;
    private final Handler handler;
    private final int maxInstruments;
    private JournalRecovery journal;

    AwaitedJournalRecovery(final Path directory, final Handler handler, final int maxInstruments)
    {
        this.directory = directory;
        this.handler = handler;
        this.maxInstruments = maxInstruments;
        opened();
    }

    /** A source that reads the journal now if it is there, or once it is. */
    static RecoverySource.Factory factory(final Path directory, final int maxInstruments)
    {
        return handler -> new AwaitedJournalRecovery(directory, handler, maxInstruments);
    }

    public boolean start(final long fromSequence)
    {
        return opened() && journal.start(fromSequence);
    }

    public boolean startSnapshot()
    {
        return opened() && journal.startSnapshot();
    }

    public int poll(final int limit)
    {
        return journal == null ? 0 : journal.poll(limit);
    }

    public void stop()
    {
        if (journal != null)
        {
            journal.stop();
        }
    }

    public String describe()
    {
        return journal != null ? journal.describe() : "journal " + directory + " (not created yet)";
    }

    public void close()
    {
        if (journal != null)
        {
            journal.close();
        }
    }

    private boolean opened()
    {
        if (journal == null && Journal.hasCycleFiles(directory))
        {
            journal = new JournalRecovery(directory, handler, maxInstruments);
        }
        return journal != null;
    }
}
