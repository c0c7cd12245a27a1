package io.feedhandler.publisher;

import java.util.Locale;

/**
 * What a publisher does when the start-up check finds its journal damaged. Either way, nothing of
 * the damaged journal is overwritten or deleted.
 */
public enum DamagedJournalPolicy
{
    /** Do not start: exit naming the journal, the first bad sequence and the problem (the default). */
    REFUSE,
    /**
     * Move the damaged journal aside, intact ({@code <dir>.damaged-<time>}), copy its good prefix into a
     * fresh journal at the same path, and continue after the last good sequence.
     */
    ARCHIVE;

    public String cliName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the bad value. */
    public static DamagedJournalPolicy parse(final String name)
    {
        for (final DamagedJournalPolicy policy : values())
        {
            if (policy.cliName().equalsIgnoreCase(name))
            {
                return policy;
            }
        }
        throw new IllegalArgumentException("bad --on-damaged-journal '" + name + "': expected refuse or archive");
    }
}
