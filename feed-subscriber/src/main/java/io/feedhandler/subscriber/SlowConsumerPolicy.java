package io.feedhandler.subscriber;

/** What a subscriber whose listener cannot keep up with the feed does. */
public enum SlowConsumerPolicy
{
    /**
     * Deliver every tick: what the listener is too slow for piles up in the network buffers, and
     * whatever falls out of them is pulled from the journal at the listener's pace.
     */
    RECOVER("recover"),
    /**
     * Deliver, for each instrument, only the latest quote there is: while behind by more than
     * {@code --conflate-lag}, ticks are held (the latest per instrument) instead of delivered, then the
     * held ones go to the listener in sequence order. Superseded ticks are counted, never asked for.
     */
    CONFLATE("conflate");

    private final String cliName;

    SlowConsumerPolicy(final String cliName)
    {
        this.cliName = cliName;
    }

    public String cliName()
    {
        return cliName;
    }

    /** By command-line name, any case ({@code recover}, {@code conflate}). */
    public static SlowConsumerPolicy parse(final String name)
    {
        for (final SlowConsumerPolicy policy : values())
        {
            if (policy.cliName.equalsIgnoreCase(name))
            {
                return policy;
            }
        }
        throw new IllegalArgumentException("bad --slow-consumer '" + name + "': expected recover or conflate");
    }
}
