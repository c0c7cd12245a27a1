package io.feedhandler.replay.client;

import io.feedhandler.replay.ReplayMessages;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.feedhandler.codecs.FeedHandler;
import org.agrona.CloseHelper;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The requester's side of the replay protocol: sends requests to a replay server's control channel
 * and reads the answers from its own response channel (a port the driver picks unless the channel
 * names one). Only the session of the current request is listened to: quotes from an earlier,
 * stopped session that are still in flight are dropped, keyed on the Aeron session that carried the
 * current request's {@code ReplayBegin}. Not thread-safe; allocates nothing per replayed quote.
 */
public final class ReplayClient implements AutoCloseable
{
    public static final long NOT_SENT = -1;

    private final ExclusivePublication control;
    private final Subscription responses;
    private final int responseStreamId;
    private final ReplayMessages messages = new ReplayMessages();
    private final ReplayResponses responseHandler;
    private final FragmentHandler fragmentHandler;
    private String resolvedResponseChannel;

    public ReplayClient(
        final Aeron aeron, final String replayChannel, final int replayStreamId, final String responseChannel,
        final int responseStreamId, final ReplayListener listener, final FeedHandler quotes)
    {
        this.responseHandler = new ReplayResponses(listener, quotes);
        this.fragmentHandler = new FragmentAssembler(
            (buffer, offset, length, header) -> responseHandler.onMessage(buffer, offset, length, header.sessionId()));
        this.responseStreamId = responseStreamId;
        this.responses = aeron.addSubscription(responseChannel, responseStreamId);
        try
        {
            this.control = aeron.addExclusivePublication(replayChannel, replayStreamId);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(responses);
            throw ex;
        }
    }

    /** Whether a request can be sent now: a server is listening and our response channel is bound. */
    public boolean isReady()
    {
        return control.isConnected() && responseChannel() != null;
    }

    /**
     * Ask for {@code fromSequence..toSequence} ({@code toSequence} 0: open-ended, following the
     * journal until {@link #stop()}). Replaces any current request.
     *
     * @return the request's correlation id, or {@link #NOT_SENT} when it could not be sent now.
     */
    public long request(final long fromSequence, final long toSequence)
    {
        final String channel = responseChannel();
        if (channel == null || !control.isConnected())
        {
            return NOT_SENT;
        }
        final long id = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        final int length = messages.request(id, fromSequence, toSequence, responseStreamId, channel);
        if (control.offer(messages.buffer(), 0, length) < 0)
        {
            return NOT_SENT;
        }
        responseHandler.expect(id);
        return id;
    }

    /**
     * Ask for a snapshot (the latest quote of every instrument as of some sequence S), then the journal
     * from S + 1, open-ended, until {@link #stop()}. Replaces any current request. The snapshot's
     * quotes reach the quote handler's {@code onSnapshotBatch}/{@code onSnapshotQuote} after
     * {@code ReplayBegin} (from S + 1), the ticks after it its {@code onQuote}.
     *
     * @return the request's correlation id, or {@link #NOT_SENT} when it could not be sent now.
     */
    public long requestSnapshot()
    {
        final String channel = responseChannel();
        if (channel == null || !control.isConnected())
        {
            return NOT_SENT;
        }
        final long id = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        final int length = messages.snapshotRequest(id, responseStreamId, channel);
        if (control.offer(messages.buffer(), 0, length) < 0)
        {
            return NOT_SENT;
        }
        responseHandler.expect(id);
        return id;
    }

    /**
     * Ask for {@code fromSequence..toSequence} ({@code toSequence} 0: open-ended), only the quotes of
     * {@code instruments} (symbols or ids, separated by commas, matched under the definition each tick
     * was published with). After {@code ReplayBegin} and every definition in force, they reach the
     * quote handler's {@code onFilteredBatch}/{@code onFilteredQuote}/{@code onFilteredBatchEnd}, whose
     * marker says nothing else of these instruments comes up to its sequence. Replaces any current request.
     *
     * @return the request's correlation id, or {@link #NOT_SENT} when it could not be sent now.
     */
    public long requestFiltered(final long fromSequence, final long toSequence, final String instruments)
    {
        final String channel = responseChannel();
        if (channel == null || !control.isConnected())
        {
            return NOT_SENT;
        }
        final long id = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        final int length = messages.filteredRequest(id, fromSequence, toSequence, responseStreamId, instruments, channel);
        if (control.offer(messages.buffer(), 0, length) < 0)
        {
            return NOT_SENT;
        }
        responseHandler.expect(id);
        return id;
    }

    /** Stop the current request's session, if any. */
    public void stop()
    {
        final long correlationId = responseHandler.correlationId();
        if (correlationId != NOT_SENT)
        {
            final int length = messages.stop(correlationId);
            control.offer(messages.buffer(), 0, length);
            responseHandler.expect(NOT_SENT);
        }
    }

    public long correlationId()
    {
        return responseHandler.correlationId();
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

    /** Whether a replay server's control channel is connected: it listens, and its status messages reach us. */
    public boolean serverConnected()
    {
        return control.isConnected();
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
        CloseHelper.quietCloseAll(control, responses);
    }
}
