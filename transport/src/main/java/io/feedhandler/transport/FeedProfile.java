package io.feedhandler.transport;

/**
 * How a process spends its cores (see docs/ARCHITECTURE.md, deployment profiles).
 */
public enum FeedProfile
{
    /**
     * An embedded media driver with one shared thread that backs off when idle; the application's
     * threads back off too. Good on a shared host and in tests.
     */
    DEFAULT("backoff"),
    /**
     * Lowest latency: the embedded driver's conductor, sender and receiver each on a thread of their
     * own, sender and receiver busy-spinning, and the application's threads busy-spinning (pin them
     * with --cpu). Needs a core per spinning thread.
     */
    LOW_LATENCY("busy-spin"),
    /**
     * Few cores: the media driver and the Aeron client conductor run inside the application's own
     * duty cycle (agent invokers), so a process has one hot thread, which busy-spins. A publisher
     * and a subscriber fit on a 2-core host.
     */
    COMPACT("busy-spin");

    private final String defaultIdleStrategy;

    FeedProfile(final String defaultIdleStrategy)
    {
        this.defaultIdleStrategy = defaultIdleStrategy;
    }

    /** The idle strategy the application's threads use unless one is named. */
    public String defaultIdleStrategy()
    {
        return defaultIdleStrategy;
    }

    /** @throws IllegalArgumentException naming the bad value and the valid ones. */
    public static FeedProfile parse(final String name)
    {
        switch (name)
        {
            case "default":
                return DEFAULT;
            case "low-latency":
                return LOW_LATENCY;
            case "compact":
                return COMPACT;
            default:
                throw new IllegalArgumentException("bad --profile '" + name + "': expected default, low-latency or compact");
        }
    }

    public String cliName()
    {
        return name().toLowerCase().replace('_', '-');
    }
}
