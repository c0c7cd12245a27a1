package io.feedhandler.publisher;

import io.feedhandler.journal.JournalConfiguration;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalSpace;
import io.feedhandler.journal.JournalVerifier;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.journal.NotJournaledRanges;
import io.feedhandler.sbe.FeedState;
import io.feedhandler.transport.AeronConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal-full policies in the publisher's duty cycle, driven by hand with a clock and a free-space
 * reading the test controls, through a real media driver (IPC) and a real journal on disk. The disk
 * itself is not filled here: JournalFullIT (feed-cli) does that on a small tmpfs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalFullTest
{
    static final String CHANNEL = "aeron:ipc?term-length=4m";
    static final int STREAM = 7101;
    static final long RESERVE = JournalConfiguration.MIN_MIN_FREE_DISK_BYTES;
    static final long ENTRY = io.feedhandler.codecs.QuoteBatchWriter.length(1) + JournalSpace.ENTRY_OVERHEAD;

    @TempDir
    Path dir;

    private final AtomicLong free = new AtomicLong();
    private final long[] now = {1_000_000_000L};
    private AeronConnection connection;
    private Journal journal;
    private JournalWriter writer;
    private ExclusivePublication publication;
    private Subscription live;
    private final Received received = new Received();
    private final FeedDecoder decoder = new FeedDecoder(received);

    @BeforeEach
    void setUp()
    {
        connection = AeronConnection.connect(null);
        journal = Journal.open(dir);
        free.set(RESERVE + 100 * ENTRY); // room for exactly 100 ticks above the reserve
        writer = journal.newWriter(new JournalSpace(free::get, RESERVE));
        publication = connection.aeron().addExclusivePublication(CHANNEL, STREAM);
        live = connection.aeron().addSubscription(CHANNEL, STREAM);
        // The agent is told not to wait for a subscriber (connect timeout 0): connect first, or the first
        // ticks go nowhere on a loaded machine and the counts below are off.
        while (!publication.isConnected() || !live.isConnected())
        {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @AfterEach
    void tearDown()
    {
        org.agrona.CloseHelper.quietCloseAll(live, publication, writer, journal, connection);
    }

    @Test
    void stopHoldsTheTickThatDidNotFitSendsOnlyHeartbeatsAndResumesWithNoHole()
    {
        final PublisherAgent agent = agent(JournalFullPolicy.STOP);
        runUntil(agent, () -> agent.journalGate().state() == JournalState.STOPPED);
        assertEquals(100, agent.publishedCount());
        assertEquals(1, agent.journalGate().fullEvents());
        assertEquals(101, agent.journalGate().fullSequence());

        for (int i = 0; i < 50; i++)
        {
            step(agent, 100_000_000L); // five seconds of duty cycles, still full
        }
        drain();
        assertEquals(100, received.quotes, "nothing went live that the journal does not hold");
        assertEquals(100, agent.publishedCount());
        assertTrue(received.heartbeats >= 4, "heartbeats go on while stopped: " + received.heartbeats);
        assertEquals(100, received.lastHeartbeatSequence, "and show where the stream ends");
        assertEquals(100, journal.lastSequence());

        free.set(2 * RESERVE + 400 * ENTRY); // room again, above twice the reserve
        writer.space().sample();
        runUntil(agent, () -> agent.publishedCount() >= 300);
        assertEquals(JournalState.JOURNALING, agent.journalGate().state());
        drain();
        final PublisherStats stats = agent.stats();
        assertEquals(1, stats.journalFull());
        assertEquals(0, stats.notJournaled());
        assertEquals(stats.lastSeq(), journal.lastSequence());
        assertEquals(0, journal.notJournaled().count(), "no hole: the held tick went first");
        assertEquals(stats.digest(), journal.digest(1, stats.lastSeq()));
        assertEquals(stats.digest(), received.digest.value(), "live saw exactly what the journal holds");
        assertTrue(JournalVerifier.verify(journal).ok());
    }

    @Test
    void liveOnlyKeepsSendingRecordsTheRangeAndJournalsAgainWhenThereIsRoom()
    {
        final PublisherAgent agent = agent(JournalFullPolicy.LIVE_ONLY);
        runUntil(agent, () -> agent.publishedCount() >= 400);
        assertEquals(JournalState.LIVE_ONLY, agent.journalGate().state());
        assertEquals(1, agent.journalGate().fullEvents());
        assertEquals(100, journal.lastSequence());
        assertEquals(101, journal.notJournaled().first(0));

        free.set(2 * RESERVE + 1_000 * ENTRY);
        writer.space().sample();
        runUntil(agent, () -> agent.journalGate().state() == JournalState.JOURNALING);
        runUntil(agent, () -> agent.publishedCount() >= 600);
        drain();

        final PublisherStats stats = agent.stats();
        final long holeEnd = journal.notJournaled().last(0);
        assertTrue(holeEnd >= 400, "the range covers what was sent live-only: " + holeEnd);
        assertEquals(holeEnd - 100, stats.notJournaled());
        assertEquals(1, journal.notJournaled().count());
        assertEquals(stats.published(), received.quotes, "live got every tick");
        assertEquals(stats.digest(), received.digest.value());
        assertEquals(stats.lastSeq(), journal.lastSequence(), "journaling resumed right after the range");
        assertEquals(stats.lastSeq(), journal.lastIssuedSequence());
        final JournalVerifier.Result verified = JournalVerifier.verify(journal);
        assertTrue(verified.ok(), verified.problem());
        assertEquals(stats.notJournaled(), verified.notJournaled());
        assertEquals(stats.published() - stats.notJournaled(), verified.entries());
    }

    @Test
    void aRestartedPublisherContinuesAfterTheRangeItSentLiveOnly() throws Exception
    {
        final Path journalDir = dir.resolve("restart");
        final AtomicLong disk = new AtomicLong(RESERVE + 100 * ENTRY);
        final PublisherStats first = publish(journalDir, disk, 150);
        assertEquals(150, first.lastSeq());
        // At least the 50 past the budget; a sample taken while appending can make it stop a little earlier.
        final long skipped = first.notJournaled();
        assertTrue(skipped >= 50 && skipped < 100, "not journaled: " + skipped);
        assertEquals(JournalState.LIVE_ONLY.name(), first.journalState());

        disk.set(1L << 30);
        final PublisherStats second = publish(journalDir, disk, 20);
        assertEquals(151, second.firstSeq(), "after the last tick sent, not the last journaled");
        assertEquals(170, second.lastSeq());
        try (Journal reopened = Journal.openReadOnly(journalDir))
        {
            assertEquals((151 - skipped) + "..150", reopened.notJournaled().describe());
            assertEquals(150 - skipped + 20, reopened.entryCount());
            assertTrue(JournalVerifier.verify(reopened).ok());
            assertEquals(second.digest(), reopened.digest(151, 170));
        }
        // Now the recorded hole lies between entries: the start-up damage check steps over it.
        final PublisherStats third = publish(journalDir, disk, 5);
        assertEquals(171, third.firstSeq(), "a recorded hole is not damage: nothing refused or salvaged");
        assertTrue(Files.exists(journalDir.resolve(NotJournaledRanges.FILE)));
        try (var siblings = Files.list(dir))
        {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains(".damaged-")), "nothing archived");
        }
    }

    /** A run whose disk ({@code disk} bytes free at start) fills as its journal grows. */
    private static PublisherStats publish(final Path journalDir, final AtomicLong disk, final long count)
        throws InterruptedException
    {
        final Publisher[] running = {null};
        final long entriesBefore;
        try (Journal before = Journal.open(journalDir))
        {
            entriesBefore = before.entryCount();
        }
        final java.util.function.LongSupplier free = () -> disk.get() -
            (running[0] == null ? 0 : (running[0].journal().entryCount() - entriesBefore) * ENTRY);
        try (Publisher publisher = Publisher.launch(new PublisherContext().transport(t -> t.channel(CHANNEL).streamId(STREAM + 1))
            .journalDirectory(journalDir).source(new SyntheticMarket(5, 1)).rate(0).count(count)
            .connectTimeoutNanos(0).lingerNanos(0).replayServer(null).transport(t -> t.idleStrategy("sleep"))
            .maxBatchTicks(1) // a batch per tick: what fits on the disk is counted in ticks
            .journalFullPolicy(JournalFullPolicy.LIVE_ONLY).usableDiskSpace(free).minFreeDiskBytes(RESERVE)))
        {
            running[0] = publisher;
            assertTrue(publisher.awaitCompletion(30, TimeUnit.SECONDS));
            assertEquals(null, publisher.failure());
            return publisher.stats();
        }
    }

    private PublisherAgent agent(final JournalFullPolicy policy)
    {
        final PublisherAgent agent = new PublisherAgent(context(policy), publication, null, writer, 0, 1L, java.util.List.of(),
            connection.aeron().countersReader(), () -> now[0], () -> now[0], () -> 0);
        agent.onStart();
        return agent;
    }

    private PublisherContext context(final JournalFullPolicy policy)
    {
        return new PublisherContext().transport(t -> t.channel(CHANNEL).streamId(STREAM)).journalDirectory(dir)
            .source(new SyntheticMarket(5, 1)).rate(10_000).connectTimeoutNanos(0).replayServer(null)
            .maxBatchTicks(1) // a batch per tick: what fits on the disk is counted in ticks
            .heartbeatIntervalNanos(TimeUnit.SECONDS.toNanos(1)).journalFullPolicy(policy).conclude();
    }

    /** One duty cycle after {@code advanceNanos} of time, then whatever live has for us. */
    private void step(final PublisherAgent agent, final long advanceNanos)
    {
        now[0] += advanceNanos;
        agent.doWork();
        drain();
    }

    private void runUntil(final PublisherAgent agent, final java.util.function.BooleanSupplier condition)
    {
        for (int i = 0; i < 100_000 && !condition.getAsBoolean(); i++)
        {
            step(agent, 1_000_000L); // 1 ms: ten ticks due at 10,000/s
        }
        assertTrue(condition.getAsBoolean(), "not reached: " + agent.progress());
    }

    private void drain()
    {
        while (live.poll((buffer, offset, length, header) -> decoder.decode(buffer, offset, length), 256) > 0)
        {
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    private static final class Received implements FeedHandler
    {
        long quotes;
        long heartbeats;
        long lastHeartbeatSequence;
        final QuoteDigest digest = new QuoteDigest();

        public void onQuote(final Quote quote)
        {
            quotes++;
            digest.update(quote);
        }

        public void onHeartbeat(final long lastSequence, final long sendTimestamp, final FeedState state, final long epoch)
        {
            heartbeats++;
            lastHeartbeatSequence = lastSequence;
        }
    }
}
