package io.feedhandler.cli;

import io.feedhandler.publisher.PublisherConfiguration;
import picocli.CommandLine.Option;

/**
 * When a publisher or a subscriber stops by itself, and how often it logs its counters. The status
 * interval is one default for both roles (their Configuration classes agree; RunLimitsTest checks).
 */
final class RunLimits
{
    @Option(names = "--count", paramLabel = "N",
        description = "Stop after N ticks (published, or delivered); 0 = no limit (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "0",
        description = "Stop after this long, e.g. 30s, 5m; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long durationNanos;

    @Option(names = "--status-interval", paramLabel = "TIME", converter = DurationConverter.class,
        defaultValue = PublisherConfiguration.STATUS_INTERVAL,
        description = "Log the counters on stderr this often while running; 0 = never (default: ${DEFAULT-VALUE}).")
    long statusIntervalNanos;
}
