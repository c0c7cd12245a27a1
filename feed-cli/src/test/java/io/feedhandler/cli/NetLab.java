package io.feedhandler.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A lab of hosts made by {@code scripts/netlab}: network namespaces h1..hN on a bridge in a namespace
 * of their own, host i at 10.77.0.i; with two lines, each host also on a second bridge at 10.78.0.i
 * (its B path). Feed processes run on a host through {@code netlab exec}; faults are made at the
 * host's switch port on either line. Removed on close, and by a shutdown hook if the JVM ends first
 * (and, failing both, by the next lab made on the machine, which removes labs whose owner is gone).
 */
final class NetLab implements AutoCloseable
{
    static final Path SCRIPT = FeedScript.REPO_ROOT.resolve("scripts/netlab");

    /** A host's path to the others: A (eth0, bridge br0, 10.77.0.i) or B (eth1, bridge br1, 10.78.0.i). */
    enum Line
    {
        A("10.77.0.", ""),
        B("10.78.0.", "b");

        private final String subnet;
        private final String portSuffix;

        Line(final String subnet, final String portSuffix)
        {
            this.subnet = subnet;
            this.portSuffix = portSuffix;
        }

        /** The switch port of {@code host} on this line, as {@code scripts/netlab} names it: h3, h3b. */
        String port(final int host)
        {
            return "h" + host + portSuffix;
        }
    }

    private final String name;
    private final Thread cleanup;

    private NetLab(final String name)
    {
        this.name = name;
        this.cleanup = new Thread(this::down, "netlab-down-" + name);
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Why no lab can be made here (not root, no {@code ip netns}), or null when one can. */
    static String unavailable()
    {
        try
        {
            final Result check = script(60, "check");
            return check.exitCode == 0 ? null : check.err.isBlank() ? "netlab check failed" : check.err.strip();
        }
        catch (final IOException ex)
        {
            return "netlab: cannot run " + SCRIPT + ": " + ex.getMessage();
        }
    }

    static NetLab up(final int hosts) throws IOException
    {
        return up(hosts, 1);
    }

    /** A lab of {@code hosts} hosts on {@code lines} paths (1: A only; 2: A and B). */
    static NetLab up(final int hosts, final int lines) throws IOException
    {
        final Result up = script(120, "up", Integer.toString(hosts), "--lines", Integer.toString(lines),
            "--owner", Long.toString(ProcessHandle.current().pid()));
        if (up.exitCode != 0)
        {
            throw new IllegalStateException("netlab up failed: " + up.err);
        }
        final String[] out = up.out.strip().split("\n");
        return new NetLab(out[out.length - 1].strip());
    }

    String name()
    {
        return name;
    }

    /** The address of host {@code host} (1-based) on line A. */
    static String ip(final int host)
    {
        return ip(host, Line.A);
    }

    /** The address of host {@code host} (1-based) on {@code line}. */
    static String ip(final int host, final Line line)
    {
        return line.subnet + host;
    }

    /** Run {@code scripts/feed ARGS} on a host. */
    FeedProcess feed(final int host, final String javaOpts, final String... args) throws IOException
    {
        return FeedScript.startVia(List.of("bash", SCRIPT.toString(), "exec", name, "h" + host), javaOpts, args);
    }

    /** Shape what the switch sends to a host on line A to {@code rate} (tc tbf), e.g. "16mbit"; "off" removes it. */
    void throttle(final int host, final String rate) throws IOException
    {
        throttle(host, Line.A, rate);
    }

    /** Shape what the switch sends to a host on {@code line} to {@code rate}; "off" removes it. */
    void throttle(final int host, final Line line, final String rate) throws IOException
    {
        check(script(60, "throttle", name, line.port(host), rate));
    }

    /** Take a host's switch port on line A down (the host is cut off there) or up. */
    void link(final int host, final boolean up) throws IOException
    {
        link(host, Line.A, up);
    }

    /** Take a host's switch port on {@code line} down or up. */
    void link(final int host, final Line line, final boolean up) throws IOException
    {
        check(script(60, "link", name, line.port(host), up ? "up" : "down"));
    }

    /** Have the switch stop (true) or resume (false) forwarding for a host on line A; its own link stays up. */
    void partition(final int host, final boolean cutOff) throws IOException
    {
        partition(host, Line.A, cutOff);
    }

    /** Have the switch stop (true) or resume (false) forwarding for a host's port on {@code line}. */
    void partition(final int host, final Line line, final boolean cutOff) throws IOException
    {
        check(script(60, "partition", name, line.port(host), cutOff ? "on" : "off"));
    }

    /** Take every port of a host down (true: the host is cut off on all its paths) or up again. */
    void isolate(final int host, final boolean cutOff) throws IOException
    {
        check(script(60, "isolate", name, "h" + host, cutOff ? "on" : "off"));
    }

    public void close()
    {
        down();
        try
        {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        catch (final IllegalStateException ignored)
        {
            // already shutting down: the hook is running this
        }
    }

    private void down()
    {
        try
        {
            script(120, "down", name);
        }
        catch (final IOException ex)
        {
            System.err.println("netlab down " + name + " failed: " + ex.getMessage());
        }
    }

    private static void check(final Result result)
    {
        if (result.exitCode != 0)
        {
            throw new IllegalStateException("netlab failed (" + result.exitCode + "): " + result.err);
        }
    }

    private static Result script(final long timeoutSeconds, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).start();
        try
        {
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException("netlab " + String.join(" ", args) + " did not finish in " + timeoutSeconds + "s");
            }
            return new Result(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", ex);
        }
    }

    private record Result(int exitCode, String out, String err)
    {
    }
}
