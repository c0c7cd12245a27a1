package io.feedhandler.cli;

import io.aeron.CommonContext;
import io.feedhandler.codecs.SummaryJson;
import io.feedhandler.transport.StaleDriverDirectories;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A feed command run as a child process, as the demo runs its parts and the tests run theirs: its
 * output captured line by line (and echoed with its name, for the demo), signalled by its PID, its
 * last line on stdout read as the JSON summary line. Every wait is bounded.
 */
final class FeedProcess implements AutoCloseable
{
    /** How long the output may take to drain once the process has exited. */
    private static final long DRAIN_SECONDS = 10;

    private final Process process;
    private final String name;
    private final List<String> out = new ArrayList<>();
    private final StringBuffer err = new StringBuffer();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch drained = new CountDownLatch(2);

    /**
     * How a child is started: the command line before the feed command's arguments, and the
     * {@code JAVA_OPTS} it is given (null: this process's environment, unchanged).
     */
    record Launcher(List<String> command, String javaOpts)
    {
        /**
         * This JVM again (its java, its JVM flags, its class path) running {@link FeedMain}: what the
         * launcher started this process with, in the source tree and in the distribution alike.
         */
        static Launcher thisJvm()
        {
            final List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(FeedMain.class.getName());
            return new Launcher(List.copyOf(command), null);
        }

        /**
         * A launcher script ({@code scripts/feed}, {@code bin/feed}), run by {@code wrapper} when it has
         * one: a command that ends by exec'ing it (such as {@code scripts/netlab exec LAB HOST}), so the
         * process, its PID and its signals are the feed's own.
         */
        static Launcher script(final Path script, final String javaOpts, final List<String> wrapper)
        {
            final List<String> command = new ArrayList<>(wrapper);
            command.add("bash");
            command.add(script.toString());
            return new Launcher(List.copyOf(command), javaOpts);
        }
    }

    private FeedProcess(final Process process, final String name)
    {
        this.process = process;
        this.name = name;
        pump(process.getInputStream(), true);
        pump(process.getErrorStream(), false);
    }

