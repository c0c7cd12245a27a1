package io.feedhandler.cli;

/**
 * Whether a person is watching: the launcher ({@code scripts/feed}) tells the JVM whether stderr is a
 * terminal ({@code -Dfeed.stderr.terminal=true}, from the shell's {@code [ -t 2 ]}), which Java cannot
 * find out for stderr by itself. Progress bars and the like go only to a terminal, never into a log.
 */
final class Terminal
{
    static final String STDERR_PROPERTY = "feed.stderr.terminal";

    private Terminal()
    {
    }

    static boolean stderrIsTerminal()
    {
        return Boolean.getBoolean(STDERR_PROPERTY);
    }
}
