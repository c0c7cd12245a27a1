package io.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's shell examples run as written: every {@code ```bash} block of README.md, except one
 * marked {@code <!-- not run: REASON -->} on the line before it, line by line through the real launcher.
 * <ul>
 * <li>Each block runs in a scratch directory that has {@code scripts/feed} (a link to this tree's launcher),
 * a small {@code ticks.csv} and {@code XDG_STATE_HOME} of its own; {@code /var/tmp/feed-journal} and
 * {@code /dev/shm/feed-driver} are replaced by scratch paths, so a run touches nothing of the host's.</li>
 * <li>Lines are grouped by blank lines, as the README groups its examples; a line ending in {@code &} runs in
 * the background until its group ends, and the next line starts once it is up (as a person waits).</li>
 * <li>A command that ends by itself (a count, a duration, a one-shot tool) must exit 0. One that runs until
 * stopped must start, then stop on SIGINT with exit 130 and its summary line, as the README says.</li>
 * <li>Skipped, with the reason in the report: a line naming another host's address (10.1.2.3).</li>
 * </ul>
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class ReadmeExamplesIT
{
    private static final Pattern NOT_RUN = Pattern.compile("<!-- not run: (.+?) -->");
    private static final Pattern COMMENT = Pattern.compile("\\s+#\\s.*$");
    private static final List<String> STARTED = List.of(SubscribeCommand.READY, "publishing on", GatewayCommand.READY,
        "media driver running", "replay server", "serving");
    private static final long START_SECONDS = 60;
    private static final long FINITE_SECONDS = 120;

    @TempDir
    Path scratch;

    @Test
    void everyExampleRunsAsWritten() throws Exception
    {
        Files.createDirectories(scratch.resolve("scripts"));
        Files.createSymbolicLink(scratch.resolve("scripts/feed"), FeedScript.SCRIPT);
        Files.writeString(scratch.resolve("ticks.csv"), "timestamp,symbol,bid,bidSize,ask,askSize\n" +
            "1700000000000000000,AAPL,189.12,300,189.13,100\n1700000000000001000,MSFT,412.50,200,412.52,400\n" +
            "1700000000000002000,AAPL,189.13,100,189.14,300\n");
        final List<String> report = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        int ran = 0;
        for (final List<String> group : groups(Files.readString(FeedScript.REPO_ROOT.resolve("README.md"),
            StandardCharsets.UTF_8), report))
        {
            ran += runGroup(group, report, failures);
        }
        System.out.println(String.join("\n", report));
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
        assertTrue(ran >= 25, "the README's commands were found and run: " + ran + "\n" + String.join("\n", report));
    }

    /**
     * The README's first command pipes Maven's quiet output: Maven 3.8's jansi writes a colour reset
     * (ESC[0m) to stdout and stderr even in batch mode, which {@code .mvn/jvm.config}
     * ({@code -Djansi.noreset=true}) stops. {@code mvn -v} shows it in a fraction of a second.
     */
    @Test
    void mavenQuietOutputIsCleanWhenPiped() throws Exception
    {
        final Process maven;
        try
        {
            maven = new ProcessBuilder("mvn", "-B", "-q", "-o", "-v").directory(FeedScript.REPO_ROOT.toFile())
                .redirectErrorStream(true).start();
        }
        catch (final java.io.IOException ex)
        {
            org.junit.jupiter.api.Assumptions.abort("no mvn on the PATH: " + ex.getMessage());
            return;
        }
        final String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(maven.waitFor(60, TimeUnit.SECONDS));
        assertTrue(output.contains("Apache Maven") || output.matches("(?s)\\d+\\.\\d+\\.\\d+.*"), output);
        assertTrue(output.indexOf('\u001b') < 0, "no escape codes: " + output.replace("\u001b", "ESC"));
    }

    /** The groups of command lines of every runnable block, in order; what is skipped goes into the report. */
    private static List<List<String>> groups(final String readme, final List<String> report)
    {
        final List<List<String>> groups = new ArrayList<>();
        final String[] lines = readme.split("\n");
        for (int i = 0; i < lines.length; i++)
        {
            if (!lines[i].strip().equals("```bash"))
            {
                continue;
            }
            final Matcher notRun = i > 0 ? NOT_RUN.matcher(lines[i - 1]) : null;
            final int start = i + 1;
            while (i + 1 < lines.length && !lines[i + 1].strip().equals("```"))
            {
                i++;
            }
            if (notRun != null && notRun.find())
            {
                report.add("not run: the block at README.md line " + start + ": " + notRun.group(1));
                continue;
            }
            List<String> group = new ArrayList<>();
            for (int j = start; j <= i; j++)
            {
                final String line = lines[j].strip();
                if (line.isEmpty())
                {
                    if (!group.isEmpty())
                    {
                        groups.add(group);
                    }
                    group = new ArrayList<>();
                }
                else if (line.contains("10.1.2.3"))
                {
                    report.add("not run: " + line + " (names another host's address)");
                }
                else if (!line.startsWith("#"))
                {
                    group.add(line);
                }
            }
            if (!group.isEmpty())
            {
                groups.add(group);
            }
        }
        return groups;
    }

    private int runGroup(final List<String> group, final List<String> report, final List<String> failures)
        throws Exception
    {
        final List<FeedProcess> background = new ArrayList<>();
        final List<String> backgroundLines = new ArrayList<>();
        int ran = 0;
        try
        {
            for (final String written : group)
            {
                final String command = COMMENT.matcher(written).replaceFirst("").strip();
                final boolean inBackground = command.endsWith("&");
                final String line = inBackground ? command.substring(0, command.length() - 1).strip() : command;
                final FeedProcess process = start(line);
                ran++;
                if (inBackground)
                {
                    background.add(process);
                    backgroundLines.add(line);
                    awaitStarted(process, line);
                    continue;
                }
                if (runsUntilStopped(line))
                {
                    awaitStarted(process, line);
                    check(line, stop(process), true, process, failures, report);
                }
                else
                {
                    process.awaitExit(FINITE_SECONDS);
                    check(line, process.exitCode(), false, process, failures, report);
                }
            }
            for (int i = 0; i < background.size(); i++)
            {
                final FeedProcess process = background.get(i);
                final String line = backgroundLines.get(i);
                // One with a count ends by itself once the group's publisher has run; the rest are stopped, as the
                // README's reader would stop them.
                final boolean ended = line.contains("--count") && process.exitedWithin(TimeUnit.SECONDS.toNanos(60));
                check(line, ended ? process.exitCode() : stop(process), !ended, process, failures, report);
            }
        }
        finally
        {
            for (final FeedProcess process : background)
            {
                process.close();
            }
        }
        return ran;
    }

    private FeedProcess start(final String line) throws Exception
    {
        final String command = line
            .replace("/var/tmp/feed-journal", scratch.resolve("var-tmp-feed-journal").toString())
            .replace("/dev/shm/feed-driver", "/dev/shm/feed-driver-readme-" + ProcessHandle.current().pid());
        final boolean simple = !command.contains("|") && !command.contains("&&") && !command.contains(";");
        // curl -N streams until it is stopped: a person stops it; here it gets a few seconds.
        final String stopped = command.startsWith("curl") ? "timeout 5 " + command : command;
        // SIGINT reset first: a suite run from a background shell hands its children SIGINT ignored, and the
        // README's Ctrl-C is what stops a command here (see StartAndStopIT).
        final List<String> launcher = new java.util.ArrayList<>(StartAndStopIT.SIGINT_DEFAULT);
        launcher.addAll(List.of("env", "XDG_STATE_HOME=" + scratch.resolve("state"),
            "JAVA_OPTS=-Xmx384m", "bash", "-c", "cd \"$0\" && " + (simple ? "exec " : "") + stopped, scratch.toString()));
        return FeedProcess.start(new FeedProcess.Launcher(launcher, null), null);
    }

    /** A feed command with no count, no duration and nothing that ends it: it runs until stopped. */
    private static boolean runsUntilStopped(final String line)
    {
        if (!line.startsWith("scripts/feed "))
        {
            return false;
        }
        final String command = line.split("\\s+")[1];
        if (command.equals("replay"))
        {
            return line.contains("--follow");
        }
        return List.of("publish", "subscribe", "gateway", "replay-server", "driver", "metrics").contains(command) &&
            !line.contains("--count") && !line.contains("--duration") && !line.contains("--csv") &&
            !line.contains("--print-config") && !line.contains("--list-stale") && !line.contains("--remove-stale");
    }

    /** Until it says it runs (its start line), or for a while when it has none to say. */
    private static void awaitStarted(final FeedProcess process, final String line) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(
            line.startsWith("scripts/feed replay ") ? 4 : START_SECONDS);
        while (System.nanoTime() < deadline && process.isAlive() &&
            STARTED.stream().noneMatch(process.stderr()::contains))
        {
            Thread.sleep(50);
        }
        Thread.sleep(500); // its first ticks, as a person would see them
    }

    private static int stop(final FeedProcess process) throws Exception
    {
        if (process.isAlive())
        {
            process.signal("INT");
        }
        return process.awaitExit(60);
    }

    /** Exit 0, or 130 when it was stopped with SIGINT (the summary printed first), or 124 for a stream cut short. */
    private static void check(
        final String line, final int exitCode, final boolean stopped, final FeedProcess process,
        final List<String> failures, final List<String> report)
    {
        final boolean ok = exitCode == 0 ||
            (exitCode == 130 && stopped && (line.startsWith("scripts/feed replay ") || process.hasSummary())) ||
            (exitCode == 124 && line.startsWith("curl -N"));
        report.add((ok ? "ok   " : "FAIL ") + "exit " + exitCode + "  " + line);
        if (!ok)
        {
            failures.add(line + "\nexit " + exitCode + "\nstderr: " + tail(process.stderr()));
        }
    }

    private static String tail(final String text)
    {
        return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
    }
}
