package io.feedhandler.replay.server;

import io.feedhandler.codecs.QuoteBatchWriter;

import io.feedhandler.replay.ReplayConfiguration;
import io.aeron.ExclusivePublication;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.QuoteDigest;
import io.feedhandler.codecs.Instrument;
import io.feedhandler.journal.InstrumentFilter;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalWriter;
import io.feedhandler.replay.client.ReplayClient;
import io.feedhandler.replay.client.ReplayListener;
import io.feedhandler.sbe.FeedState;
import io.feedhandler.sbe.ReplayEndReason;
import io.feedhandler.sbe.ReplayErrorCode;
import io.feedhandler.transport.AeronConnection;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay server and client over a real media driver and a real journal on disk. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplayServerTest
{
    static final String CONTROL = "aeron:udp?endpoint=127.0.0.1:40711";
    static final int CONTROL_STREAM = 4001;
    /** A second server's control channel, for a client that knows two. */
    static final String SECOND_CONTROL = "aeron:udp?endpoint=127.0.0.1:40716";

    @TempDir
    Path dir;

    private AeronConnection connection;
    private Journal journal;
    private JournalWriter writer;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp()
    {
        connection = AeronConnection.connect(null);
        journal = Journal.open(dir);
        writer = journal.newWriter();
    }

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = toClose.size() - 1; i >= 0; i--)
        {
            toClose.get(i).close();
        }
        writer.close();
        journal.close();
        connection.close();
    }

    @Test
    void servesAClosedRangeInFullAndInOrder()
    {
        append(1, 50_000);
        server(new ReplayServerContext());
        final Requester requester = requester();
        requester.request(10, 40_000);
        awaitUntil(() -> requester.ended, requester::poll);

        assertEquals(40_000 - 10 + 1, requester.sequences.size());
        assertEquals(0, requester.outOfOrder);
        assertEquals(10, requester.sequences.get(0));
        assertEquals(40_000L, requester.sequences.get(requester.sequences.size() - 1));
        assertEquals(ReplayEndReason.COMPLETED, requester.endReason);
        assertEquals(40_000, requester.endLastSequence);
        assertEquals(journal.digest(10, 40_000), requester.digest.value());
    }

    @Test
    void batchesAreCoalescedTrimmedToTheRangeAndPrecededByTheDefinitionsInForce()
    {
        final InstrumentHistory history = journal.instruments();
        history.record(List.of(new Instrument(1, "AAPL", -8), new Instrument(2, "MSFT", -8)), 1);
        appendBatches(1, 1000, 25);
        history.record(List.of(new Instrument(2, "MSFT.O", -8)), 1001);
        appendBatches(1001, 1000, 25);
        server(new ReplayServerContext());
        final Requester requester = requester();
        requester.request(13, 1507); // starts and ends inside journal entries
        awaitUntil(() -> requester.ended, requester::poll);

        assertEquals(1507 - 13 + 1, requester.sequences.size());
        assertEquals(0, requester.outOfOrder);
        assertEquals(13L, requester.sequences.get(0));
        assertEquals(journal.digest(13, 1507), requester.digest.value());
        assertTrue(requester.batches < 60 / 2, "entries coalesced into fewer messages: " + requester.batches);
        assertEquals(List.of(
            "at start: 1 AAPL from 1", "at start: 2 MSFT from 1", "before 1001: 2 MSFT.O from 1001"),
            requester.definitions);
    }

    @Test
    void eightConcurrentSessionsAreServedInFullAndFairly()
    {
        append(1, 200_000);
        final ReplayServer server = server(new ReplayServerContext().maxBatch(128));
        final List<Requester> requesters = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            final Requester requester = requester();
            requester.request(1, 200_000);
            requesters.add(requester);
        }
        final long[] progressWhenFirstDone = new long[8];
        awaitUntil(() -> requesters.stream().allMatch(r -> r.ended), () ->
        {
            int work = 0;
            for (final Requester requester : requesters)
            {
                work += requester.poll();
            }
            if (progressWhenFirstDone[0] == 0 && requesters.stream().anyMatch(r -> r.ended))
            {
                for (int i = 0; i < 8; i++)
                {
                    progressWhenFirstDone[i] = Math.max(1, requesters.get(i).sequences.size());
                }
            }
            return work;
        });
        for (final Requester requester : requesters)
        {
            assertEquals(200_000, requester.sequences.size());
            assertEquals(0, requester.outOfOrder);
            assertEquals(journal.digest(1, 200_000), requester.digest.value());
        }
        for (final long progress : progressWhenFirstDone)
        {
            // Round-robin turns: nobody was starved while the first finished.
            assertTrue(progress > 200_000 / 4, "progress when the first finished: " + progress);
        }
        assertEquals(8, server.counters().sessionsStarted());
        assertEquals(8, server.counters().sessionsCompleted());
    }

    @Test
    void rateLimitSpreadsTheSendingOverTime()
    {
        append(1, 20_000);
        server(new ReplayServerContext().maxReplayRate(40_000));
        final Requester requester = requester();
        final long start = System.nanoTime();
        requester.request(1, 20_000);
        awaitUntil(() -> requester.ended, requester::poll);
        final long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(20_000, requester.sequences.size());
        // 20,000 entries at 40,000/s cannot take less than about half a second (a lower bound only).
        assertTrue(elapsedMillis >= 400, "took " + elapsedMillis + " ms");
    }

    @Test
    void openEndedSessionFollowsTheJournalUntilStopped()
    {
        append(1, 100);
        server(new ReplayServerContext());
        final Requester requester = requester();
        requester.request(101, 0); // nothing there yet: wait for it
        awaitUntil(() -> requester.begun, requester::poll);
        append(101, 1_000);
        awaitUntil(() -> requester.sequences.size() == 1_000, requester::poll);
        assertEquals(101, requester.sequences.get(0));
        awaitUntil(() -> requester.journalHead == 1_100, requester::poll); // told where the head is, every 100 ms
        requester.client.stop();
        append(1_101, 10);
        pollFor(300, requester);
        assertEquals(1_000, requester.sequences.size(), "nothing after the stop");
    }

    @Test
    void invalidRequestsGetTheirErrorAndTheServerKeepsServing() throws Exception
    {
        append(1, 1_000);
        final ReplayServer server = server(new ReplayServerContext().maxRange(500).maxSessions(1));
        assertRefused(ReplayErrorCode.REVERSED_RANGE, 50, 10);
        assertRefused(ReplayErrorCode.REVERSED_RANGE, 0, 10);
        assertRefused(ReplayErrorCode.BEYOND_HEAD, 900, 1_001);
        assertRefused(ReplayErrorCode.BEYOND_HEAD, 1_002, 0);
        assertRefused(ReplayErrorCode.RANGE_TOO_LARGE, 1, 600);

        final Requester holder = requester();
        holder.request(1_001, 0); // open-ended: holds the only session
        awaitUntil(() -> holder.begun, holder::poll);
        assertRefused(ReplayErrorCode.TOO_MANY_SESSIONS, 1, 10);
        holder.client.stop();
        awaitUntil(() -> server.sessionCount() == 0, () -> 0);

        // Garbage on the control channel is counted and dropped.
        try (ExclusivePublication raw = connection.aeron().addExclusivePublication(CONTROL, CONTROL_STREAM))
        {
            awaitUntil(raw::isConnected, () -> 0);
            final UnsafeBuffer junk = new UnsafeBuffer(new byte[64]);
            junk.setMemory(0, 64, (byte)0x5A);
            raw.offer(junk, 0, 64);
            raw.offer(junk, 0, 3);
            awaitUntil(() -> server.counters().malformed() >= 2, () -> 0);
        }

        // Plain UDP datagrams at the control port: never valid Aeron frames, the driver drops them.
        try (java.net.DatagramSocket udp = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            final byte[] junk = new byte[100];
            new java.util.SplittableRandom(3).nextBytes(junk);
            for (int i = 0; i < 100; i++)
            {
                udp.send(new java.net.DatagramPacket(junk, 1 + i, java.net.InetAddress.getLoopbackAddress(), 40711));
            }
        }

        final Requester ok = requester();
        ok.request(1, 500);
        awaitUntil(() -> ok.ended, ok::poll);
        assertEquals(500, ok.sequences.size());
        assertEquals(6, server.counters().errors());
    }

    @Test
    void aFloodingRequesterIsToldToSlowDownWhileOthersAreServed()
    {
        append(1, 1_000);
        final ReplayServer server = server(new ReplayServerContext().maxRequestsPerSecond(5));
        final Requester flooder = requester();
        for (int i = 0; i < 6; i++)
        {
            flooder.request(1, 10); // a burst of five is allowed; the sixth is one too many
        }
        awaitUntil(() -> flooder.error != null, flooder::poll);
        assertEquals(ReplayErrorCode.TOO_MANY_REQUESTS, flooder.error, flooder.errorMessage);
        assertTrue(flooder.errorMessage.contains("more than 5 requests a second"), flooder.errorMessage);

        for (int i = 0; i < 200; i++)
        {
            flooder.request(1, 10); // told once: the rest are dropped unanswered
        }
        awaitUntil(() -> server.counters().requests() >= 206, () -> 0);
        assertTrue(server.counters().unanswered() >= 150, server.counters().toSummaryLine().toString());
        assertTrue(server.counters().refusals(ReplayErrorCode.TOO_MANY_REQUESTS) >= 151);

        final Requester other = requester(); // another client: its own allowance
        other.request(1, 500);
        awaitUntil(() -> other.ended, other::poll);
        assertEquals(500, other.sequences.size());
        assertEquals(null, other.error);

        // A limit on the rate, not a ban: once the flooder slows down it is served again.
        flooder.ended = false;
        flooder.error = null;
        final long[] lastAsk = {0};
        awaitUntil(() -> flooder.ended, () ->
        {
            if (System.nanoTime() - lastAsk[0] > TimeUnit.MILLISECONDS.toNanos(300))
            {
                flooder.sequences.clear();
                flooder.request(1, 10);
                lastAsk[0] = System.nanoTime();
            }
            return flooder.poll();
        });
        assertEquals(10, flooder.sequences.size());
    }

    @Test
    void belowRetentionIsRefusedWithTheFirstRetainedSequence()
    {
        append(5_000, 100); // the journal starts at 5000: everything before it is gone
        server(new ReplayServerContext());
        final Requester requester = assertRefused(ReplayErrorCode.BELOW_RETENTION, 10, 20);
        assertEquals(5_000, requester.errorFirst);
        assertTrue(requester.errorMessage.contains("5000"), requester.errorMessage);
    }

    @Test
    void sequencesNotJournaledAreRefusedWithTheirRangeAndTheRestIsServed()
    {
        append(1, 100);
        skip(101, 50);
        append(151, 50);
        server(new ReplayServerContext());

        final Requester inside = assertRefused(ReplayErrorCode.NOT_JOURNALED, 120, 0);
        assertEquals(101, inside.errorFirst);
        assertEquals(150, inside.errorLast);
        assertTrue(inside.errorMessage.contains("101..150"), inside.errorMessage);

        final Requester across = requester();
        across.request(50, 200);
        awaitUntil(() -> across.error != null, across::poll);
        assertEquals(ReplayErrorCode.NOT_JOURNALED, across.error, "the session ends on the hole");
        assertEquals(51, across.sequences.size(), "after everything before it");
        assertEquals(100L, across.sequences.get(50));
        assertEquals(101, across.errorFirst);
        assertEquals(150, across.errorLast);

        final Requester after = requester();
        after.request(151, 200);
        awaitUntil(() -> after.ended, after::poll);
        assertEquals(50, after.sequences.size());
        assertEquals(journal.digest(151, 200), after.digest.value());
    }

    @Test
    void anOpenEndedSessionWaitingAtTheHeadIsToldWhenTheNextSequencesAreNotJournaled()
    {
        append(1, 100);
        final ReplayServer server = server(new ReplayServerContext());
        final Requester requester = requester();
        requester.request(90, 0);
        awaitUntil(() -> requester.sequences.size() == 11, requester::poll);
        skip(101, 3); // the publisher went live-only; its range grows as it sends
        awaitUntil(() -> requester.error != null, requester::poll);
        assertEquals(ReplayErrorCode.NOT_JOURNALED, requester.error);
        assertEquals(101, requester.errorFirst);
        assertTrue(requester.errorLast >= 103, "so far: " + requester.errorLast);
        assertEquals(1, server.counters().refusals(ReplayErrorCode.NOT_JOURNALED));

        final Requester beyond = requester();
        beyond.request(104, 0); // right after the range: may be asked for, and served when it comes
        awaitUntil(() -> beyond.begun, beyond::poll);
        append(104, 5);
        awaitUntil(() -> beyond.sequences.size() == 5, beyond::poll);
    }

    private Requester assertRefused(final ReplayErrorCode code, final long from, final long to)
    {
        final Requester requester = requester();
        requester.request(from, to);
        awaitUntil(() -> requester.error != null, requester::poll);
        assertEquals(code, requester.error, requester.errorMessage);
        assertTrue(requester.sequences.isEmpty());
        return requester;
    }

    private ReplayServer server(final ReplayServerContext context)
    {
        return server(context, CONTROL, journal);
    }

    private ReplayServer server(final ReplayServerContext context, final String control, final Journal served)
    {
        final ReplayServer server = ReplayServer.launch(
            context.replayChannel(control).replayStreamId(CONTROL_STREAM).idleStrategy("sleep"),
            connection.aeron(), served);
        toClose.add(server);
        return server;
    }

    private Requester requester()
    {
        return requester(List.of(CONTROL));
    }

    /** A requester whose client knows {@code controls}, in that order; ready once the first answers. */
    private Requester requester(final List<String> controls)
    {
        final Requester requester = new Requester();
        requester.client = new ReplayClient(connection.aeron(), controls, CONTROL_STREAM,
            ReplayConfiguration.RESPONSE_CHANNEL, 5000 + toClose.size(), requester, requester);
        toClose.add(requester.client);
        awaitUntil(requester.client::isReady, () -> 0);
        return requester;
    }

    private void append(final long first, final int count)
    {
        appendBatches(first, count, 1);
    }

    /** Journal entries of {@code perEntry} quotes each, as a publisher batches them. */
    private void appendBatches(final long first, final int count, final int perEntry)
    {
        appendBatches(writer, first, count, perEntry);
    }

    private static void appendBatches(
        final JournalWriter writer, final long first, final int count, final int perEntry)
    {
        final UnsafeBuffer batch = new UnsafeBuffer(new byte[QuoteBatchWriter.length(perEntry)]);
        final QuoteBatchWriter batchWriter = new QuoteBatchWriter();
        final MutableQuote quote = new MutableQuote();
        for (long sequence = first; sequence < first + count; sequence += perEntry)
        {
            batchWriter.wrap(batch, 0, 0, sequence);
            for (long s = sequence; s < Math.min(first + count, sequence + perEntry); s++)
            {
                quote.sequence = s;
                quote.instrumentId = (int)(s % 2) + 1;
                quote.bidPrice = s * 100;
                quote.askPrice = s * 100 + 1;
                quote.bidSize = 10;
                quote.askSize = 20;
                batchWriter.add(quote);
            }
            writer.append(batch, 0, batchWriter.length());
        }
    }

    @Test
    void aClientOfTwoServersTakesTheRestFromTheSecondWhenTheFirstGoesAwayMidSession()
    {
        append(1, 50_000);
        final ReplayServer first = server(new ReplayServerContext().maxReplayRate(20_000), CONTROL, journal);
        server(new ReplayServerContext(), SECOND_CONTROL, journal);
        final Requester requester = requester(List.of(CONTROL, SECOND_CONTROL));
        awaitUntil(() -> requester.client.isReady(1), () -> 0);
        awaitUntil(() -> requester.client.request(0, 1, 50_000) != ReplayClient.NOT_SENT, () -> 0);
        awaitUntil(() -> requester.sequences.size() >= 5_000, requester::poll);
        toClose.remove(first);
        first.close(); // mid-session: a rate of 20,000/s needs seconds for the whole range
        assertTrue(requester.sequences.size() < 50_000 && !requester.ended, "still going when it went away");

        final long resumeAt = requester.sequences.get(requester.sequences.size() - 1) + 1;
        requester.client.stop();
        awaitUntil(() -> requester.client.request(1, resumeAt, 50_000) != ReplayClient.NOT_SENT, () -> 0);
        assertEquals(1, requester.client.requestServer());
        awaitUntil(() -> requester.ended, requester::poll);

        assertEquals(50_000, requester.sequences.size(), "nothing missed, nothing twice");
        assertEquals(0, requester.outOfOrder);
        assertEquals(journal.digest(1, 50_000), requester.digest.value());
        assertEquals(ReplayEndReason.COMPLETED, requester.endReason);
    }

    @Test
    void aServerBehindRefusesBeyondItsHeadAndTheNextServesTheRange(@TempDir final Path behindDir)
    {
        append(1, 1_000);
        final Journal behind = Journal.open(behindDir);
        toClose.add(behind);
        final JournalWriter behindWriter = behind.newWriter();
        toClose.add(behindWriter);
        appendBatches(behindWriter, 1, 100, 1);
        server(new ReplayServerContext(), CONTROL, behind);
        server(new ReplayServerContext(), SECOND_CONTROL, journal);
        final Requester requester = requester(List.of(CONTROL, SECOND_CONTROL));
        awaitUntil(() -> requester.client.isReady(1), () -> 0);

        awaitUntil(() -> requester.client.request(0, 500, 1_000) != ReplayClient.NOT_SENT, () -> 0);
        awaitUntil(() -> requester.error != null, requester::poll);
        assertEquals(ReplayErrorCode.BEYOND_HEAD, requester.error, requester.errorMessage);
        assertTrue(requester.sequences.isEmpty());

        awaitUntil(() -> requester.client.request(1, 500, 1_000) != ReplayClient.NOT_SENT, () -> 0);
        awaitUntil(() -> requester.ended, requester::poll);
        assertEquals(501, requester.sequences.size());
        assertEquals(500L, requester.sequences.get(0));
        assertEquals(0, requester.outOfOrder);
        assertEquals(journal.digest(500, 1_000), requester.digest.value());
    }

    @Test
    void aFilteredSessionSendsItsInstrumentsUnderTheirDefinitionsAndMarksTheRest()
    {
        final InstrumentHistory history = journal.instruments();
        history.record(List.of(new Instrument(1, "AAPL", -8), new Instrument(2, "MSFT", -8)), 1);
        appendBatches(1, 1000, 25);
        history.record(List.of(new Instrument(2, "MSFT.O", -8)), 1001); // id 2 is no longer MSFT from here
        appendBatches(1001, 1000, 25);
        final ReplayServer server = server(new ReplayServerContext());
        final Requester requester = requester();
        awaitUntil(() -> requester.client.requestFiltered(13, 1507, "MSFT") != ReplayClient.NOT_SENT, () -> 0);
        awaitUntil(() -> requester.ended, requester::poll);

        final List<Long> expected = new ArrayList<>();
        for (long sequence = 13; sequence <= 1000; sequence += 2)
        {
            expected.add(sequence); // id 2 while it was called MSFT: the odd sequences up to 1000
        }
        assertEquals(expected, requester.sequences);
        assertEquals(1507, requester.marker, "nothing else of ours up to the end of the range");
        assertEquals(1507, requester.endLastSequence);
        final long[] counted = new long[1];
        assertEquals(journal.digest(13, 1507, InstrumentFilter.parse(List.of("MSFT")), counted), requester.digest.value());
        assertEquals(expected.size(), counted[0]);
        assertEquals(List.of( // the last quote before the rename is 999: nothing of MSFT's comes between
            "at start: 1 AAPL from 1", "at start: 2 MSFT from 1", "before 1000: 2 MSFT.O from 1001"),
            requester.definitions, "every definition, so the requester can place every id");
        assertEquals(1, server.counters().filteredSessions());
        final long filteredBytes = server.counters().bytesSent();

        final Requester whole = requester();
        whole.request(13, 1507);
        awaitUntil(() -> whole.ended, whole::poll);
        final long wholeBytes = server.counters().bytesSent() - filteredBytes;
        assertTrue(filteredBytes < wholeBytes * 2 / 5, filteredBytes + " bytes filtered, " + wholeBytes + " whole");
    }

    @Test
    void aFilteredRequestNamingNothingIsRefused()
    {
        append(1, 100);
        server(new ReplayServerContext());
        final Requester requester = requester();
        awaitUntil(() -> requester.client.requestFiltered(1, 100, " , ") != ReplayClient.NOT_SENT, () -> 0);
        awaitUntil(() -> requester.error != null, requester::poll);
        assertEquals(ReplayErrorCode.UNKNOWN_INSTRUMENT, requester.error);
        assertTrue(requester.errorMessage.contains("no instrument named"), requester.errorMessage);
    }

    private void skip(final long first, final int count)
    {
        for (long sequence = first; sequence < first + count; sequence++)
        {
            assertTrue(writer.recordNotJournaled(sequence));
        }
    }

    private static void pollFor(final long millis, final Requester requester)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end)
        {
            if (requester.poll() == 0)
            {
                sleep();
            }
        }
    }

    interface Work
    {
        int doWork();
    }

    private static void awaitUntil(final BooleanSupplier condition, final Work work)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("condition not met in time");
            }
            if (work.doWork() == 0)
            {
                sleep();
            }
        }
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    static final class Requester implements ReplayListener, FeedHandler
    {
        ReplayClient client;
        final List<Long> sequences = new ArrayList<>();
        final QuoteDigest digest = new QuoteDigest();
        long outOfOrder;
        boolean begun;
        boolean ended;
        ReplayEndReason endReason;
        long endLastSequence;
        ReplayErrorCode error;
        long errorFirst;
        long errorLast;
        String errorMessage;
        int batches;
        long journalHead;
        long marker;
        final List<String> definitions = new ArrayList<>();

        void request(final long from, final long to)
        {
            awaitUntil(() -> client.request(from, to) != ReplayClient.NOT_SENT, () -> 0);
        }

        int poll()
        {
            return client.poll(100);
        }

        public void onQuote(final Quote quote)
        {
            if (!sequences.isEmpty() && quote.sequence() != sequences.get(sequences.size() - 1) + 1)
            {
                outOfOrder++;
            }
            sequences.add(quote.sequence());
            digest.update(quote);
        }

        public void onBatchBegin(final long epoch, final long firstSequence, final int count)
        {
            batches++;
        }

        /** A filtered session's quotes: in order, not consecutive, none at or below the last marker. */
        public void onFilteredQuote(final Quote quote)
        {
            if ((!sequences.isEmpty() && quote.sequence() <= sequences.get(sequences.size() - 1)) ||
                quote.sequence() <= marker)
            {
                outOfOrder++;
            }
            sequences.add(quote.sequence());
            digest.update(quote);
        }

        public void onFilteredBatchEnd(final long upToSequence)
        {
            marker = upToSequence;
        }

        public void onHeartbeat(final long lastSequence, final long sendTimestamp, final FeedState state, final long epoch)
        {
            journalHead = Math.max(journalHead, lastSequence);
        }

        public void onInstrument(
            final int instrumentId, final int priceExponent, final CharSequence symbol, final long fromSequence)
        {
            final String when = sequences.isEmpty() ? "at start" : "before " + (sequences.get(sequences.size() - 1) + 1);
            definitions.add(when + ": " + instrumentId + " " + symbol + " from " + fromSequence);
        }

        public void onReplayBegin(
            final long correlationId, final long from, final long to, final long head, final long epoch)
        {
            begun = true;
        }

        public void onReplayEnd(final long correlationId, final long lastSequence, final ReplayEndReason reason)
        {
            ended = true;
            endReason = reason;
            endLastSequence = lastSequence;
        }

        public void onReplayError(
            final long correlationId, final ReplayErrorCode code, final long first, final long last,
            final String message)
        {
            error = code;
            errorFirst = first;
            errorLast = last;
            errorMessage = message;
        }
    }
}
