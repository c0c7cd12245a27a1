package io.feedhandler.publisher;

/**
 * What the publisher does when its journal cannot take another tick: the disk is down to the
 * reserve ({@code --min-free-disk}), or an append failed. Either way nothing already journaled is
 * touched, and the episode is counted ({@code journalFull} in the summary) and logged.
 */
public enum JournalFullPolicy
{
    /**
     * Stop sequencing: the tick that did not fit waits, nothing more is sent, so nothing goes live
     * that replay could not serve. Heartbeats keep telling subscribers the publisher is alive and
     * where the stream ends. Publishing resumes, with no hole, once free space is back at twice the
     * reserve (after an append that failed, it does not: restart the publisher).
     */
    STOP("stop"),

    /**
     * Keep sending live without journaling, recording each such sequence in the journal's
     * not-journaled ranges, so a replay request for them is refused with {@code NOT_JOURNALED} and a
     * subscriber that missed them counts them lost instead of waiting. Journaling resumes (leaving the
     * range as a recorded hole) once free space is back at twice the reserve.
     */
    LIVE_ONLY("live-only");

    private final String cliName;

    JournalFullPolicy(final String cliName)
    {
        this.cliName = cliName;
    }

    public String cliName()
    {
        return cliName;
    }

    /** By command-line name, any case ({@code stop}, {@code live-only}). */
    public static JournalFullPolicy parse(final String name)
    {
        for (final JournalFullPolicy policy : values())
        {
            if (policy.cliName.equalsIgnoreCase(name))
            {
                return policy;
            }
        }
        throw new IllegalArgumentException("bad --on-journal-full '" + name + "': expected stop or live-only");
    }
}
