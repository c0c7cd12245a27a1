package io.feedhandler.cli;

/** A mistake in what the user asked for: printed as one line, exit code 2, no stack trace. */
final class UsageError extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    UsageError(final String message)
    {
        super(message, null, false, false);
    }
}
