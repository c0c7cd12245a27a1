package io.feedhandler.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One role of the chaos soak's lab (publisher, replay server, a subscriber): its current process, the
 * incarnation (one more at each restart), and what the invariant checks know of that incarnation.
 */
final class ChaosPart
{
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");

    enum Role
    {
        PUBLISHER, REPLAY_SERVER, ANONYMOUS, DURABLE, FROM_SEQ;

        boolean subscriber()
        {
            return this == ANONYMOUS || this == DURABLE || this == FROM_SEQ;
        }
    }

    final String name;
    final int host;
    final Role role;
    FeedProcess process;
    int incarnation;
    /** The first sequence the current incarnation must deliver; 0 when any (it starts live). */
    long expectedFirst;
    long nextFromSeq;
    long journalLastAtKill;
    ChaosJournal range;
    long verifiedTo;
    long lagSinceNanos;
    /** Stopped for good at the end of the soak. */
    boolean ended;

    ChaosPart(final String name, final int host, final Role role)
    {
        this.name = name;
        this.host = host;
        this.role = role;
    }

    String label()
    {
        return name + "#" + incarnation;
    }

    void saveLog(final Path dir)
    {
        if (process == null)
        {
            return;
        }
        try
        {
            Files.writeString(dir.resolve("logs").resolve(label() + ".log"), process.stderr() + "\n--- stdout\n" +
                String.join("\n", process.stdoutLines()) + "\n");
        }
        catch (final IOException ex)
        {
            System.err.println("chaos: could not save the log of " + label() + ": " + ex);
        }
    }

    /** The fields of its latest status line ({@code status: delivered=... checkpointDigest=...}); null before one. */
    Map<String, String> status()
    {
        final String line = process == null ? null : process.lastStderrLine("status: delivered=");
        if (line == null)
        {
            return null;
        }
        final Map<String, String> fields = new HashMap<>();
        final Matcher matcher = FIELD.matcher(line.substring(line.indexOf("status: ")));
        while (matcher.find())
        {
            fields.put(matcher.group(1), matcher.group(2));
        }
        return fields;
    }

    static long number(final Map<String, String> status, final String key)
    {
        final String value = status.get(key);
        return value == null ? 0 : Long.parseLong(value);
    }
}