    /**
     * @param name a name to print every line under on this process's stdout and stderr, as
     *             {@code [name] line}; null to keep the output only.
     */
    static FeedProcess start(final Launcher launcher, final String name, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(launcher.command());
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command);
        if (launcher.javaOpts() != null)
        {
            builder.environment().put("JAVA_OPTS", launcher.javaOpts());
        }
        return new FeedProcess(builder.start(), name);
    }

    private void pump(final InputStream stream, final boolean stdout)
    {
        final Thread thread = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    if (stdout)
                    {
                        synchronized (out)
                        {
                            out.add(line);
                        }
                    }
                    else
                    {
                        err.append(line).append('\n');
                        if (line.contains(SubscribeCommand.READY) || line.contains(GatewayCommand.READY))
                        {
                            ready.countDown();
                        }
                    }
                    if (name != null)
                    {
                        final PrintStream to = stdout ? System.out : System.err;
                        to.println("[" + name + "] " + line);
                    }
                }
            }
            catch (final IOException ignored)
            {
                // the process went away; what it printed is what we have
            }
            finally
            {
                drained.countDown();
            }
        }, "feed-process-" + process.pid() + (stdout ? "-out" : "-err"));
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * True once a subscriber has logged {@link SubscribeCommand#READY} (a gateway {@link GatewayCommand#READY}),
     * false after {@code timeoutNanos}.
     */
    boolean readyWithin(final long timeoutNanos) throws InterruptedException
    {
        return ready.await(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
    }

    /** True once the process has exited and its output is read, false after {@code timeoutNanos}. */
    boolean exitedWithin(final long timeoutNanos) throws InterruptedException
    {
        return process.waitFor(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS) &&
            drained.await(DRAIN_SECONDS, TimeUnit.SECONDS);
    }

    /** @throws IllegalStateException with its stderr when it is not ready in time. */
    void awaitReady(final long timeoutSeconds) throws InterruptedException
    {
        if (!readyWithin(TimeUnit.SECONDS.toNanos(timeoutSeconds)))
        {
            throw new IllegalStateException("not ready in " + timeoutSeconds + "s; stderr:\n" + err);
        }
    }

    /**
     * @return its exit code.
     * @throws IllegalStateException with its stderr, after killing it, when it does not end in time.
     */
    int awaitExit(final long timeoutSeconds) throws InterruptedException
    {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException("did not finish in " + timeoutSeconds + "s; stderr:\n" + err);
        }
        drained.await(DRAIN_SECONDS, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** Wait until the process has logged {@code text} on stderr. */
    void awaitLog(final String text, final long timeoutSeconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!stderr().contains(text))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no '" + text + "' in " + timeoutSeconds + "s; stderr:\n" + err);
            }
            if (drained.getCount() == 0 && !stderr().contains(text))
            {
                throw new IllegalStateException("ended without logging '" + text + "'; stderr:\n" + err);
            }
            Thread.sleep(20);
        }
    }

    /** The name its output is printed under; null when it is not printed. */
    String name()
    {
        return name;
    }

    long pid()
    {
        return process.pid();
    }

    /** The process, to find its own children (the demo's parts). */
    ProcessHandle handle()
    {
        return process.toHandle();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    int exitCode()
    {
        return process.exitValue();
    }

    /** Send a signal (STOP, CONT, KILL, TERM, INT) to the process, by its PID. */
    void signal(final String name) throws IOException, InterruptedException
    {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
    }

    /** Ask it to end as SIGTERM does (summary first), even if it is stopped (SIGSTOP). */
    void stop()
    {
        if (process.isAlive())
        {
            // SIGTERM through the handle: Process.destroy() also closes this end of its pipes, and the
            // summary it then prints is lost (the demo once ended with none).
            process.toHandle().destroy();
            try
            {
                signal("CONT"); // a stopped process cannot act on SIGTERM
            }
            catch (final IOException ex)
            {
                // best effort: it may have gone already
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Kill it (SIGKILL) if it still runs, and remove the media driver directory a killed process leaves
     * behind (whoever killed it: a test's own {@code signal("KILL")} too). Synchronized, and the directory
     * is looked for even when the process had gone already: a forced exit (second signal) and the
     * command's own end may both close it, and the one that finds it dead must not return (and let the
     * JVM end) while the other is still removing the directory.
     */
    public synchronized void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
        try
        {
            if (process.waitFor(10, TimeUnit.SECONDS))
            {
                removeDriverDirectory();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Remove the directory of the media driver this process embedded: it deletes it itself when it
     * ends normally, not when it is killed. Call once the process is gone.
     */
    void removeDriverDirectory()
    {
        final File base = new File(CommonContext.getAeronDirectoryName());
        final String prefix = base.getName() + "-embedded-" + process.pid() + "-";
        final File[] dirs = base.getParentFile().listFiles((dir, name) -> name.startsWith(prefix));
        if (dirs != null)
        {
            for (final File dir : dirs)
            {
                StaleDriverDirectories.deleteTree(dir.toPath());
            }
        }
    }

    /** The last line on stdout: the summary. */
    String summary()
    {
        synchronized (out)
        {
            return out.isEmpty() ? "" : out.get(out.size() - 1);
        }
    }

    /**
     * The summary line, parsed.
     *
     * @throws IllegalArgumentException when the last line on stdout is not one JSON object.
     */
    SummaryJson summaryJson()
    {
        return SummaryJson.parse(summary());
    }

    /** Whether the last line on stdout is a summary line (one JSON object). */
    boolean hasSummary()
    {
        try
        {
            summaryJson();
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    /** A whole number of the summary, at any depth ({@link SummaryJson#find}); -1 when it has none. */
    long field(final String key)
    {
        return summaryJson().number(key, -1);
    }

    /** A string of the summary, at any depth; empty when it has none. */
    String text(final String key)
    {
        return summaryJson().text(key, "");
    }

    /** Every line it printed on stdout so far. */
    List<String> stdoutLines()
    {
        synchronized (out)
        {
            return new ArrayList<>(out);
        }
    }

    String stderr()
    {
        return err.toString();
    }

    /**
     * The last whole line on stderr that contains {@code text}, or null: a long-running process's latest
     * status line, found without copying all it has logged.
     */
    String lastStderrLine(final String text)
    {
        synchronized (err)
        {
            final int at = err.lastIndexOf(text);
            if (at < 0)
            {
                return null;
            }
            final int start = err.lastIndexOf("\n", at) + 1;
            final int end = err.indexOf("\n", at);
            return err.substring(start, end < 0 ? err.length() : end);
        }
    }
}
