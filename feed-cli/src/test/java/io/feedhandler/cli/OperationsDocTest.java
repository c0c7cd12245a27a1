package io.feedhandler.cli;

import io.feedhandler.transport.FeedCounter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runbook's counter tables name every counter the code publishes, under its real metric name. */
class OperationsDocTest
{
    @Test
    void everyCounterIsInTheRunbook() throws Exception
    {
        final String runbook = Files.readString(Path.of(System.getProperty("feed.repo.root", ".."), "docs", "OPERATIONS.md"));
        for (final FeedCounter counter : FeedCounter.values())
        {
            final String metric = CounterView.metricName(counter);
            assertTrue(runbook.contains("`" + metric + "`"), "docs/OPERATIONS.md should describe " + metric);
        }
    }
}
