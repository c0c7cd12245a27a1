package io.feedhandler.replay.client;

import io.feedhandler.replay.ReplayMessages;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.feedhandler.codecs.FeedHandler;
import org.agrona.CloseHelper;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The requester's side of the replay protocol: sends requests to a replay server's control channel
 * and reads the answers from its own response channel (a port the driver picks unless the channel
 * names one). Only the session of the current request is listened to: quotes from an earlier,
 * stopped session that are still in flight are dropped, keyed on the Aeron session that carried the
 * current request's {@code ReplayBegin}. Not thread-safe; allocates nothing per replayed quote.
 * <p>
 * A client may know several servers (a subscriber's {@code --replay-channel} list): one control
 * publication each, all added at once so each one's connection is known, and one response channel
 * they all answer on. Each request names its server; which to ask is the caller's choice. The methods
 * without a server ask the first.
 */
public final class ReplayClient implements AutoCloseable
{
    public static final long NOT_SENT = -1;

    private final ExclusivePublication[] controls;
    private final List<String> replayChannels;
    private final Subscription responses;
    private final int responseStreamId;
    private final ReplayMessages messages = new ReplayMessages();
    private final ReplayResponses responseHandler;
    private final FragmentHandler fragmentHandler;
    private String resolvedResponseChannel;
    /** The server that took the current request; -1 when there is none. */
    private int requestServer = -1;

    public ReplayClient(
        final Aeron aeron, final String replayChannel, final int replayStreamId, final String responseChannel,
        final int responseStreamId, final ReplayListener listener, final FeedHandler quotes)
    {
        this(aeron, List.of(replayChannel), replayStreamId, responseChannel, responseStreamId, listener, quotes);
    }

    /** @param replayChannels the servers' request channels, at least one. */
    public ReplayClient(
        final Aeron aeron, final List<String> replayChannels, final int replayStreamId, final String responseChannel,
        final int responseStreamId, final ReplayListener listener, final FeedHandler quotes)
    {
        if (replayChannels.isEmpty())
        {
            throw new IllegalArgumentException("no replay server named");
        }
        this.replayChannels = List.copyOf(replayChannels);
        this.responseHandler = new ReplayResponses(listener, quotes);
        this.fragmentHandler = new FragmentAssembler(
            (buffer, offset, length, header) -> responseHandler.onMessage(buffer, offset, length, header.sessionId()));
        this.responseStreamId = responseStreamId;
        this.responses = aeron.addSubscription(responseChannel, responseStreamId);
        this.controls = new ExclusivePublication[replayChannels.size()];
        try
        {
            for (int i = 0; i < controls.length; i++)
            {
                controls[i] = aeron.addExclusivePublication(this.replayChannels.get(i), replayStreamId);
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(controls);
            CloseHelper.quietClose(responses);
            throw ex;
        }
    }

    /** How many servers this client knows. */
    public int servers()
    {
        return controls.length;
    }

    /** The request channel of {@code server}. */
    public String channel(final int server)
    {
        return replayChannels.get(server);
    }

    /** Whether a request can be sent to the first server now: it listens and our response channel is bound. */
    public boolean isReady()
    {
        return isReady(0);
    }

    /** Whether a request can be sent to {@code server} now: it listens and our response channel is bound. */
    public boolean isReady(final int server)
    {
        return controls[server].isConnected() && responseChannel() != null;
    }

    /** {@link #request(int, long, long)} of the first server. */
    public long request(final long fromSequence, final long toSequence)
    {
        return request(0, fromSequence, toSequence);
    }

    /**
     * Ask {@code server} for {@code fromSequence..toSequence} ({@code toSequence} 0: open-ended, following
     * the journal until {@link #stop()}). Replaces any current request as the one listened to.
     *
     * @return the request's correlation id, or {@link #NOT_SENT} when it could not be sent now.
     */
    public long request(final int server, final long fromSequence, final long toSequence)
    {
        final String channel = responseChannel();
        if (channel == null || !controls[server].isConnected())
        {
            return NOT_SENT;
        }
        final long id = newCorrelationId();
        return send(server, id, messages.request(id, fromSequence, toSequence, responseStreamId, channel));
    }

    /** {@link #requestSnapshot(int)} of the first server. */
    public long requestSnapshot()
    {
        return requestSnapshot(0);
    }

    /**
     * Ask {@code server} for a snapshot (the latest quote of every instrument as of some sequence S),
     * then the journal from S + 1, open-ended, until {@link #stop()}. Replaces any current request. The
     * snapshot's quotes reach the quote handler's {@code onSnapshotBatch}/{@code onSnapshotQuote} after
     * {@code ReplayBegin} (from S + 1), the ticks after it its {@code onQuote}.
     *
     * @return the request's correlation id, or {@link #NOT_SENT} when it could not be sent now.
     */
    public long requestSnapshot(final int server)
    {
        final String channel = responseChannel();
        if (channel == null || !controls[server].isConnected())
        {
            return NOT_SENT;
        }
        final long id = newCorrelationId();
        return send(server, id, messages.snapshotRequest(id, responseStreamId, channel));
    }

    /** {@link #requestFiltered(int, long, long, String)} of the first server. */
    public long requestFiltered(final long fromSequence, final long toSequence, final String instruments)
    {
        return requestFiltered(0, fromSequence, toSequence, instruments);
    }

    /**
     * Ask {@code server} for {@code fromSequence..toSequence} ({@code toSequence} 0: open-ended), only
     * the quotes of {@code instruments} (symbols or ids, separated by commas, matched under the
     * definition each tick was published with). After {@code ReplayBegin} and every definition in
     * force, they reach the quote handler's {@code onFilteredBatch}/{@code onFilteredQuote}/
     * {@code onFilteredBatchEnd}, whose marker says nothing else of these instruments comes up to its
     * sequence. Replaces any current request.
     *
     * @return the request's correlation id, or {@link #NOT_SENT} when it could not be sent now.
     */
    public long requestFiltered(
        final int server, final long fromSequence, final long toSequence, final String instruments)
    {
        final String channel = responseChannel();
        if (channel == null || !controls[server].isConnected())
        {
            return NOT_SENT;
        }
        final long id = newCorrelationId();
        return send(server, id,
            messages.filteredRequest(id, fromSequence, toSequence, responseStreamId, instruments, channel));
    }

    private static long newCorrelationId()
    {
        return ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    }

    private long send(final int server, final long id, final int length)
    {
        if (controls[server].offer(messages.buffer(), 0, length) < 0)
        {
            return NOT_SENT;
        }
        responseHandler.expect(id);
        requestServer = server;
        return id;
    }

    /** Stop the current request's session, if any, at the server that took it. */
    public void stop()
    {
        final long correlationId = responseHandler.correlationId();
        if (correlationId != NOT_SENT && requestServer >= 0)
        {
            final int length = messages.stop(correlationId);
            controls[requestServer].offer(messages.buffer(), 0, length);
        }
        responseHandler.expect(NOT_SENT);
    }

    public long correlationId()
    {
        return responseHandler.correlationId();
    }

    /** The server that took the last request sent; -1 before any. */
    public int requestServer()
    {
        return requestServer;
    }

    /** Read what has arrived, at most {@code limit} messages. */
    public int poll(final int limit)
    {
        return responses.poll(fragmentHandler, limit);
    }

    /** Quotes dropped because they belonged to an earlier session. */
    public long staleDropped()
    {
        return responseHandler.staleDropped();
    }

    /** Whether the first server's control channel is connected: it listens, and its status messages reach us. */
    public boolean serverConnected()
    {
        return serverConnected(0);
    }

    /** Whether {@code server}'s control channel is connected: it listens, and its status messages reach us. */
    public boolean serverConnected(final int server)
    {
        return controls[server].isConnected();
    }

    /** The {@code endpoint} answers are asked to go to (with the port the driver picked); null before it is bound. */
    public String responseEndpoint()
    {
        final String channel = responseChannel();
        return channel == null ? null : io.aeron.ChannelUri.parse(channel).get("endpoint");
    }

    private String responseChannel()
    {
        if (resolvedResponseChannel == null)
        {
            resolvedResponseChannel = responses.tryResolveChannelEndpointPort();
        }
        return resolvedResponseChannel;
    }

    public void close()
    {
        stop();
        CloseHelper.quietCloseAll(controls);
        CloseHelper.quietClose(responses);
    }
}
