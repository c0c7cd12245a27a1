package io.feedhandler.publisher;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalRetention;
import io.feedhandler.journal.JournalSpace;
import io.feedhandler.journal.JournalSalvage;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.replay.server.ReplayServer;
import io.feedhandler.transport.AeronConnection;
import io.feedhandler.transport.AgentThread;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
import io.feedhandler.transport.FeedProfile;
import io.feedhandler.transport.TransportContext;
import org.agrona.CloseHelper;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running publisher: journal, live stream and the agent that drives them, on a thread of its own
 * named {@code feed-publisher}. {@link #launch} starts it; it ends by itself when the count,
 * duration or source runs out, or when {@link #stop()} is called.
 */
public final class Publisher implements AutoCloseable
{
    private final Journal journal;
    private final JournalWriter writer;
    private final TransportContext transport;
    private final Publication publication;
    /** The B line ({@code --b-channel}); null without one. */
    private final Publication lineB;
    private final PublisherAgent agent;
    private final AgentThread agentThread;
    private final ReplayServer replayServer;
    private final ScheduledExecutorService housekeeping;
    private final ScheduledExecutorService spaceWatch;
    private final JournalSpaceWatch journalWatch;
    private final OtherPublisherWatch otherPublisherWatch;
    private final ScheduledExecutorService otherPublisherCheck;
    private final FeedCounters liveCounters;
    private final JournalSalvage.Outcome salvage;
    private final long startSequence;
    private final long journalFirstSequence;
    private final long epoch;

    private Publisher(final PublisherContext context)
    {
        final TransportContext transport = context.transport();
        Publication publication = null;
        Publication lineB = null;
        Subscription replayControl = null;
        JournalStartup.Prepared prepared = null;
        Journal journal = null;
        JournalWriter writer = null;
        InstrumentHistory history = null;
        try
        {
            // Every setting is accepted, the media driver's checks included, before anything is written:
            // a refused run leaves no journal directory, no journal.id, nothing to clean up.
            transport.conclude(TransportContext.Direction.PUBLISH);
            publication = transport.connection().aeron().addExclusivePublication(transport.channel(), transport.streamId());
            checkBatchFits(context, publication);
            if (transport.bChannel() != null)
            {
                lineB = transport.connection().aeron().addExclusivePublication(transport.bChannel(), transport.streamId());
                checkBatchFits(context, lineB);
            }
            if (context.replayServer() != null)
            {
                replayControl = transport.connection().aeron().addSubscription(
                    context.replayServer().replayChannel(), context.replayServer().replayStreamId());
            }
            prepared = JournalStartup.prepare(context);
            journal = Journal.open(context.journalDirectory(), context.rollCycle());
            writer = journal.newWriter(prepared.lock(), context.usableDiskSpace() != null ?
                new JournalSpace(context.usableDiskSpace(), context.minFreeDiskBytes()) :
                JournalSpace.of(context.journalDirectory(), context.minFreeDiskBytes()));
            // Write-ahead for reference data too: the definitions this run publishes under are on disk, from
            // the next sequence on, before its first tick.
            history = journal.instruments();
            history.record(context.source().instruments(), journal.lastIssuedSequence() + 1);
        }
        catch (final RuntimeException ex)
        {
            if (writer == null && prepared != null)
            {
                prepared.lock().close();
            }
            CloseHelper.quietCloseAll(writer, journal, replayControl, publication, lineB, transport);
            throw ex;
        }
        this.salvage = prepared.salvage();
        this.startSequence = journal.lastIssuedSequence() + 1;
        this.journalFirstSequence = journal.firstSequence();
        this.epoch = prepared.identity().epoch();
        this.journal = journal;
        this.writer = writer;
        this.transport = transport;
        this.publication = publication;
        this.lineB = lineB;
        final AeronConnection connection = transport.connection();
        final boolean compact = transport.profile() == FeedProfile.COMPACT;
        ReplayServer replayServer = null;
        try
        {
            if (context.replayServer() != null)
            {
                replayServer = compact ?
                    ReplayServer.withoutThread(context.replayServer(), connection.aeron(), journal, replayControl) :
                    ReplayServer.launch(context.replayServer(), connection.aeron(), journal, replayControl);
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(replayControl, publication, lineB, transport, writer, journal);
            throw ex;
        }
        this.replayServer = replayServer;
        this.agent = new PublisherAgent(
            context, publication, lineB, writer, journal.lastIssuedSequence(), prepared.identity().epoch(),
            history.at(Long.MAX_VALUE), connection.aeron().countersReader(),
            transport.nanoClock(), transport.epochClock(),
            replayServer == null ? () -> 0 : replayServer::sessionCount);
        this.liveCounters = FeedCounters.allocate(connection.aeron(), FeedCounter.Role.PUBLISHER,
            "stream-" + transport.streamId());
        agent.liveCounters(liveCounters);
        // Compact: one thread runs the publisher, the replay server, the client conductor and the driver.
        this.agentThread = compact ?
            AgentThread.shared(transport.idleStrategy(), transport.cpu(), agent,
                replayServer == null ? null : replayServer.agent(), connection.invokerAgent()) :
            new AgentThread(agent, transport.idleStrategy(), transport.cpu());
        this.housekeeping = context.retainCycles() > 0 ?
            JournalRetention.start(journal, context.retainCycles(), context.retentionCheckIntervalNanos()) : null;
        this.journalWatch = new JournalSpaceWatch(agent.journalGate());
        this.spaceWatch = daemonExecutor("feed-journal-space");
        spaceWatch.scheduleWithFixedDelay(journalWatch, context.diskCheckIntervalNanos(),
            context.diskCheckIntervalNanos(), TimeUnit.NANOSECONDS);
        final long checkInterval = context.otherPublisherCheckIntervalNanos();
        this.otherPublisherWatch = checkInterval > 0 ? OtherPublisherWatch.of(transport.channel(), transport.streamId(),
            publication.sessionId(), epoch, liveCounters) : null;
        this.otherPublisherCheck = otherPublisherWatch != null ? daemonExecutor("feed-other-publisher-check") : null;
        if (otherPublisherCheck != null)
        {
            otherPublisherCheck.scheduleWithFixedDelay(otherPublisherWatch, 0, checkInterval, TimeUnit.NANOSECONDS);
        }
    }

    private static void checkBatchFits(final PublisherContext context, final Publication publication)
    {
        if (QuoteBatchWriter.length(context.maxBatchTicks()) > publication.maxMessageLength())
        {
            throw new IllegalArgumentException("bad --max-batch-ticks " + context.maxBatchTicks() + ": a batch of " +
                QuoteBatchWriter.length(context.maxBatchTicks()) + " bytes is longer than the largest message of " +
                publication.channel() + " (" + publication.maxMessageLength() + " bytes: an eighth of its term length)");
        }
    }

    private static ScheduledExecutorService daemonExecutor(final String name)
    {
        return Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Check the context, check the journal (its stream, and damage: see {@link JournalStartup}), open
     * it (continuing its sequence), connect to or embed the media driver, and start publishing.
     *
     * @throws IllegalArgumentException for a bad configuration value.
     * @throws io.feedhandler.journal.JournalDamagedException when the journal is damaged and the policy
     *         is to refuse.
     * @throws io.feedhandler.journal.JournalException when the journal cannot be used.
     */
    public static Publisher launch(final PublisherContext context)
    {
        context.conclude();
        final Publisher publisher = new Publisher(context);
        publisher.agentThread.start();
        return publisher;
    }

    public void stop()
    {
        agent.requestStop();
    }

    /** @return true when the publisher finished within the timeout. */
    public boolean awaitCompletion(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return agentThread.awaitCompletion(timeout, unit);
    }

    /** The error that stopped the publisher, or null. */
    public Throwable failure()
    {
        return agentThread.failure();
    }

    public PublisherAgent.State state()
    {
        return agent.state();
    }

    /** The counters as one line while running, with the replay server's. */
    public String progress()
    {
        return agent.progress() + (replayServer == null ? "" : " replaySessions=" +
            replayServer.counters().sessionsStarted() + " replayErrors=" + replayServer.counters().errors());
    }

    public PublisherStats stats()
    {
        return agent.stats();
    }

    public Journal journal()
    {
        return journal;
    }

    /** The sequence this run's first tick gets: read at launch, before any tick. */
    public long startSequence()
    {
        return startSequence;
    }

    /** The journal's first sequence when this run started; 0 when it held none (a new journal). */
    public long journalFirstSequence()
    {
        return journalFirstSequence;
    }

    /** The stream's epoch: its journal's identity, carried by every batch and heartbeat. */
    public long epoch()
    {
        return epoch;
    }

    /** Other publishers heard on this channel and stream so far (0 when the check is off). */
    public long otherPublishers()
    {
        return otherPublisherWatch == null ? 0 : otherPublisherWatch.otherPublishers();
    }

    /** What was done at start with a damaged journal ({@link DamagedJournalPolicy#ARCHIVE}), or null. */
    public JournalSalvage.Outcome salvage()
    {
        return salvage;
    }

    /** The embedded replay server, or null when it is switched off. */
    public ReplayServer replayServer()
    {
        return replayServer;
    }

    public void close()
    {
        if (housekeeping != null)
        {
            housekeeping.shutdownNow();
        }
        spaceWatch.shutdownNow();
        if (otherPublisherCheck != null)
        {
            otherPublisherCheck.shutdownNow(); // a sample under way sees the interrupt within one receive (50 ms)
        }
        try
        {
            spaceWatch.awaitTermination(5, TimeUnit.SECONDS);
            if (otherPublisherCheck != null)
            {
                otherPublisherCheck.awaitTermination(5, TimeUnit.SECONDS); // before its counter is closed
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        journalWatch.report(); // whatever changed since the last check
        CloseHelper.closeAll(agentThread, replayServer, liveCounters, publication, lineB, transport, writer, journal);
    }
}
