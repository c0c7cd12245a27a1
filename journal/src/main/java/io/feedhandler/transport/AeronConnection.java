package io.feedhandler.transport;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.File;
import java.util.UUID;

/**
 * An Aeron client plus, unless an external driver was named, the media driver it talks to,
 * embedded in this process (so one command runs everything). Closing it closes both.
 */
public final class AeronConnection implements AutoCloseable
{
    private final MediaDriver embeddedDriver;
    private final Aeron aeron;

    private AeronConnection(final MediaDriver embeddedDriver, final Aeron aeron)
    {
        this.embeddedDriver = embeddedDriver;
        this.aeron = aeron;
    }

    /**
     * @param aeronDirectory an external driver's directory, or null to embed a driver in this process.
     */
    public static AeronConnection connect(final String aeronDirectory)
    {
        if (aeronDirectory != null)
        {
            final File cnc = new File(aeronDirectory, "cnc.dat");
            if (!cnc.exists())
            {
                throw new IllegalArgumentException("bad --aeron-dir '" + aeronDirectory +
                    "': no media driver there (no cnc.dat); start one with 'feed driver --aeron-dir " + aeronDirectory + "'");
            }
            return new AeronConnection(null, Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirectory)));
        }

        final MediaDriver driver = MediaDriver.launch(embeddedDriverContext());
        try
        {
            return new AeronConnection(
                driver, Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    /**
     * An embedded driver of its own in a fresh directory, deleted on close. Shared threading by
     * default: one driver thread, which backs off when idle, so several processes fit on few cores.
     * Any {@code aeron.*} system property still overrides this.
     */
    static MediaDriver.Context embeddedDriverContext()
    {
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(uniqueAeronDirectory())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        if (System.getProperty("aeron.threading.mode") == null)
        {
            context.threadingMode(ThreadingMode.SHARED);
        }
        if (System.getProperty("aeron.shared.idle.strategy") == null)
        {
            context.sharedIdleStrategy(new BackoffIdleStrategy());
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

    public void close()
    {
        CloseHelper.closeAll(aeron, embeddedDriver);
    }

    /** A directory of its own per embedded driver, so processes on one host never share one by accident. */
    private static String uniqueAeronDirectory()
    {
        return CommonContext.getAeronDirectoryName() + "-embedded-" + ProcessHandle.current().pid() + "-" +
            UUID.randomUUID().toString().substring(0, 8);
    }
}
