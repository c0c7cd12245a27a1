package io.feedhandler.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.feedhandler.codecs.SummaryLine;
import io.feedhandler.publisher.PublisherConfiguration;
import io.feedhandler.subscriber.SubscriberConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one run loop of the long-running commands, with a run the test controls. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RunLoopTest
{
    /** The lines logged, as "level message", kept by an appender on this test's own logger. */
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger)LoggerFactory.getLogger(RunLoopTest.class);
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    @BeforeEach
    void captureOutput()
    {
        appender.start();
        log.addAppender(appender);
        log.setAdditive(false);
        originalOut = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput()
    {
        log.detachAppender(appender);
        System.setOut(originalOut);
    }

    private List<String> logged()
    {
        return appender.list.stream().map(e -> e.getLevel().toString().toLowerCase(Locale.ROOT) + " " +
            e.getFormattedMessage()).collect(Collectors.toList());
    }

    @Test
    void logsTheStartAndTheStatusThenPrintsTheSummaryLastAndClosesTheRun() throws Exception
    {
        final int exitCode = new RunLoop(log, config(), 1).run(() -> run(3, null, 0));
        final List<String> logged = logged();
        assertEquals(0, exitCode);
        assertTrue(closed.get());
        assertTrue(logged.get(0).startsWith("info configuration from defaults, command line:"), logged.toString());
        assertEquals("info started", logged.get(1));
        assertTrue(logged.contains("info status: polled 1"), "a status line per interval: " + logged);
        final List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("{\"role\":\"test\",\"polls\":4}", lines.get(lines.size() - 1));
    }

    @Test
    void noStatusLinesWithAnIntervalOfZero() throws Exception
    {
        new RunLoop(log, config(), 0).run(() -> run(2, null, 0));
        final List<String> logged = logged();
        assertTrue(logged.stream().noneMatch(line -> line.contains("status:")), logged.toString());
    }

    @Test
    void theRunSaysTheExitCode() throws Exception
    {
        assertEquals(FeedMain.EXIT_FAILURE, new RunLoop(log, config(), 0).run(() -> run(0, null, FeedMain.EXIT_FAILURE)));
    }

    @Test
    void aFailureIsRethrownAfterTheSummary()
    {
        final IllegalStateException failure = new IllegalStateException("disk on fire");
        final RuntimeException ex = assertThrows(RuntimeException.class,
            () -> new RunLoop(log, config(), 0).run(() -> run(0, failure, 0)));
        assertEquals("test run failed: " + failure, ex.getMessage());
        assertSame(failure, ex.getCause());
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("\"role\":\"test\""), "summary first");
        assertTrue(closed.get());
    }

    @Test
    void oneStatusIntervalForPublishersAndSubscribers()
    {
        // RunLimits declares --status-interval once, for both roles.
        assertEquals(PublisherConfiguration.STATUS_INTERVAL, SubscriberConfiguration.STATUS_INTERVAL);
    }

    /** A run that ends after {@code pollsToEnd} polls of 10 ms each. */
    private RunLoop.Run run(final int pollsToEnd, final Throwable failure, final int exitCode)
    {
        return new RunLoop.Run("test run", () -> closed.set(true), () -> { }, (timeout, unit) ->
        {
            Thread.sleep(10);
            return polls.incrementAndGet() > pollsToEnd;
        }, () -> "polled " + polls.get(), () -> failure)
        {
            String startLine()
            {
                return "started";
            }

            SummaryLine summary()
            {
                return new SummaryLine().add("role", "test").add("polls", polls.get());
            }

            int exitCode()
            {
                return exitCode;
            }
        };
    }

    /** The --config options of a parsed command line, for the configuration line. */
    private static ConfigOptions config()
    {
        final var commandLine = FeedMain.commandLine();
        commandLine.parseArgs("driver", "--idle", "yield");
        final DriverCommand driver = commandLine.getSubcommands().get("driver").getCommand();
        return driver.config;
    }
}
