package io.feedhandler.subscriber;

/**
 * What a subscriber does when the journal no longer holds where it must start (retention deleted it:
 * a durable subscriber back after a long absence, a {@code --from-seq} too far back).
 */
public enum LostPolicy
{
    /** Count the missing sequences as {@code lost}, report them, and go on from the first retained one. */
    COUNT("count"),
    /**
     * Start again from a snapshot (the latest quote of every instrument as of some sequence S), then
     * the ticks after S: the book is whole again, and nothing is counted lost.
     */
    SNAPSHOT("snapshot");

    private final String cliName;

    LostPolicy(final String cliName)
    {
        this.cliName = cliName;
    }

    public String cliName()
    {
        return cliName;
    }

    /** By command-line name, any case ({@code count}, {@code snapshot}). */
    public static LostPolicy parse(final String name)
    {
        for (final LostPolicy policy : values())
        {
            if (policy.cliName.equalsIgnoreCase(name))
            {
                return policy;
            }
        }
        throw new IllegalArgumentException("bad --on-lost '" + name + "': expected count or snapshot");
    }
}
