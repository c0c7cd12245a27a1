package io.feedhandler.cli;

import io.feedhandler.transport.CpuPinning;
import io.feedhandler.transport.FeedProfile;
import io.feedhandler.transport.TransportContext;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of a process on the live stream, whatever its role: they make its {@link TransportContext}. */
final class TransportOptions
{
    @Mixin
    StreamOptions stream;

    @Option(names = "--b-channel", paramLabel = "URI",
        description = "The B line: every message of the live stream also goes on (publish) or is also listened to " +
            "on (subscribe, gateway) this channel, another network path (another group, port or interface); a " +
            "subscriber delivers each sequence once, from whichever line brings it first (default: none).")
    String bChannel;

    @Mixin
    DriverOptions driver;

    @Option(names = "--profile", paramLabel = "PROFILE", completionCandidates = Choices.Profiles.class,
        description = "How the process spends its cores, one of ${COMPLETION-CANDIDATES}: auto (chosen from this " +
            "host's cores, or from the FEED_PROFILE environment variable when it is set: see the README's " +
            "profiles), default (shared driver thread, backing off), low-latency (dedicated driver threads, " +
            "busy-spinning), compact (driver and client run in the hot-path thread: one thread per process) " +
            "(default: ${DEFAULT-VALUE}).")
    String profile = FeedProfile.AUTO;

    @Option(names = "--cpu", paramLabel = "CPU",
        description = "Pin the hot-path thread to this CPU; -1 = not pinned (default: ${DEFAULT-VALUE}).")
    int cpu = CpuPinning.NONE;

    /** Threads of this process that spin in a busy-spinning profile: what {@code auto} weighs against the cores. */
    private int hotThreads = 1;

    /** A publisher running its replay server in-process has two. */
    TransportOptions hotThreads(final int hotThreads)
    {
        this.hotThreads = hotThreads;
        return this;
    }

    FeedProfile feedProfile()
    {
        if (!FeedProfile.AUTO.equals(profile))
        {
            return FeedProfile.parse(profile);
        }
        final String fixed = environmentProfile();
        if (fixed != null)
        {
            try
            {
                return FeedProfile.parse(fixed.strip().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new UsageError("bad FEED_PROFILE '" + fixed + "' (the environment's choice for --profile auto): " +
                    "expected default, low-latency or compact");
            }
        }
        return FeedProfile.auto(Runtime.getRuntime().availableProcessors(), hotThreads);
    }

    /** How the profile was chosen, for the start-up line: empty when it was named. */
    String profileChoice()
    {
        if (!FeedProfile.AUTO.equals(profile))
        {
            return "";
        }
        return environmentProfile() != null ? " (auto: FEED_PROFILE)" :
            " (auto: " + Runtime.getRuntime().availableProcessors() + " cores, " + hotThreads + " hot thread" +
            (hotThreads == 1 ? "" : "s") + ")";
    }

    /** {@code FEED_PROFILE}, the host's fixed choice for {@code auto}; null when unset or blank. */
    private static String environmentProfile()
    {
        final String fixed = System.getenv("FEED_PROFILE");
        return fixed == null || fixed.isBlank() ? null : fixed;
    }

    /** The idle strategy asked for, else the profile's: also what a publisher's embedded replay server uses. */
    String idleStrategy()
    {
        return driver.idleStrategy != null ? driver.idleStrategy : feedProfile().defaultIdleStrategy();
    }

    TransportContext context()
    {
        return new TransportContext()
            .channel(stream.channel)
            .bChannel(bChannel)
            .streamId(stream.streamId)
            .aeronDirectory(driver.aeronDirectory)
            .idleStrategy(driver.idleStrategy)
            .profile(feedProfile())
            .cpu(cpu);
    }
}
