package io.feedhandler.cli;

/**
 * A command's stop action for SIGINT/SIGTERM while it runs (see {@link Signals}): the first signal
 * runs it, the command ends its work as usual and prints its summary, and the process exits 130/143.
 * Open it before the work it must stop; closing it hands the signals back (a signal after that exits
 * at once).
 */
final class ShutdownSignal implements AutoCloseable
{
    ShutdownSignal()
    {
        // Until onSignal says what to do, a signal is recorded and seen by signalled().
    }

    /** What a signal should do; run at once if the signal already came. */
    void onSignal(final Runnable action)
    {
        Signals.onStop(action);
    }

    /** Whether SIGINT/SIGTERM came (in this process, since it started). */
    boolean signalled()
    {
        return Signals.received();
    }

    public void close()
    {
        Signals.release();
    }
}
