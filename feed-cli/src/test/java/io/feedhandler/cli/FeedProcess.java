package io.feedhandler.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A {@code scripts/feed} process started by a test, its output captured, always bounded in time. */
final class FeedProcess implements AutoCloseable
{
    static final Path REPO_ROOT = Path.of(System.getProperty("feed.repo.root", "..")).toAbsolutePath().normalize();

    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final StringBuffer err = new StringBuffer();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch drained = new CountDownLatch(2);

    private FeedProcess(final Process process)
    {
        this.process = process;
        pump(process.getInputStream(), true);
        pump(process.getErrorStream(), false);
    }

    static FeedProcess start(final String... args) throws IOException
    {
        return startWithJavaOpts("", args);
    }

    /** Start with extra JVM options, e.g. Aeron's debug loss settings for the embedded driver. */
    static FeedProcess startWithJavaOpts(final String javaOpts, final String... args) throws IOException
    {
        return startVia(List.of(), "-Xmx512m " + javaOpts, args);
    }

    /**
     * Start {@code scripts/feed} through a launcher that ends by exec'ing it (such as
     * {@code scripts/netlab exec LAB HOST}), so the process, its pid and its signals are the feed's own.
     *
     * @param javaOpts the whole of {@code JAVA_OPTS}.
     */
    static FeedProcess startVia(final List<String> launcher, final String javaOpts, final String... args)
        throws IOException
    {
        final List<String> command = new ArrayList<>(launcher);
        command.add("bash");
        command.add(REPO_ROOT.resolve("scripts/feed").toString());
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_OPTS", javaOpts);
        return new FeedProcess(builder.start());
    }

    /** Run to the end and return it. */
    static FeedProcess run(final long timeoutSeconds, final String... args) throws Exception
    {
        final FeedProcess process = start(args);
        process.awaitExit(timeoutSeconds);
        return process;
    }

    private void pump(final java.io.InputStream stream, final boolean stdout)
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
                        if (line.contains(SubscribeCommand.READY))
                        {
                            ready.countDown();
                        }
                    }
                }
            }
            catch (final IOException ignored)
            {
                // process gone
            }
            finally
            {
                drained.countDown();
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    void awaitReady(final long timeoutSeconds) throws InterruptedException
    {
        if (!ready.await(timeoutSeconds, TimeUnit.SECONDS))
        {
            throw new AssertionError("not ready in " + timeoutSeconds + "s; stderr:\n" + err);
        }
    }

    int awaitExit(final long timeoutSeconds) throws InterruptedException
    {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("did not finish in " + timeoutSeconds + "s; stderr:\n" + err);
        }
        drained.await(10, TimeUnit.SECONDS);
        return process.exitValue();
    }

    long pid()
    {
        return process.pid();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /** Wait until the process has logged {@code text} on stderr. */
    void awaitLog(final String text, final long timeoutSeconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!stderr().contains(text))
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("no '" + text + "' in " + timeoutSeconds + "s; stderr:\n" + err);
            }
            if (drained.getCount() == 0 && !stderr().contains(text))
            {
                throw new AssertionError("ended without logging '" + text + "'; stderr:\n" + err);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Remove the directory of the media driver this process embedded: it deletes it itself when it
     * ends normally, not when it is killed. Call once the process is gone.
     */
    void removeDriverDirectory()
    {
        final File base = new File(io.aeron.CommonContext.getAeronDirectoryName());
        final String prefix = base.getName() + "-embedded-" + process.pid() + "-";
        final File[] dirs = base.getParentFile().listFiles((dir, name) -> name.startsWith(prefix));
        if (dirs != null)
        {
            for (final File dir : dirs)
            {
                org.agrona.IoUtil.delete(dir, true);
            }
        }
    }

    int exitCode()
    {
        return process.exitValue();
    }

    /** The last line on stdout: the summary. */
    String summary()
    {
        synchronized (out)
        {
            return out.isEmpty() ? "" : out.get(out.size() - 1);
        }
    }

    String stderr()
    {
        return err.toString();
    }

    long field(final String key)
    {
        return DemoCommand.field(summary(), key);
    }

    /** Send a signal (STOP, CONT, KILL, TERM) to the process. */
    void signal(final String name) throws Exception
    {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
    }

    /** Every line it printed on stdout so far. */
    List<String> stdoutLines()
    {
        synchronized (out)
        {
            return new ArrayList<>(out);
        }
    }

    String text(final String key)
    {
        return DemoCommand.text(summary(), key);
    }

    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
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
    }
}
