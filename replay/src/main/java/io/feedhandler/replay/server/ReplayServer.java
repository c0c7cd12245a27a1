package io.feedhandler.replay.server;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.feedhandler.journal.Journal;
import io.feedhandler.transport.AeronConnection;
import io.feedhandler.transport.AgentThread;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemNanoClock;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A running replay server on a thread of its own ({@code feed-replay-server}). Embedded in the
 * publisher it shares the publisher's Aeron client and journal; standalone
 * ({@link #launchStandalone}) it opens the journal read-only, so it can serve a journal that a
 * publisher in another process on the same host is still writing.
 */
public final class ReplayServer implements AutoCloseable
{
    private final ReplayServerAgent agent;
    private final AgentThread agentThread;
    private final AutoCloseable[] owned;
    private final FeedCounters liveCounters;

    private ReplayServer(final ReplayServerContext context, final Aeron aeron, final Journal journal,
        final AutoCloseable... owned)
    {
        this(context, aeron, journal, true, owned);
    }

    private ReplayServer(final ReplayServerContext context, final Aeron aeron, final Journal journal,
        final boolean ownThread, final AutoCloseable... owned)
    {
        this(context, aeron, journal, null, ownThread, owned);
    }

    private ReplayServer(final ReplayServerContext context, final Aeron aeron, final Journal journal,
        final Subscription control, final boolean ownThread, final AutoCloseable... owned)
    {
        this.liveCounters = FeedCounters.allocate(aeron, FeedCounter.Role.REPLAY_SERVER,
            "stream-" + context.replayStreamId());
        this.agent = new ReplayServerAgent(context, aeron, journal, new SystemNanoClock())
            .liveCounters(liveCounters).control(control);
        this.agentThread = ownThread ? new AgentThread(agent, context.idleStrategy(), context.cpu()) : null;
        this.owned = owned;
    }

    /** Serve {@code journal} through {@code aeron}, both owned by the caller, on a thread of its own. */
    public static ReplayServer launch(final ReplayServerContext context, final Aeron aeron, final Journal journal)
    {
        return launch(context, aeron, journal, null);
    }

    /**
     * As {@link #launch(ReplayServerContext, Aeron, Journal)}, taking requests on {@code control}, a
     * subscription to the context's replay channel and stream the caller added (null: add it), which
     * the server then owns.
     */
    public static ReplayServer launch(
        final ReplayServerContext context, final Aeron aeron, final Journal journal, final Subscription control)
    {
        context.conclude();
        final ReplayServer server = new ReplayServer(context, aeron, journal, control, true);
        server.agentThread.start();
        return server;
    }

    /**
     * A server whose {@link #agent()} the caller runs on a thread of its own choosing, composed with
     * other agents (the compact profile).
     */
    public static ReplayServer withoutThread(final ReplayServerContext context, final Aeron aeron, final Journal journal)
    {
        return withoutThread(context, aeron, journal, null);
    }

    /** As {@link #withoutThread(ReplayServerContext, Aeron, Journal)}, on a control subscription the caller added. */
    public static ReplayServer withoutThread(
        final ReplayServerContext context, final Aeron aeron, final Journal journal, final Subscription control)
    {
        context.conclude();
        return new ReplayServer(context, aeron, journal, control, false);
    }

    /** The server's duty cycle, for a caller that runs it (see {@link #withoutThread}). */
    public ReplayServerAgent agent()
    {
        return agent;
    }

    /** Open the journal read-only and connect to (or embed) a media driver, then serve. */
    public static ReplayServer launchStandalone(
        final ReplayServerContext context, final Path journalDirectory, final String aeronDirectory)
    {
        context.conclude();
        final Journal journal = Journal.openReadOnly(journalDirectory);
        AeronConnection connection = null;
        try
        {
            connection = AeronConnection.connect(aeronDirectory);
            final ReplayServer server = new ReplayServer(context, connection.aeron(), journal, connection, journal);
            server.agentThread.start();
            return server;
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(connection, journal);
            throw ex;
        }
    }

    public boolean awaitCompletion(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return agentThread == null || agentThread.awaitCompletion(timeout, unit);
    }

    public Throwable failure()
    {
        return agentThread == null ? null : agentThread.failure();
    }

    public int sessionCount()
    {
        return agent.sessionCount();
    }

    public ReplayServerCounters counters()
    {
        return agent.counters();
    }

    public void close()
    {
        CloseHelper.close(agentThread);
        CloseHelper.quietClose(liveCounters);
        CloseHelper.closeAll(owned);
    }
}
