package io.feedhandler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** How the tests start feed processes: {@code scripts/feed} of this source tree, as a user runs it. */
final class FeedScript
{
    static final Path REPO_ROOT = Path.of(System.getProperty("feed.repo.root", "..")).toAbsolutePath().normalize();
    static final Path SCRIPT = REPO_ROOT.resolve("scripts/feed");

    private FeedScript()
    {
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
        return FeedProcess.start(FeedProcess.Launcher.script(SCRIPT, javaOpts, launcher), null, args);
    }

    /** Run to the end and return it. */
    static FeedProcess run(final long timeoutSeconds, final String... args) throws Exception
    {
        final FeedProcess process = start(args);
        process.awaitExit(timeoutSeconds);
        return process;
    }
}
