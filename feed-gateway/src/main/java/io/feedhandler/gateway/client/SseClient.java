package io.feedhandler.gateway.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client on the JDK's own HTTP client: what the tests and tools use to read a
 * gateway as a service would. Events are parsed on a reader thread of the client's own (the
 * {@code text/event-stream} rules: {@code id}, {@code event}, {@code data} lines, a blank line ends an
 * event, lines starting with ':' are comments) and handed over through a queue, so every wait is
 * bounded. Not for many clients at once: one thread each.
 */
public final class SseClient implements AutoCloseable
{
    /** One event as it arrived; {@code id} is null when the event had none. Comments arrive as type ":". */
    public record Event(String id, String type, String data)
    {
        public long sequence()
        {
            return id == null ? -1 : Long.parseLong(id);
        }
    }

    private static final Event END = new Event(null, "end", "");
    private static final HttpClient HTTP = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean closed;

    private SseClient(final HttpResponse<InputStream> response)
    {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        this.reader.setDaemon(true);
        if (response.statusCode() == 200)
        {
            reader.start();
        }
    }

    /**
     * Connect; the answer's status and headers are there when this returns.
     *
     * @param headers extra request headers, e.g. {@code Last-Event-ID} or {@code Authorization}.
     */
    public static SseClient open(final URI uri, final Map<String, String> headers) throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Accept", "text/event-stream");
        headers.forEach(request::header);
        return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    public int status()
    {
        return response.statusCode();
    }

    public String header(final String name)
    {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The whole body of an answer that is not a stream (an error's JSON). */
    public String body() throws IOException
    {
        try (InputStream in = response.body())
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The next event or comment; null when none came within the timeout or the stream ended. */
    public Event next(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final Event event = events.poll(timeout, unit);
        if (event == END)
        {
            events.add(END);
            return null;
        }
        return event;
    }

    /** The next event that is not a comment; null on timeout or end. */
    public Event nextEvent(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true)
        {
            final Event event = next(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null || !event.type().equals(":"))
            {
                return event;
            }
        }
    }

    /** Whether the server has closed the stream (everything before the end was delivered first). */
    public boolean ended()
    {
        return events.peek() == END;
    }

    private void read()
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)))
        {
            String id = null;
            String type = "message";
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null)
            {
                if (line.isEmpty())
                {
                    if (data != null)
                    {
                        events.add(new Event(id, type, data.toString()));
                    }
                    id = null;
                    type = "message";
                    data = null;
                }
                else if (line.startsWith(":"))
                {
                    events.add(new Event(null, ":", line.substring(1)));
                }
                else
                {
                    final int colon = line.indexOf(':');
                    final String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" "))
                    {
                        value = value.substring(1);
                    }
                    switch (field)
                    {
                        case "id" -> id = value;
                        case "event" -> type = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default ->
                        {
                        }
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            // closed by us, or the connection went away: the stream has ended either way
        }
        finally
        {
            events.add(END);
        }
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                response.body().close();
            }
            catch (final IOException ignored)
            {
                // closing: nothing to do about it
            }
        }
    }
}
