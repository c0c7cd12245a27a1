package io.feedhandler.cli;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.Prices;
import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.SummaryJson;
import io.feedhandler.gateway.client.SseClient;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalTail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway through the real parts: a {@code scripts/feed publish} with its journal and replay
 * server, a {@code scripts/feed gateway} subscribed to it on loopback multicast, and real HTTP
 * clients (the JDK's, and raw sockets where a client must misbehave). What clients receive is
 * checked quote by quote against the journal.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class GatewayIT
{
    private static final Pattern PORT = Pattern.compile("gateway ready on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    private static String channel(final int n)
    {
        return "aeron:udp?endpoint=239.255.91." + (2 * n + 1) + ":4" + (4100 + n) + "|interface=127.0.0.1";
    }

    private static String replayChannel(final int n)
    {
        return "aeron:udp?endpoint=127.0.0.1:4" + (4200 + n);
    }

    private FeedProcess publisher(final int n) throws Exception
    {
        return publisher(n, 2_000);
    }

    private FeedProcess publisher(final int n, final int rate) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("publish", "--duration", "200s", "--rate", String.valueOf(rate),
            "--instruments", "20", "--journal", dir.resolve("journal").toString(), "--connect-timeout", "0s",
            "--channel", channel(n), "--replay-channel", replayChannel(n)));
        return FeedScript.start(args.toArray(new String[0]));
    }

    private FeedProcess gateway(final int n, final String... more) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("gateway", "--port", "0", "--channel", channel(n),
            "--replay-channel", replayChannel(n), "--heartbeat-interval", "1s"));
        args.addAll(List.of(more));
        if (args.contains("--journal"))
        {
            awaitJournal(dir.resolve("journal"));
        }
        return FeedScript.start(args.toArray(new String[0]));
    }

    /** The summary line of a process that has ended; its stderr when it has none. */
    static SummaryJson summary(final FeedProcess process)
    {
        assertTrue(process.hasSummary(), "no summary line; stdout: " + process.stdoutLines() + "\nstderr:\n" +
            process.stderr());
        return process.summaryJson();
    }

    /** Wait until the publisher has made its journal: a gateway that reads it needs it to exist. */
    static void awaitJournal(final Path journal) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true)
        {
            if (Files.isDirectory(journal))
            {
                try (java.util.stream.Stream<Path> files = Files.list(journal))
                {
                    if (files.anyMatch(f -> f.getFileName().toString().endsWith(".cq4")))
                    {
                        return;
                    }
                }
            }
            assertTrue(System.nanoTime() < deadline, "no journal in " + journal);
            Thread.sleep(50);
        }
    }

    /** The gateway's base address once it serves and has its first quote. */
    private static URI awaitServing(final FeedProcess gateway) throws Exception
    {
        gateway.awaitLog("gateway ready on http://", 60);
        final Matcher matcher = PORT.matcher(gateway.stderr());
        assertTrue(matcher.find(), gateway.stderr());
        final URI base = URI.create("http://127.0.0.1:" + matcher.group(1));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (get(base.resolve("/health"), Map.of()).statusCode() != 200)
        {
            assertTrue(System.nanoTime() < deadline, "the gateway never became ready:\n" + gateway.stderr());
            Thread.sleep(100);
        }
        return base;
    }

    private static HttpResponse<String> get(final URI uri, final Map<String, String> headers) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Up to {@code count} quote events, failing when the stream stalls for 10 s. */
    private static List<SummaryJson> quotes(final SseClient client, final int count) throws Exception
    {
        return quotes(client, count, Long.MAX_VALUE);
    }

    /** Quote events until {@code count} of them or one past {@code untilSequence}; a 10 s silence fails. */
    static List<SummaryJson> quotes(final SseClient client, final int count, final long untilSequence)
        throws Exception
    {
        final List<SummaryJson> quotes = new ArrayList<>();
        while (quotes.size() < count)
        {
            final SseClient.Event event = client.nextEvent(10, TimeUnit.SECONDS);
            assertNotNull(event, "the stream stalled after " + quotes.size() + " quotes");
            assertEquals("quote", event.type(), event.toString());
            final SummaryJson quote = SummaryJson.parse(event.data());
            assertEquals(event.sequence(), quote.number("sequence", -1), "id: is the sequence");
            quotes.add(quote);
            if (event.sequence() > untilSequence)
            {
                break;
            }
        }
        return quotes;
    }

    /** Every quote of the journal from {@code from} to {@code to}, as the gateway must render it. */
    private Map<Long, String> journalQuotes(final long from, final long to)
    {
        final Map<Long, String> expected = new HashMap<>();
        try (Journal journal = Journal.openReadOnly(dir.resolve("journal"));
            JournalTail tail = new JournalTail(journal).from(from))
        {
            final Map<Integer, String> symbols = new HashMap<>();
            for (final InstrumentHistory.Definition definition : journal.instruments().all())
            {
                symbols.put(definition.instrument().id(), definition.instrument().symbol());
            }
            final FeedDecoder decoder = new FeedDecoder(new FeedHandler()
            {
                public void onQuote(final Quote quote)
                {
                    if (quote.sequence() >= from && quote.sequence() <= to)
                    {
                        expected.put(quote.sequence(), render(symbols.get(quote.instrumentId()), quote.bidPrice(),
                            quote.bidSize(), quote.askPrice(), quote.askSize(), quote.exchangeTimestamp(),
                            quote.sendTimestamp()));
                    }
                }
            });
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (expected.size() < to - from + 1 && System.nanoTime() < deadline)
            {
                tail.poll((sequence, buffer, offset, length) -> decoder.decode(buffer, offset, length), 1024);
            }
        }
        return expected;
    }

    private static String render(final String symbol, final long bid, final long bidSize, final long ask,
        final long askSize, final long exchangeTime, final long publishTime)
    {
        return symbol + " " + Prices.format(bid) + "x" + bidSize + " " + Prices.format(ask) + "x" + askSize + " " +
            exchangeTime + " " + publishTime;
    }

    private static String render(final SummaryJson quote)
    {
        return quote.text("symbol", "?") + " " + quote.text("bid", "?") + "x" + quote.number("bidSize", -1) + " " +
            quote.text("ask", "?") + "x" + quote.number("askSize", -1) + " " + quote.text("exchangeTime", "?") + " " +
            quote.text("publishTime", "?");
    }

    /** Consecutive sequences from {@code first}, each exactly as the journal holds it. */
    private void assertExactlyTheJournal(final List<SummaryJson> quotes, final long first)
    {
        final long last = first + quotes.size() - 1;
        final Map<Long, String> expected = journalQuotes(first, last);
        for (int i = 0; i < quotes.size(); i++)
        {
            final long sequence = quotes.get(i).number("sequence", -1);
            assertEquals(first + i, sequence, "no gap, no duplicate");
            assertEquals(expected.get(sequence), render(quotes.get(i)), "quote " + sequence + " as journaled");
        }
    }

    @Test
    void streamsEveryQuoteAndResumesFromHistoryAndJournalWithNoGapOrDuplicate() throws Exception
    {
        try (FeedProcess publisher = publisher(1);
            FeedProcess gateway = gateway(1, "--history", "1024", "--journal", dir.resolve("journal").toString()))
        {
            final URI base = awaitServing(gateway);

            final long lastSeen;
            try (SseClient live = SseClient.open(base.resolve("/stream"), Map.of()))
            {
                assertEquals(200, live.status());
                assertTrue(live.header("content-type").startsWith("text/event-stream"));
                final List<SummaryJson> quotes = quotes(live, 300);
                final long first = quotes.get(0).number("sequence", -1);
                assertExactlyTheJournal(quotes, first);
                lastSeen = quotes.get(quotes.size() - 1).number("sequence", -1);
            }

            // Away for less than the history holds: served from memory.
            try (SseClient resumed = SseClient.open(base.resolve("/stream"), Map.of("Last-Event-ID", "" + lastSeen)))
            {
                assertExactlyTheJournal(quotes(resumed, 300), lastSeen + 1);
            }

            // Away for more than the history holds (1,024 events at 2,000/s): from the journal, then live.
            Thread.sleep(2_000);
            try (SseClient resumed = SseClient.open(base.resolve("/stream?from=" + lastSeen), Map.of()))
            {
                assertExactlyTheJournal(quotes(resumed, 6_000), lastSeen + 1);
            }

            // A filtered resume: only AAPL, every AAPL quote after the point, from the journal.
            try (SseClient aapl = SseClient.open(base.resolve("/stream?instrument=AAPL&from=" + lastSeen), Map.of()))
            {
                final List<SummaryJson> quotes = quotes(aapl, 200);
                final Map<Long, String> expected = journalQuotes(lastSeen + 1, quotes.get(quotes.size() - 1).number("sequence", -1));
                final List<Long> aaplSequences = new ArrayList<>();
                expected.forEach((sequence, text) ->
                {
                    if (text.startsWith("AAPL "))
                    {
                        aaplSequences.add(sequence);
                    }
                });
                aaplSequences.sort(null);
                assertEquals(aaplSequences.size(), quotes.size(), "every AAPL quote after the point, nothing else");
                for (int i = 0; i < quotes.size(); i++)
                {
                    assertEquals(aaplSequences.get(i), quotes.get(i).number("sequence", -1));
                    assertEquals(expected.get(aaplSequences.get(i)), render(quotes.get(i)));
                }
            }

            // The book: the latest quote of each instrument asked for, as JSON with decimal-string prices.
            final HttpResponse<String> book = get(base.resolve("/book?instrument=AAPL,MSFT"), Map.of());
            assertEquals(200, book.statusCode(), book.body());
            assertTrue(book.body().contains("\"symbol\":\"AAPL\"") && book.body().contains("\"symbol\":\"MSFT\""),
                book.body());
            assertTrue(!book.body().contains("\"symbol\":\"NVDA\""), book.body());
            assertTrue(book.body().matches("(?s).*\"bid\":\"\\d+\\.\\d{2,8}\".*"), book.body());

            // Bad input: a clear status each, counted, and the gateway goes on.
            assertEquals(400, get(base.resolve("/stream"), Map.of("Last-Event-ID", "12x")).statusCode());
            assertEquals(400, get(base.resolve("/stream?from=-5"), Map.of()).statusCode());
            assertEquals(404, get(base.resolve("/stream?instrument=NOPE"), Map.of()).statusCode());
            assertEquals(404, get(base.resolve("/nothing"), Map.of()).statusCode());
            try (SseClient still = SseClient.open(base.resolve("/stream"), Map.of()))
            {
                quotes(still, 10);
            }

            gateway.signal("TERM"); // not stop(): Process.destroy() closes our end of its stdout
            assertEquals(143, gateway.awaitExit(60), gateway.stderr());
            final SummaryJson summary = summary(gateway);
            assertEquals("gateway", summary.text("role", ""));
            // Three resumes: from the history or the journal, whichever held the point when the client came back.
            assertEquals(3, summary.number("journalResumes", 0) + summary.number("resumes", 0), summary.toString());
            assertEquals(4, summary.object("refused").number("badRequest", -1), summary.toString());
            publisher.stop();
            publisher.awaitExit(60);
        }
    }

    @Test
    void withoutALocalJournalResumesGoThroughTheReplayServerAndAnUnknownPointGetsAResetAndASnapshot()
        throws Exception
    {
        try (FeedProcess publisher = publisher(2);
            FeedProcess gateway = gateway(2, "--history", "1024"))
        {
            final URI base = awaitServing(gateway);
            final long lastSeen;
            try (SseClient live = SseClient.open(base.resolve("/stream"), Map.of()))
            {
                final List<SummaryJson> quotes = quotes(live, 100);
                lastSeen = quotes.get(quotes.size() - 1).number("sequence", -1);
            }
            Thread.sleep(2_000); // past the history: 1,024 events at 2,000/s
            try (SseClient resumed = SseClient.open(base.resolve("/stream"), Map.of("Last-Event-ID", "" + lastSeen)))
            {
                assertExactlyTheJournal(quotes(resumed, 6_000), lastSeen + 1);
            }

            // A point this feed never reached (a client of another stream): told so, then a snapshot and live.
            final long unknown = 1_000_000_000_000L;
            try (SseClient client = SseClient.open(base.resolve("/stream?from=" + unknown), Map.of()))
            {
                final SseClient.Event reset = client.nextEvent(10, TimeUnit.SECONDS);
                assertNotNull(reset);
                assertEquals("reset", reset.type(), reset.toString());
                assertEquals(unknown, SummaryJson.parse(reset.data()).number("lastEventId", -1), reset.data());
                // the snapshot: the latest of each of the 20 instruments, in sequence order, then live
                final List<SummaryJson> snapshot = quotes(client, 20);
                final java.util.Set<String> symbols = new java.util.HashSet<>();
                long previous = 0;
                for (final SummaryJson quote : snapshot)
                {
                    symbols.add(quote.text("symbol", ""));
                    assertTrue(quote.number("sequence", -1) > previous);
                    previous = quote.number("sequence", -1);
                }
                assertEquals(20, symbols.size(), "one quote per instrument: " + symbols);
                final List<SummaryJson> live = quotes(client, 100);
                assertTrue(live.get(0).number("sequence", -1) > previous);
            }
            gateway.signal("TERM"); // not stop(): Process.destroy() closes our end of its stdout
            gateway.awaitExit(60);
            assertEquals(1, summary(gateway).number("resets", -1), gateway.summary());
            assertEquals(1, summary(gateway).number("journalResumes", -1), gateway.summary());
            publisher.stop();
            publisher.awaitExit(60);
        }
    }

    @Test
    void aTokenEntitledToAaplReceivesNoOtherSymbolUnderAnyRequest() throws Exception
    {
        final Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "# who sees what\naapl-only-token: AAPL\nall-of-it-token: *\n");
        try (FeedProcess publisher = publisher(3);
            FeedProcess gateway = gateway(3, "--tokens", tokens.toString()))
        {
            gateway.awaitLog("gateway ready on http://", 60);
            final Matcher matcher = PORT.matcher(gateway.stderr());
            assertTrue(matcher.find());
            final URI base = URI.create("http://127.0.0.1:" + matcher.group(1));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (get(base.resolve("/health"), Map.of()).statusCode() != 200)
            {
                assertTrue(System.nanoTime() < deadline);
                Thread.sleep(100);
            }
            final Map<String, String> bearer = Map.of("Authorization", "Bearer aapl-only-token");

            assertEquals(401, get(base.resolve("/stream"), Map.of()).statusCode());
            assertEquals(401, get(base.resolve("/book"), Map.of("Authorization", "Bearer wrong-token-x")).statusCode());
            assertEquals(403, get(base.resolve("/stream?instrument=MSFT"), bearer).statusCode());
            assertEquals(403, get(base.resolve("/stream?instrument=AAPL,MSFT"), bearer).statusCode());
            assertEquals(403, get(base.resolve("/book?instrument=MSFT&token=aapl-only-token"), Map.of()).statusCode());

            final String book = get(base.resolve("/book"), bearer).body();
            assertTrue(book.contains("\"symbol\":\"AAPL\""), book);
            assertEquals(1, book.split("\"symbol\"").length - 1, "only AAPL in the book: " + book);

            final long resumeFrom;
            try (SseClient stream = SseClient.open(base.resolve("/stream?token=aapl-only-token&snapshot=true"), Map.of()))
            {
                assertEquals(200, stream.status());
                final List<SummaryJson> quotes = quotes(stream, 30);
                quotes.forEach(q -> assertEquals("AAPL", q.text("symbol", ""), q.toString()));
                resumeFrom = quotes.get(0).number("sequence", -1);
            }
            try (SseClient resumed = SseClient.open(base.resolve("/stream?from=" + resumeFrom), bearer))
            {
                quotes(resumed, 30).forEach(q -> assertEquals("AAPL", q.text("symbol", ""), q.toString()));
            }
            try (SseClient all = SseClient.open(base.resolve("/stream"), Map.of("Authorization", "Bearer all-of-it-token")))
            {
                final java.util.Set<String> symbols = new java.util.HashSet<>();
                quotes(all, 200).forEach(q -> symbols.add(q.text("symbol", "")));
                assertTrue(symbols.size() > 5, symbols.toString());
            }
            gateway.signal("TERM"); // not stop(): Process.destroy() closes our end of its stdout
            gateway.awaitExit(60);
            final SummaryJson refused = summary(gateway).object("refused");
            assertEquals(2, refused.number("unauthorized", -1), gateway.summary());
            assertEquals(3, refused.number("forbidden", -1), gateway.summary());
            publisher.stop();
            publisher.awaitExit(60);
        }
    }

    @Test
    void aSlowClientIsConflatedAStalledOneDisconnectedAndTheirPeerMissesNothing() throws Exception
    {
        // 10,000/s: the slow client (4 KiB socket, 64 KiB read every 200 ms) is far behind, while the peer's
        // reader thread, sharing two loaded cores with the gateway and the publisher, keeps up; at 20,000/s it
        // fell behind once in a full suite run and was conflated like a slow client.
        try (FeedProcess publisher = publisher(4, 10_000);
            FeedProcess gateway = gateway(4, "--slow-client-timeout", "2s"))
        {
            final URI base = awaitServing(gateway);
            try (SseClient peer = SseClient.open(base.resolve("/stream"), Map.of());
                Socket stalled = rawStream(base, "/stream");
                Socket slow = rawStream(base, "/stream"))
            {
                // The slow one reads a little now and then: between reads, its socket fills and it is conflated.
                final long[] slowSequences = readSlowly(slow, 12, 200);
                for (int i = 1; i < slowSequences.length; i++)
                {
                    assertTrue(slowSequences[i] > slowSequences[i - 1], "in order, never twice");
                }
                // The stalled one never reads: disconnected after 2 s, its memory bounded meanwhile.
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (SummaryJson.parse(get(base.resolve("/health"), Map.of()).body().strip())
                    .number("slowDisconnects", 0) < 1)
                {
                    assertTrue(System.nanoTime() < deadline, "the stalled client was never disconnected");
                    Thread.sleep(100);
                }
                final List<SummaryJson> peerQuotes = quotes(peer, 60_000); // the whole slow and stalled phase
                for (int i = 1; i < peerQuotes.size(); i++)
                {
                    assertEquals(peerQuotes.get(i - 1).number("sequence", -1) + 1,
                        peerQuotes.get(i).number("sequence", -1), "the peer gets every quote");
                }
            }
            gateway.signal("TERM"); // not stop(): Process.destroy() closes our end of its stdout
            gateway.awaitExit(60);
            final SummaryJson summary = summary(gateway);
            assertTrue(summary.number("conflated", 0) > 0, summary.toString());
            assertTrue(summary.number("slowDisconnects", 0) >= 1, summary.toString());
            publisher.stop();
            publisher.awaitExit(60);
        }
    }

    @Test
    void admissionRefusesPastMaxConnectionsAndAFastReconnectingAddress() throws Exception
    {
        try (FeedProcess publisher = publisher(5);
            FeedProcess gateway = gateway(5, "--max-connections", "3", "--reconnect-rate", "1",
                "--reconnect-burst", "8"))
        {
            final URI base = awaitServing(gateway); // a few connections of the burst
            try (Socket a = rawStream(base, "/stream"); Socket b = rawStream(base, "/stream");
                Socket c = rawStream(base, "/stream"))
            {
                final String refused = rawRequest(base, "/stream");
                assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
                assertTrue(refused.toLowerCase().contains("retry-after: 1"), refused);
            }
            String answer = "";
            for (int i = 0; i < 20 && !answer.startsWith("HTTP/1.1 429"); i++)
            {
                answer = rawRequest(base, "/health");
            }
            assertTrue(answer.startsWith("HTTP/1.1 429"), answer);
            assertTrue(answer.toLowerCase().contains("retry-after: 1"), answer);
            gateway.signal("TERM"); // not stop(): Process.destroy() closes our end of its stdout
            gateway.awaitExit(60);
            final SummaryJson refusedCounts = summary(gateway).object("refused");
            assertTrue(refusedCounts.number("busy", 0) >= 1, gateway.summary());
            assertTrue(refusedCounts.number("rate", 0) >= 1, gateway.summary());
            publisher.stop();
            publisher.awaitExit(60);
        }
    }

    @Test
    void aWebSocketClientSubscribesUnsubscribesAndResumesAndBadFramesAreClosedWithACode() throws Exception
    {
        try (FeedProcess publisher = publisher(6);
            FeedProcess gateway = gateway(6, "--journal", dir.resolve("journal").toString()))
        {
            final URI base = awaitServing(gateway);
            final URI ws = URI.create("ws://127.0.0.1:" + base.getPort() + "/ws");
            final WsClient client = WsClient.open(ws);
            client.send("{\"type\":\"subscribe\",\"instruments\":[\"AAPL\"]}");
            assertTrue(client.next().contains("\"type\":\"subscribed\""));
            final List<SummaryJson> aapl = client.quotes(20);
            aapl.forEach(q -> assertEquals("AAPL", q.text("symbol", ""), q.toString()));

            client.send("{\"type\":\"subscribe\",\"instruments\":[\"NOPE\"]}");
            String answer = client.nextNonQuote();
            assertTrue(answer.contains("\"status\":404"), answer);

            client.send("{\"type\":\"subscribe\",\"instruments\":\"MSFT\"}");
            assertTrue(client.nextNonQuote().contains("MSFT"));
            final java.util.Set<String> both = new java.util.HashSet<>();
            client.quotes(100).forEach(q -> both.add(q.text("symbol", "")));
            assertEquals(java.util.Set.of("AAPL", "MSFT"), both);
            client.send("{\"type\":\"unsubscribe\",\"instruments\":[\"AAPL\"]}");
            assertTrue(client.nextNonQuote().contains("subscribed"));
            client.quotes(30).forEach(q -> assertEquals("MSFT", q.text("symbol", ""), q.toString()));

            // Resume from the first AAPL quote seen: every MSFT quote after it, in order, exactly as journaled.
            final long from = aapl.get(0).number("sequence", -1);
            client.send("{\"type\":\"resume\",\"from\":" + from + "}");
            String message;
            do
            {
                message = client.next();
            }
            while (!message.startsWith("{\"type\":\"resumed\""));
            final List<SummaryJson> resumed = client.quotes(50);
            final Map<Long, String> expected = journalQuotes(from + 1, resumed.get(resumed.size() - 1).number("sequence", -1));
            final List<Long> msft = new ArrayList<>();
            expected.forEach((sequence, text) ->
            {
                if (text.startsWith("MSFT "))
                {
                    msft.add(sequence);
                }
            });
            msft.sort(null);
            for (int i = 0; i < resumed.size(); i++)
            {
                assertEquals(msft.get(i), resumed.get(i).number("sequence", -1), "every MSFT quote after the point");
                assertEquals(expected.get(msft.get(i)), render(resumed.get(i)));
            }
            client.close();

            assertEquals(1007, WsClient.open(ws).sendAndAwaitClose("garbage"));
            assertEquals(1003, WsClient.open(ws).sendAndAwaitClose("{\"type\":\"dance\"}"));
            assertEquals(1009, WsClient.open(ws).sendAndAwaitClose("{\"type\":\"" + "x".repeat(5000) + "\"}"));
            assertEquals(1003, WsClient.open(ws).sendBinaryAndAwaitClose());
            try (SseClient still = SseClient.open(base.resolve("/stream"), Map.of()))
            {
                quotes(still, 10);
            }
            gateway.signal("TERM"); // not stop(): Process.destroy() closes our end of its stdout
            gateway.awaitExit(60);
            assertEquals(4, summary(gateway).object("refused").number("badFrame", -1), gateway.summary());
            publisher.stop();
            publisher.awaitExit(60);
        }
    }

    /** The JDK's WebSocket client, its messages handed over through a queue so every wait is bounded. */
    private static final class WsClient implements java.net.http.WebSocket.Listener
    {
        private final java.util.concurrent.BlockingQueue<String> messages = new java.util.concurrent.LinkedBlockingQueue<>();
        private final java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private java.net.http.WebSocket socket;

        static WsClient open(final URI uri) throws Exception
        {
            final WsClient client = new WsClient();
            client.socket = HTTP.newWebSocketBuilder().buildAsync(uri, client).get(10, TimeUnit.SECONDS);
            return client;
        }

        public java.util.concurrent.CompletionStage<?> onText(final java.net.http.WebSocket webSocket,
            final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        public java.util.concurrent.CompletionStage<?> onClose(final java.net.http.WebSocket webSocket,
            final int statusCode, final String reason)
        {
            closed.complete(statusCode);
            return null;
        }

        public void onError(final java.net.http.WebSocket webSocket, final Throwable error)
        {
            closed.complete(-1);
        }

        void send(final String text) throws Exception
        {
            socket.sendText(text, true).get(10, TimeUnit.SECONDS);
        }

        String next() throws InterruptedException
        {
            final String message = messages.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "no message for 10 s");
            return message;
        }

        String nextNonQuote() throws InterruptedException
        {
            String message;
            do
            {
                message = next();
            }
            while (message.startsWith("{\"type\":\"quote\""));
            return message;
        }

        List<SummaryJson> quotes(final int count) throws InterruptedException
        {
            final List<SummaryJson> quotes = new ArrayList<>();
            while (quotes.size() < count)
            {
                final String message = next();
                if (message.startsWith("{\"type\":\"quote\""))
                {
                    quotes.add(SummaryJson.parse(message));
                }
            }
            return quotes;
        }

        int sendAndAwaitClose(final String text) throws Exception
        {
            socket.sendText(text, true);
            return closed.get(10, TimeUnit.SECONDS);
        }

        int sendBinaryAndAwaitClose() throws Exception
        {
            socket.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true);
            return closed.get(10, TimeUnit.SECONDS);
        }

        void close()
        {
            socket.abort();
        }
    }

    /** A client on a raw socket that asked for a stream and reads only when told to. */
    /** A CSV of {@code rows} ticks of the symbols in turn, a millisecond apart. */
    private Path csv(final String name, final int rows, final String... symbols) throws Exception
    {
        final List<String> lines = new ArrayList<>(List.of(io.feedhandler.publisher.CsvTickSource.COLUMNS));
        for (int i = 0; i < rows; i++)
        {
            lines.add(java.time.Instant.parse("2026-11-28T10:00:00Z").plusMillis(i) + "," + symbols[i % symbols.length] +
                "," + (100 + i % 7) + ".10,100," + (100 + i % 7) + ".12,200");
        }
        return Files.write(dir.resolve(name), lines);
    }

    /** Each sequence of the journal up to {@code last}, with the symbol it was published under (its definition then). */
    private Map<Long, String> publishedSymbols(final long last)
    {
        final Map<Long, String> symbols = new HashMap<>();
        try (Journal journal = Journal.openReadOnly(dir.resolve("journal"));
            JournalTail tail = new JournalTail(journal).from(1))
        {
            final InstrumentHistory history = journal.instruments();
            final FeedDecoder decoder = new FeedDecoder(new FeedHandler()
            {
                public void onQuote(final Quote quote)
                {
                    for (final InstrumentHistory.Definition definition : history.at(quote.sequence()))
                    {
                        if (definition.instrument().id() == quote.instrumentId())
                        {
                            symbols.put(quote.sequence(), definition.instrument().symbol());
                        }
                    }
                }
            });
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (symbols.size() < last && System.nanoTime() < deadline)
            {
                tail.poll((sequence, buffer, offset, length) -> decoder.decode(buffer, offset, length), 1024);
            }
        }
        return symbols;
    }

    /** The next quotes are exactly {@code expected} (sequence and symbol), in order. */
    private static void assertStreams(final SseClient stream, final List<Map.Entry<Long, String>> expected)
        throws Exception
    {
        for (final Map.Entry<Long, String> quote : expected)
        {
            final SummaryJson next = quotes(stream, 1).get(0);
            assertEquals(quote.getKey() + " " + quote.getValue(), next.number("sequence", -1) + " " +
                next.text("symbol", "?"));
        }
    }

    /** Publish a CSV on the journal, as one run of its own, until its end. */
    private void publishRun(final int n, final Path csv, final int rate) throws Exception
    {
        final FeedProcess run = FeedScript.run(60, "publish", "--csv", csv.toString(), "--rate", String.valueOf(rate),
            "--connect-timeout", "0s", "--linger", "1s", "--no-replay-server", "--journal", dir.resolve("journal").toString(),
            "--channel", channel(n));
        assertEquals(0, run.exitCode(), run.stderr());
    }

    @Test
    void aRenamedInstrumentIdNeverGivesOneSymbolsQuotesToAnotherSymbolsClient() throws Exception
    {
        // Three runs on one journal: id 1 is AAPL (id 2 MSFT), then MSFT, then AAPL again. The gateway
        // starts after the first: a resume from 0 reads it from the journal, the rest from the history.
        publishRun(7, csv("first.csv", 600, "AAPL", "MSFT"), 0);
        final Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "msft-token: MSFT\naapl-token: AAPL\nall-token: *\n");
        try (FeedProcess gateway = gateway(7, "--journal", dir.resolve("journal").toString(), "--history", "4096",
            "--tokens", tokens.toString()))
        {
            gateway.awaitLog("gateway ready on http://", 60);
            publishRun(7, csv("second.csv", 600, "MSFT"), 1000);
            publishRun(7, csv("third.csv", 600, "AAPL"), 1000);
            final URI base = awaitServing(gateway);
            final long last = 1800;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (SummaryJson.parse(get(base.resolve("/health"), Map.of()).body().strip())
                .number("lastSequence", 0) < last)
            {
                assertTrue(System.nanoTime() < deadline, "the gateway never got the last run:\n" + gateway.stderr());
                Thread.sleep(100);
            }
            final Map<Long, String> published = publishedSymbols(last);
            assertEquals(List.of("AAPL", "MSFT", "AAPL"), List.of(published.get(1L), published.get(601L), published.get(last)),
                "id 1 in each run");
            for (final String symbol : List.of("MSFT", "AAPL"))
            {
                final List<Map.Entry<Long, String>> expected = published.entrySet().stream()
                    .filter(e -> e.getValue().equals(symbol)).sorted(Map.Entry.comparingByKey()).toList();
                final Map<String, String> bearer = Map.of("Authorization", "Bearer " + symbol.toLowerCase() + "-token");
                try (SseClient resumed = SseClient.open(base.resolve("/stream?from=0"), bearer))
                {
                    assertStreams(resumed, expected);
                }
                // Only AAPL's id 1 quotes are the latest of a definition in force; MSFT's id 2 has none since the start.
                final String book = get(base.resolve("/book"), bearer).body();
                final int quotes = book.split("\"symbol\"").length - 1;
                assertEquals(quotes, book.split("\"symbol\":\"" + symbol + "\"").length - 1, "only " + symbol + ": " + book);
                assertEquals(symbol.equals("AAPL") ? 1 : 0, quotes, "MSFT's id 1 was renamed since: " + book);
                try (SseClient snapshot = SseClient.open(base.resolve("/stream?snapshot=true"), bearer))
                {
                    final SseClient.Event event = snapshot.nextEvent(3, TimeUnit.SECONDS);
                    assertEquals(symbol.equals("AAPL") ? "AAPL " + last : null, event == null ? null :
                        SummaryJson.parse(event.data()).text("symbol", "?") + " " + event.sequence(), String.valueOf(event));
                }
            }
            try (SseClient all = SseClient.open(base.resolve("/stream?from=0"), Map.of("Authorization", "Bearer all-token")))
            {
                assertStreams(all, published.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList());
            }
            gateway.signal("TERM"); // not stop(): Process.destroy() closes our end of its stdout
            gateway.awaitExit(60);
        }
    }

    @Test
    void aWebSocketClientThatPingsWithoutReadingCannotGrowTheGatewaysMemory() throws Exception
    {
        try (FeedProcess publisher = publisher(8);
            FeedProcess gateway = gateway(8))
        {
            final URI base = awaitServing(gateway);
            final Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.setSendBufferSize(4096);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            final OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Masked pings of 125 bytes, sent on and on; nothing is ever read.
            final byte[] pings = new byte[131 * 512];
            for (int i = 0; i < 512; i++)
            {
                pings[i * 131] = (byte)0x89;
                pings[i * 131 + 1] = (byte)(0x80 | 125);
            }
            final long limit = 64L << 20;
            final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            final Thread sender = new Thread(() ->
            {
                try
                {
                    while (sent.get() < limit)
                    {
                        out.write(pings);
                        sent.addAndGet(pings.length);
                    }
                }
                catch (final java.io.IOException ex)
                {
                    // closed: by the gateway (a slow client), or by us
                }
            });
            sender.setDaemon(true);
            sender.start();
            long before = -1;
            while (sent.get() != before && sent.get() < limit)
            {
                before = sent.get();
                Thread.sleep(1_000);
            }
            final long total = sent.get();
            socket.close();
            sender.join(10_000);
            assertTrue(total < 16L << 20, "the gateway kept reading, and answering, a client that reads nothing: " + total);
            gateway.signal("TERM");
            gateway.awaitExit(60);
            publisher.stop();
            publisher.awaitExit(60);
        }
    }

    private static Socket rawStream(final URI base, final String path) throws Exception
    {
        final Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        socket.setSoTimeout(10_000);
        final OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static String rawRequest(final URI base, final String path) throws Exception
    {
        try (Socket socket = rawStream(base, path))
        {
            final InputStream in = socket.getInputStream();
            final byte[] bytes = new byte[2048];
            int length = 0;
            int read;
            while (length < bytes.length && (read = in.read(bytes, length, bytes.length - length)) > 0)
            {
                length += read;
                if (new String(bytes, 0, length, StandardCharsets.US_ASCII).contains("\r\n\r\n"))
                {
                    break;
                }
            }
            return new String(bytes, 0, length, StandardCharsets.US_ASCII);
        }
    }

    /** Read {@code rounds} times 64 KiB, pausing between; the sequences of the whole events read. */
    private static long[] readSlowly(final Socket socket, final int rounds, final long pauseMillis) throws Exception
    {
        final InputStream in = socket.getInputStream();
        final StringBuilder text = new StringBuilder();
        final byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < rounds; i++)
        {
            Thread.sleep(pauseMillis);
            int got = 0;
            while (got < chunk.length)
            {
                final int read = in.read(chunk, 0, chunk.length - got);
                if (read < 0)
                {
                    break;
                }
                got += read;
                text.append(new String(chunk, 0, read, StandardCharsets.US_ASCII));
            }
        }
        final List<Long> sequences = new ArrayList<>();
        final Matcher id = Pattern.compile("\nid: (\\d+)\nevent: quote\ndata: [^\n]*\n\n").matcher(text);
        while (id.find())
        {
            sequences.add(Long.parseLong(id.group(1)));
        }
        return sequences.stream().mapToLong(Long::longValue).toArray();
    }
}
