package io.feedhandler.replay.server;

import io.feedhandler.replay.ReplayMessages;
import io.feedhandler.replay.client.ReplayClient;
import io.feedhandler.replay.client.ReplayListener;
import io.feedhandler.replay.client.ReplayResponses;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Quote;
import io.feedhandler.sbe.ReplayEndReason;
import io.feedhandler.sbe.ReplayErrorCode;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Coverage-guided fuzzing of both ends of the replay protocol's message handling: the server's
 * control messages ({@link ReplayServerAgent#onControlMessage}, with stand-in sessions that touch no
 * network and a stand-in for the journal's first and last sequences) and the client's responses
 * ({@link ReplayResponses}). The input is a script of operations, each chosen by one byte (modulo 5):
 * <ol start="0">
 *     <li>{@code requester:u8 length:u16le bytes}: a control message from that requester to the server;</li>
 *     <li>{@code session:u8 length:u16le bytes}: a response message on that Aeron session to the client;</li>
 *     <li>{@code steps:u8}: time passes (steps x 4 ms) and the server runs a duty cycle;</li>
 *     <li>{@code id:u8}: the client sends a new request with that correlation id (stops, when 0);</li>
 *     <li>{@code grow:u8 retire:u8}: the journal grows by {@code grow} sequences and retention drops
 *     {@code retire} from its start.</li>
 * </ol>
 * A length past the end of the input takes what is left. Whatever the script, nothing may throw, the
 * server never holds more sessions than its limits allow nor remembers more requesters than its
 * table holds, every control message is counted once (request, stop or malformed), every request is
 * either served or refused, and the client hands on only what belongs to its current request.
 * <p>
 * The build replays the checked-in corpus (ReplayProtocolFuzzTestInputs) only, so it is deterministic;
 * {@code scripts/fuzz 30m replay} searches for new inputs (the 10 s below is its default budget, which
 * the script overrides). {@link #main} writes the seed inputs.
 */
class ReplayProtocolFuzzTest
{
    static final int OP_CONTROL = 0;
    static final int OP_RESPONSE = 1;
    static final int OP_TICK = 2;
    static final int OP_EXPECT = 3;
    static final int OP_JOURNAL = 4;
    static final int OPS = 5;

    static final long FIRST = 5_000;
    static final long LAST = 5_999;
    static final int MAX_SESSIONS = 4;
    static final int REQUESTER_CAPACITY = 8;

    /** Response endpoints a replay request may carry that no answer can be sent to. */
    static final String[] BAD_ENDPOINTS = {":", "", ":40457", "127.0.0.1:", "127.0.0.1:4O457", "127.0.0.1:99999",
        "127.0.0.1", "[", "[]:1", "[::1]", "::1:40457", "...:1", "127.0.0.1:-1"};

    private final UnsafeBuffer message = new UnsafeBuffer(new byte[0]);

    @FuzzTest(maxDuration = "10s")
    void controlAndResponseMessages(final byte[] input)
    {
        final ReplayServerContext context = new ReplayServerContext()
            .maxSessions(MAX_SESSIONS)
            .maxRange(500)
            .maxBatch(16)
            .maxReplayRate(10_000)
            .maxRequestsPerSecond(5)
            .requesterCapacity(REQUESTER_CAPACITY)
            .conclude();
        final CachedNanoClock clock = new CachedNanoClock(); // each input starts at the same time: reproducible
        final long[] journal = {FIRST, LAST}; // first and last sequence: starts above 1 for BELOW_RETENTION
        final StandInSessions sessions = new StandInSessions(journal);
        final ReplayServerAgent server = new ReplayServerAgent(
            context, () -> journal[0], () -> journal[1], clock, sessions);
        final CheckingListener listener = new CheckingListener();
        final ReplayResponses client = new ReplayResponses(listener, listener);
        server.onStart();
        long controlMessages = 0;

        int i = 0;
        while (i < input.length)
        {
            final int op = (input[i++] & 0xFF) % OPS;
            if (op == OP_JOURNAL)
            {
                journal[1] += i < input.length ? input[i++] & 0xFF : 0;
                journal[0] = Math.min(journal[0] + (i < input.length ? input[i++] & 0xFF : 0), journal[1]);
                server.doWork(); // a new duty cycle reads the journal's bounds afresh
            }
            else if (op == OP_TICK)
            {
                final int steps = i < input.length ? input[i++] & 0xFF : 1;
                clock.advance(steps * TimeUnit.MILLISECONDS.toNanos(4));
                server.doWork();
            }
            else if (op == OP_EXPECT)
            {
                final long id = i < input.length ? input[i++] & 0xFF : 0;
                client.expect(id == 0 ? ReplayClient.NOT_SENT : id);
                listener.expected = client.correlationId();
                listener.inSession = false;
            }
            else
            {
                final int who = i < input.length ? input[i++] & 0xFF : 0;
                int length = 0;
                if (i + 1 < input.length)
                {
                    length = (input[i] & 0xFF) | (input[i + 1] & 0xFF) << 8;
                    i += 2;
                }
                length = Math.min(length, input.length - i);
                // A copy of exactly the message's bytes: reading past them is an error the copy exposes.
                final byte[] bytes = new byte[length];
                System.arraycopy(input, i, bytes, 0, length);
                i += length;
                message.wrap(bytes);
                if (op == OP_CONTROL)
                {
                    server.onControlMessage(message, 0, length, who);
                    controlMessages++;
                }
                else
                {
                    client.onMessage(message, 0, length, who);
                }
            }
            checkServer(server, controlMessages);
        }
        server.onClose();
        if (sessions.open != 0)
        {
            throw new AssertionError(sessions.open + " sessions left open after close");
        }
    }

    private static void checkServer(final ReplayServerAgent server, final long controlMessages)
    {
        final ReplayServerCounters counters = server.counters();
        if (server.streamingSessions() > MAX_SESSIONS)
        {
            throw new AssertionError("streaming " + server.streamingSessions() + " sessions, limit " + MAX_SESSIONS);
        }
        if (server.sessionsHeld() > 3 * MAX_SESSIONS)
        {
            throw new AssertionError("holding " + server.sessionsHeld() + " sessions");
        }
        if (server.requestersTracked() > REQUESTER_CAPACITY)
        {
            throw new AssertionError("remembers " + server.requestersTracked() + " requesters");
        }
        if (counters.requests() + counters.stops() + counters.malformed() != controlMessages)
        {
            throw new AssertionError("control messages not counted once each: " + counters.toSummaryLine());
        }
        if (counters.sessionsStarted() + counters.errors() != counters.requests())
        {
            throw new AssertionError("requests neither served nor refused: " + counters.toSummaryLine());
        }
    }


    /** Checks that the client hands on only the current request's session, in the protocol's order. */
    static final class CheckingListener implements ReplayListener, FeedHandler
    {
        long expected = ReplayClient.NOT_SENT;
        boolean inSession;

        public void onQuote(final Quote quote)
        {
            if (!inSession)
            {
                throw new AssertionError("a quote outside the current request's session: " + quote.sequence());
            }
            if (quote.sequence() < 1 || quote.instrumentId() < 1)
            {
                throw new AssertionError("an out-of-range quote was handed on");
            }
        }

        public void onMalformed(final MalformedReason reason)
        {
            if (reason == null)
            {
                throw new AssertionError("malformed without a reason");
            }
        }

        public void onReplayBegin(
            final long correlationId, final long from, final long to, final long head, final long epoch)
        {
            checkCurrent(correlationId);
            inSession = true;
        }

        public void onReplayEnd(final long correlationId, final long lastSequence, final ReplayEndReason reason)
        {
            checkCurrent(correlationId);
            if (reason == null)
            {
                throw new AssertionError("an end without a reason");
            }
            inSession = false;
            expected = ReplayClient.NOT_SENT;
        }

        public void onReplayError(
            final long correlationId, final ReplayErrorCode code, final long first, final long last,
            final String message)
        {
            checkCurrent(correlationId);
            if (code == null || code == ReplayErrorCode.NULL_VAL || message == null)
            {
                throw new AssertionError("an error without a code or text");
            }
            inSession = false;
            expected = ReplayClient.NOT_SENT;
        }

        private void checkCurrent(final long correlationId)
        {
            if (expected == ReplayClient.NOT_SENT || correlationId != expected)
            {
                throw new AssertionError("answer to request " + correlationId + " while expecting " + expected);
            }
        }
    }

    /**
     * Writes the seed inputs: well-formed conversations the fuzzer starts from (a served range, each
     * refusal, a flood, a stop; a client's session with quotes, an end, an error, a stale session).
     * Run it with the test class path and the inputs folder as the argument.
     */
    public static void main(final String[] args) throws IOException
    {
        final Path out = Path.of(args[0]);
        Files.createDirectories(out);
        final ReplayMessages messages = new ReplayMessages();
        final String channel = "aeron:udp?endpoint=127.0.0.1:40999";

        final Script served = new Script();
        served.control(1, messages, messages.request(7, 5_000, 5_100, 1003, channel));
        served.tick(1).tick(1).tick(1);
        served.control(1, messages, messages.stop(7));
        served.tick(1);
        served.write(out.resolve("served-range"));

        final Script refusals = new Script();
        refusals.control(1, messages, messages.request(1, 50, 10, 1003, channel));
        refusals.control(2, messages, messages.request(2, 7_000, 0, 1003, channel));
        refusals.control(3, messages, messages.request(3, 10, 20, 1003, channel));
        refusals.control(4, messages, messages.request(4, 5_000, 5_900, 1003, channel));
        refusals.control(5, messages, messages.request(5, 5_000, 5_001, 1003, "aeron:nope"));
        refusals.tick(1);
        refusals.write(out.resolve("refusals"));

        final Script sessions = new Script();
        for (int requester = 1; requester <= 6; requester++)
        {
            sessions.control(requester, messages, messages.request(requester, 5_500, 0, 1003, channel));
        }
        sessions.tick(1).tick(1);
        sessions.write(out.resolve("too-many-sessions"));

        final Script flood = new Script();
        for (int request = 0; request < 12; request++)
        {
            flood.control(9, messages, messages.request(100 + request, 5_000, 5_010, 1003, channel));
        }
        flood.tick(250).tick(250);
        flood.control(9, messages, messages.request(200, 5_000, 5_010, 1003, channel));
        for (int requester = 20; requester < 40; requester++)
        {
            flood.control(requester, messages, messages.request(requester, 5_000, 5_010, 1003, channel));
        }
        flood.write(out.resolve("flood"));

        // Response channels that parse as URIs but name nowhere to answer: refused (BAD_RESPONSE_CHANNEL),
        // counted, never thrown on. The first is the input a 10 s fuzzing run once found (an
        // ArrayIndexOutOfBoundsException in FeedChannels.ipv4Octets).
        final Script badChannels = new Script();
        int badId = 60;
        for (final String endpoint : BAD_ENDPOINTS)
        {
            badChannels.control(6, messages, messages.request(badId++, 5_000, 5_010, 1003, "aeron:udp?endpoint=" + endpoint));
        }
        badChannels.control(6, messages, messages.request(badId, 5_000, 5_010, 0, channel));
        badChannels.tick(1);
        badChannels.write(out.resolve("bad-response-channel"));

        // Filtered requests (schema version 4): served, refused for an empty list or an unusable symbol, stopped.
        final Script filtered = new Script();
        filtered.control(1, messages, messages.filteredRequest(8, 5_000, 5_100, 1003, "AAPL,MSFT,7", channel));
        filtered.control(2, messages, messages.filteredRequest(9, 5_000, 0, 1003, " , ", channel));
        filtered.control(3, messages, messages.filteredRequest(10, 5_000, 5_010, 1003, "A_SYMBOL_FAR_TOO_LONG", channel));
        filtered.control(4, messages, messages.filteredRequest(11, 50, 10, 1003, "AAPL", channel));
        filtered.tick(1).tick(1);
        filtered.control(1, messages, messages.stop(8));
        filtered.tick(1);
        filtered.write(out.resolve("filtered-requests"));

        final FeedEncoder encoder = new FeedEncoder();
        final UnsafeBuffer quoteBuffer = new UnsafeBuffer(new byte[128]);
        final MutableQuote quote = new MutableQuote();
        quote.instrumentId = 1;
        final Script client = new Script();
        client.expect(42);
        client.response(3, messages, messages.begin(42, 5_000, 5_002, 5_999, 7));
        for (long sequence = 5_000; sequence <= 5_002; sequence++)
        {
            quote.sequence = sequence;
            client.response(3, quoteBuffer, encoder.encodeQuote(quoteBuffer, 0, quote));
        }
        client.response(4, quoteBuffer, encoder.encodeQuote(quoteBuffer, 0, quote)); // another session: stale
        client.response(3, messages, messages.end(42, 5_002, ReplayEndReason.COMPLETED));
        client.expect(43);
        client.response(3, messages, messages.error(43, ReplayErrorCode.TOO_MANY_REQUESTS, 5_000, 5_999, "slow down"));
        client.write(out.resolve("client-session"));

        final Script unasked = new Script();
        unasked.expect(0); // no request outstanding: an answer "to request -1" must not open a session
        unasked.response(3, messages, messages.begin(ReplayClient.NOT_SENT, 5_000, 5_002, 5_999, 7));
        quote.sequence = 5_000;
        unasked.response(3, quoteBuffer, encoder.encodeQuote(quoteBuffer, 0, quote));
        unasked.write(out.resolve("answer-without-request"));
    }

    /** Builds one input in the format described above. */
    static final class Script
    {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Script control(final int requester, final ReplayMessages messages, final int length)
        {
            return message(OP_CONTROL, requester, messages.buffer().byteArray(), length);
        }

        Script response(final int session, final ReplayMessages messages, final int length)
        {
            return message(OP_RESPONSE, session, messages.buffer().byteArray(), length);
        }

        Script response(final int session, final UnsafeBuffer buffer, final int length)
        {
            return message(OP_RESPONSE, session, buffer.byteArray(), length);
        }

        Script tick(final int steps)
        {
            bytes.write(OP_TICK);
            bytes.write(steps);
            return this;
        }

        Script expect(final int correlationId)
        {
            bytes.write(OP_EXPECT);
            bytes.write(correlationId);
            return this;
        }

        private Script message(final int op, final int who, final byte[] message, final int length)
        {
            bytes.write(op);
            bytes.write(who);
            bytes.write(length & 0xFF);
            bytes.write(length >>> 8);
            bytes.write(message, 0, length);
            return this;
        }

        void write(final Path file) throws IOException
        {
            Files.write(file, bytes.toByteArray());
        }
    }
}
