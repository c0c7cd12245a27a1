package io.feedhandler.journal;

/** The journal cannot be opened or used as asked: a bad directory, a lock held elsewhere, damage. */
public class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public JournalException(final String message)
    {
        super(message);
    }

    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
