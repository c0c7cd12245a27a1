package io.feedhandler.publisher;

import io.aeron.Publication;
import io.feedhandler.journal.InstrumentStore;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.transport.AeronConnection;
import io.feedhandler.transport.IdleStrategies;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running publisher: journal, live stream and the agent that drives them, on a thread of its own
 * named {@code feed-publisher}. {@link #launch} starts it; it ends by itself when the count,
 * duration or source runs out, or when {@link #stop()} is called.
 */
public final class Publisher implements AutoCloseable
{
    private final Journal journal;
    private final JournalWriter writer;
    private final AeronConnection connection;
    private final Publication publication;
    private final PublisherAgent agent;
    private final AgentRunner runner;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread thread;

    private Publisher(final PublisherContext context)
    {
        Journal journal = null;
        JournalWriter writer = null;
        AeronConnection connection = null;
        try
        {
            journal = Journal.open(context.journalDirectory());
            writer = journal.newWriter();
            InstrumentStore.write(context.journalDirectory(), context.source().instruments());
            connection = AeronConnection.connect(context.aeronDirectory());
            this.publication = connection.aeron().addExclusivePublication(context.channel(), context.streamId());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(connection, writer, journal);
            throw ex;
        }
        this.journal = journal;
        this.writer = writer;
        this.connection = connection;
        this.agent = new PublisherAgent(
            context, publication, writer, journal.lastSequence(), connection.aeron().countersReader(),
            new SystemNanoClock(), new SystemEpochNanoClock());
        this.runner = new AgentRunner(
            IdleStrategies.parse(context.idleStrategy()), this::onError, null, agent);
    }

    /**
     * Check the context, open the journal (continuing its sequence), connect to or embed the media
     * driver, and start publishing.
     *
     * @throws IllegalArgumentException for a bad configuration value.
     * @throws io.feedhandler.journal.JournalException when the journal cannot be used.
     */
    public static Publisher launch(final PublisherContext context)
    {
        context.conclude();
        final Publisher publisher = new Publisher(context);
        publisher.thread = AgentRunner.startOnThread(publisher.runner);
        return publisher;
    }

    public void stop()
    {
        agent.requestStop();
    }

    private void onError(final Throwable error)
    {
        if (!(error instanceof AgentTerminationException))
        {
            failure.compareAndSet(null, error);
        }
    }

    /** @return true when the publisher finished within the timeout. */
    public boolean awaitCompletion(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        thread.join(Math.max(1, unit.toMillis(timeout)));
        return !thread.isAlive();
    }

    /** The error that stopped the publisher, or null. */
    public Throwable failure()
    {
        return failure.get();
    }

    public PublisherAgent.State state()
    {
        return agent.state();
    }

    public PublisherStats stats()
    {
        return agent.stats();
    }

    public Journal journal()
    {
        return journal;
    }

    public void close()
    {
        CloseHelper.closeAll(runner, publication, connection, writer, journal);
    }
}
