package io.feedhandler.cli;

import io.feedhandler.transport.CpuPinning;
import io.feedhandler.transport.FeedProfile;
import io.feedhandler.transport.TransportConfiguration;
import io.feedhandler.transport.TransportContext;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of a process on the live stream, whatever its role: they make its {@link TransportContext}. */
final class TransportOptions
{
    @Mixin
    StreamOptions stream;

    @Mixin
    DriverOptions driver;

    @Option(names = "--profile", paramLabel = "PROFILE", completionCandidates = Choices.Profiles.class,
        description = "How the process spends its cores, one of ${COMPLETION-CANDIDATES}: default (shared driver " +
            "thread, backing off), low-latency (dedicated driver threads, busy-spinning), compact (driver and client " +
            "run in the hot-path thread: one thread per process) (default: ${DEFAULT-VALUE}).")
    String profile = TransportConfiguration.PROFILE.cliName();

    @Option(names = "--cpu", paramLabel = "CPU",
        description = "Pin the hot-path thread to this CPU; -1 = not pinned (default: ${DEFAULT-VALUE}).")
    int cpu = CpuPinning.NONE;

    FeedProfile feedProfile()
    {
        return FeedProfile.parse(profile);
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
            .streamId(stream.streamId)
            .aeronDirectory(driver.aeronDirectory)
            .idleStrategy(driver.idleStrategy)
            .profile(feedProfile())
            .cpu(cpu);
    }
}
