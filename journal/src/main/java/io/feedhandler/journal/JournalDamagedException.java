package io.feedhandler.journal;

import java.nio.file.Path;

/** A journal failed its check: it is damaged, and nothing was written to it. */
public final class JournalDamagedException extends JournalException
{
    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final transient JournalVerifier.Result result;

    public JournalDamagedException(final Path directory, final JournalVerifier.Result result, final String message)
    {
        super(message);
        this.directory = directory;
        this.result = result;
    }

    public Path directory()
    {
        return directory;
    }

    /** What the check found: the first bad sequence, the last good one, the problem. */
    public JournalVerifier.Result result()
    {
        return result;
    }
}
