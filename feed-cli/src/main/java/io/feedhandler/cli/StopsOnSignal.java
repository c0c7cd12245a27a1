package io.feedhandler.cli;

/**
 * A command that stops its own work on SIGINT/SIGTERM ({@link ShutdownSignal}, {@link RunLoop}) and
 * prints its summary before the process exits 130/143. Any other command is ended at once by a
 * signal (see {@link Signals}).
 */
interface StopsOnSignal
{
}
