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

    /** What {@code --profile auto} picks when the host has no say ({@link #auto}). */
    public static final String AUTO = "auto";

    /**
     * The profile for a process with {@code hotThreads} threads of its own that would busy-spin (a
     * subscriber 1; a publisher with its embedded replay server 2) on a host with {@code cores} cores.
     * A spinning thread takes a whole core, and a host usually runs more than this one process (a
     * publisher and subscribers, the journal's disk writes, the OS): so a profile is chosen only when it
     * leaves three quarters of the cores to the rest.
     * <ul>
     * <li>low-latency (also the driver's sender and receiver spin): at least 4 x (hotThreads + 2) cores,
     * e.g. 12 for a subscriber, 16 for a publisher;</li>
     * <li>compact (one spinning thread, the driver inside it): at least 4 x hotThreads cores;</li>
     * <li>default (backoff, microseconds lost to waking up, no core taken) below that.</li>
     * </ul>
     */
    public static FeedProfile auto(final int cores, final int hotThreads)
    {
        if (cores >= 4 * (hotThreads + 2))
        {
            return LOW_LATENCY;
        }
        if (cores >= 4 * hotThreads)
        {
            return COMPACT;
        }
        return DEFAULT;
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
