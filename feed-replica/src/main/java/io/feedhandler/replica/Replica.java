package io.feedhandler.replica;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalException;
import io.feedhandler.journal.JournalIdentity;
import io.feedhandler.journal.JournalRetention;
import io.feedhandler.journal.JournalSpace;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.journal.ReplicaState;
import io.feedhandler.replay.server.ReplayServer;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.NetworkRecovery;
import io.feedhandler.subscriber.SubscriberAgent;
import io.feedhandler.subscriber.SubscriberContext;
import io.feedhandler.transport.AgentThread;
import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounters;
import io.feedhandler.transport.TransportContext;
import org.agrona.CloseHelper;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running replica: a durable subscriber of the stream whose listener is its own journal
 * ({@link ReplicaJournal}), and a replay server on that journal, so it serves what the publisher's
 * server serves, with the same protocol, bounds and error codes. It starts after its journal's last
 * sequence (1 for a new journal), pulls what it lacks from its upstream (the publisher's server or
 * another replica's), then follows live. The server starts once the journal knows the stream's epoch:
 * at once for a journal that has one, else when the upstream is first heard, so no requester is ever
 * answered with an epoch of 0. Ends on {@link #stop()}, or when its journal fails.
 */
public final class Replica implements AutoCloseable
{
    /** How often a new replica looks whether its journal has the upstream's epoch yet, to start serving. */
    private static final long SERVER_START_CHECK_MILLIS = 20;

    private final ReplicaContext context;
    private final TransportContext transport;
    private final Journal journal;
    private final JournalWriter writer;
    private final ReplicaState state;
    private final ReplicaJournal replicaJournal;
    private final SubscriberAgent subscriber;
    private final ReplicaAgent agent;
    private final FeedCounters subscriberCounters;
    private final FeedCounters replicaCounters;
    private final AgentThread agentThread;
    private final ScheduledExecutorService housekeeping;
    private final long startSequence;
    private final long journalFirstSequence;
    private Subscription serveControl;
    private ReplayServer server;
    private ScheduledExecutorService retention;

    private Replica(final ReplicaContext context, final FeedStatusListener statusListener)
    {
        this.context = context;
        final SubscriberContext followed = context.subscriber();
        final TransportContext transport = followed.transport();
        Subscription serveControl = null;
        ReplicaJournalStartup.Prepared prepared = null;
        Journal journal = null;
        JournalWriter writer = null;
        ReplicaState state = null;
        FeedCounters subscriberCounters = null;
        FeedCounters replicaCounters = null;
        SubscriberAgent subscriber = null;
        ReplicaJournal replicaJournal = null;
        long last = 0;
        try
        {
            // Another stream's journal is refused before the media driver starts; then every setting is
            // accepted, the driver's included (the serve port free), before the journal is written.
            ReplicaJournalStartup.checkBelongs(context);
            transport.conclude(TransportContext.Direction.SUBSCRIBE);
            final Aeron aeron = transport.connection().aeron();
            serveControl = aeron.addSubscription(context.server().replayChannel(), context.server().replayStreamId());
            prepared = ReplicaJournalStartup.prepare(context);
            journal = Journal.open(context.journalDirectory(), context.rollCycle());
            writer = journal.newWriter(prepared.lock(), JournalSpace.of(context.journalDirectory(), context.minFreeDiskBytes()));
            state = ReplicaState.open(context.journalDirectory());
            final JournalIdentity identity = prepared.identity();
            last = journal.lastIssuedSequence();
            followed
                .fromSequence(last + 1)
                .expectedEpoch(identity != null ? identity.epoch() : 0)
                .startAtFirstRetained(last == 0); // a new replica copies what its upstream still holds
            replicaJournal = new ReplicaJournal(context.journalDirectory(), writer, journal.instruments(),
                identity, transport.channel(), transport.streamId(), followed.replayChannel(), last,
                context.maxBatchTicks(), statusListener);
            subscriber = new SubscriberAgent(followed, aeron, handler -> new NetworkRecovery(aeron, followed, handler),
                null, replicaJournal, replicaJournal, transport.nanoClock(), transport.epochClock());
            subscriberCounters = FeedCounters.allocate(aeron, FeedCounter.Role.SUBSCRIBER, "replica");
            subscriber.liveCounters(subscriberCounters);
            replicaCounters = FeedCounters.allocate(aeron, FeedCounter.Role.REPLICA,
                context.journalDirectory().getFileName().toString());
        }
        catch (final RuntimeException ex)
        {
            if (writer == null && prepared != null)
            {
                prepared.lock().close();
            }
            CloseHelper.quietCloseAll(replicaCounters, subscriberCounters, subscriber == null ? null : subscriber::onClose,
                state, writer, journal, serveControl, transport);
            throw ex;
        }
        this.transport = transport;
        this.replicaJournal = replicaJournal;
        this.startSequence = last + 1;
        this.journalFirstSequence = journal.firstSequence();
        this.journal = journal;
        this.writer = writer;
        this.state = state;
        this.subscriber = subscriber;
        this.subscriberCounters = subscriberCounters;
        this.replicaCounters = replicaCounters;
        this.serveControl = serveControl;
        this.agent = new ReplicaAgent(subscriber, replicaJournal, state, replicaCounters, transport.nanoClock(),
            transport.epochClock(), context.stateIntervalNanos());
        // Compact: the client conductor and the driver run in the replica's duty cycle too. The server has a thread
        // of its own, since it may start later.
        this.agentThread = AgentThread.shared(transport.idleStrategy(), transport.cpu(), agent,
            transport.connection().invokerAgent());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "feed-replica-server-start");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Check the context, check the journal (a replica's journal of this stream, undamaged), connect to
     * (or embed) the media driver, and start following; the server starts as soon as the journal has
     * the stream's epoch.
     *
     * @param statusListener hears every state change of the feed (the log), after the journal has.
     * @throws IllegalArgumentException for a bad configuration value.
     * @throws JournalException         when the journal is another stream's, not a replica's, or damaged.
     */
    public static Replica launch(final ReplicaContext context, final FeedStatusListener statusListener)
    {
        context.conclude();
        final Replica replica = new Replica(context, statusListener);
        replica.agentThread.start();
        replica.housekeeping.scheduleWithFixedDelay(replica::startServerWhenReady, 0, SERVER_START_CHECK_MILLIS,
            TimeUnit.MILLISECONDS);
        if (context.retainCycles() > 0)
        {
            replica.retention = JournalRetention.start(replica.journal, context.retainCycles(),
                context.retentionCheckIntervalNanos());
        }
        return replica;
    }

    /** Start the server once the journal names its epoch: an early request finds no server, never epoch 0. */
    private synchronized void startServerWhenReady()
    {
        if (server != null || serveControl == null || journal.epoch() == 0)
        {
            return;
        }
        server = ReplayServer.launch(context.server(), transport.connection().aeron(), journal, serveControl);
        serveControl = null; // the server owns it now
        housekeeping.shutdown();
    }

    /** Whether the replay server runs: the journal has the stream's epoch. */
    public synchronized boolean serving()
    {
        return server != null;
    }

    public void stop()
    {
        subscriber.requestStop();
    }

    /** @return true when the replica finished within the timeout. */
    public boolean awaitCompletion(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return agentThread.awaitCompletion(timeout, unit);
    }

    /** The error that stopped the replica's thread, or null. */
    public Throwable failure()
    {
        return agentThread.failure();
    }

    /** Why the replica stopped journaling (its journal failed, or its upstream no longer holds what it needs); null when it did not. */
    public String journalFailure()
    {
        return replicaJournal.failure() != null ? replicaJournal.failure() : subscriber.failure() != null ?
            "replica fell behind its upstream's retention: " + subscriber.failure() + "; move " +
            context.journalDirectory() + " aside and start the replica again" : null;
    }

    /** Why the run was refused (the upstream's stream is of another epoch than the journal's), as one line; null when it was not. */
    public String refusal()
    {
        if (subscriber.refusal() == null)
        {
            return null;
        }
        return "refused: journal " + context.journalDirectory().toAbsolutePath() + " holds the stream of epoch " +
            String.format("%016x", subscriber.followedEpoch()) + ", but its upstream sends the stream of epoch " +
            String.format("%016x", subscriber.refusedEpoch()) + " (the publisher's journal was replaced?): nothing " +
            "was replicated; move " + context.journalDirectory() + " aside to replicate the new stream";
    }

    /** The sequence this run started at: the journal's last + 1, 1 for a new journal. */
    public long startSequence()
    {
        return startSequence;
    }

    /** The journal's first sequence when this run started; 0 when it held none. */
    public long journalFirstSequence()
    {
        return journalFirstSequence;
    }

    /** The epoch of the stream the journal holds; 0 until the upstream is heard. */
    public long epoch()
    {
        return replicaJournal.epoch();
    }

    /** The counters as one line while running. */
    public String progress()
    {
        return subscriber.progress() + " journalLastSeq=" + replicaJournal.lastSequence() + " upstreamHead=" +
            agent.upstreamHead() + " serving=" + serving();
    }

    public synchronized ReplicaStats stats()
    {
        final String state = replicaJournal.state() == ReplicaJournal.State.FAILED || journalFailure() != null ?
            ReplicaState.State.FAILED.name() : replicaJournal.state() == ReplicaJournal.State.AWAITING_EPOCH ?
            ReplicaState.State.AWAITING_UPSTREAM.name() : subscriber.isDone() ? ReplicaState.State.STOPPED.name() :
            ReplicaState.State.FOLLOWING.name();
        return new ReplicaStats(subscriber.stats(), startSequence, journal.firstSequence(),
            replicaJournal.lastSequence(), replicaJournal.appendedTicks, replicaJournal.entries,
            replicaJournal.notJournaledTicks, Math.max(agent.upstreamHead(), replicaJournal.lastSequence()),
            replicaJournal.epoch(), state, journalFailure(), refusal(),
            server != null ? server.counters().toSummaryLine() : null);
    }

    public void close()
    {
        housekeeping.shutdownNow();
        try
        {
            housekeeping.awaitTermination(5, TimeUnit.SECONDS); // a server being started is started before it is closed
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (retention != null)
        {
            retention.shutdownNow();
        }
        CloseHelper.close(agentThread);
        final ReplayServer server;
        synchronized (this)
        {
            server = this.server;
        }
        CloseHelper.quietCloseAll(server, serveControl, replicaCounters, subscriberCounters, transport, writer,
            state, journal);
    }
}
