package io.feedhandler.journal;

import java.nio.file.Path;

/**
 * A journal check was stopped before it finished (SIGINT/SIGTERM, a shutdown): no verdict. Never
 * damage: what was read up to {@link #checkedToSequence()} was found sound, the rest was not read.
 */
public final class JournalCheckInterruptedException extends JournalException
{
    private static final long serialVersionUID = 1L;

    private final long checkedToSequence;

    public JournalCheckInterruptedException(final Path directory, final long checkedToSequence, final String why)
    {
        super("the check of journal " + directory.toAbsolutePath() + " was interrupted (" + why + ") " +
            (checkedToSequence > 0 ? "after sequence " + checkedToSequence + ", nothing wrong found up to there" :
            "before it read a sequence") + "; no verdict on the journal, nothing was changed");
        this.checkedToSequence = checkedToSequence;
    }

    /** The last sequence read and found sound before the check stopped; 0 for none. */
    public long checkedToSequence()
    {
        return checkedToSequence;
    }
}
