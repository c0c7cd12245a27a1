package io.feedhandler.transport;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;

import java.io.File;
import java.util.UUID;

/**
 * An Aeron client plus, unless an external driver was named, the media driver it talks to,
 * embedded in this process (so one command runs everything), set up for a {@link FeedProfile}.
 * In the compact profile the driver and the client conductor have no threads: their duty cycles run
 * inside the application's, through {@link #invokerAgent()}. Closing it closes both.
 */
public final class AeronConnection implements AutoCloseable
{
    private final MediaDriver embeddedDriver;
    private final Aeron aeron;
    private final Agent invokerAgent;

    private AeronConnection(final MediaDriver embeddedDriver, final Aeron aeron, final Agent invokerAgent)
    {
        this.embeddedDriver = embeddedDriver;
        this.aeron = aeron;
        this.invokerAgent = invokerAgent;
    }

    /**
     * @param aeronDirectory an external driver's directory, or null to embed a driver in this process.
     */
    public static AeronConnection connect(final String aeronDirectory)
    {
        return connect(aeronDirectory, FeedProfile.DEFAULT);
    }

    public static AeronConnection connect(final String aeronDirectory, final FeedProfile profile)
    {
        if (aeronDirectory != null)
        {
            final File cnc = new File(aeronDirectory, "cnc.dat");
            if (!cnc.exists())
            {
                throw new IllegalArgumentException("bad --aeron-dir '" + aeronDirectory +
                    "': no media driver there (no cnc.dat); start one with 'feed driver --aeron-dir " + aeronDirectory + "'");
            }
            final Aeron.Context context = new Aeron.Context().aeronDirectoryName(aeronDirectory);
            if (profile == FeedProfile.COMPACT)
            {
                context.useConductorAgentInvoker(true);
            }
            final Aeron aeron = Aeron.connect(context);
            return new AeronConnection(null, aeron, profile == FeedProfile.COMPACT ?
                new InvokerAgent(aeron.conductorAgentInvoker(), null) : null);
        }

        final MediaDriver.Context driverContext = embeddedDriverContext(profile);
        // Registered before the driver creates it: whatever way this process ends, the directory goes too.
        ExitCleanup.register(new File(driverContext.aeronDirectoryName()));
        final MediaDriver driver;
        try
        {
            driver = MediaDriver.launch(driverContext);
        }
        catch (final RuntimeException ex)
        {
            ExitCleanup.remove(new File(driverContext.aeronDirectoryName()));
            throw ex;
        }
        try
        {
            final Aeron.Context context = new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName());
            if (profile == FeedProfile.COMPACT)
            {
                context.useConductorAgentInvoker(true).driverAgentInvoker(driver.sharedAgentInvoker());
            }
            final Aeron aeron = Aeron.connect(context);
            return new AeronConnection(driver, aeron, profile == FeedProfile.COMPACT ?
                new InvokerAgent(aeron.conductorAgentInvoker(), driver.sharedAgentInvoker()) : null);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            ExitCleanup.remove(new File(driverContext.aeronDirectoryName()));
            throw ex;
        }
    }

    /**
     * An embedded driver of its own in a fresh directory, deleted on close. Any {@code aeron.*}
     * system property still overrides what the profile sets.
     */
    static MediaDriver.Context embeddedDriverContext(final FeedProfile profile)
    {
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(uniqueAeronDirectory())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        if (System.getProperty("aeron.threading.mode") == null)
        {
            switch (profile)
            {
                case LOW_LATENCY:
                    context.threadingMode(ThreadingMode.DEDICATED)
                        .senderIdleStrategy(new BusySpinIdleStrategy())
                        .receiverIdleStrategy(new BusySpinIdleStrategy())
                        .conductorIdleStrategy(new BackoffIdleStrategy());
                    break;
                case COMPACT:
                    context.threadingMode(ThreadingMode.INVOKER);
                    break;
                default:
                    context.threadingMode(ThreadingMode.SHARED);
                    if (System.getProperty("aeron.shared.idle.strategy") == null)
                    {
                        context.sharedIdleStrategy(new BackoffIdleStrategy());
                    }
            }
        }
        return context;
    }

    public Aeron aeron()
    {
        return aeron;
    }

    public boolean isDriverEmbedded()
    {
        return embeddedDriver != null;
    }

    /**
     * In the compact profile, the agent that runs the client conductor's and the embedded driver's
     * duty cycles: compose it with the application's agent. Null in the other profiles.
     */
    public Agent invokerAgent()
    {
        return invokerAgent;
    }

    public void close()
    {
        try
        {
            CloseHelper.closeAll(aeron, embeddedDriver);
        }
        finally
        {
            if (embeddedDriver != null)
            {
                ExitCleanup.remove(new File(embeddedDriver.aeronDirectoryName())); // the driver deleted it, unless it failed to
            }
        }
    }

    /** A directory of its own per embedded driver, so processes on one host never share one by accident. */
    private static String uniqueAeronDirectory()
    {
        return CommonContext.getAeronDirectoryName() + "-embedded-" + ProcessHandle.current().pid() + "-" +
            UUID.randomUUID().toString().substring(0, 8);
    }

    /** Runs the invokers' duty cycles as part of another agent's. Closing is left to their owners. */
    private static final class InvokerAgent implements Agent
    {
        private final AgentInvoker client;
        private final AgentInvoker driver;

        InvokerAgent(final AgentInvoker client, final AgentInvoker driver)
        {
            this.client = client;
            this.driver = driver;
        }

        public int doWork()
        {
            return client.invoke() + (driver != null ? driver.invoke() : 0);
        }

        public String roleName()
        {
            return "aeron-invokers";
        }
    }
}
