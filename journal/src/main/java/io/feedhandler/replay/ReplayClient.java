package io.feedhandler.replay;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.sbe.MessageHeaderDecoder;
import io.feedhandler.sbe.ReplayBeginDecoder;
import io.feedhandler.sbe.ReplayEndDecoder;
import io.feedhandler.sbe.ReplayEndReason;
import io.feedhandler.sbe.ReplayErrorCode;
import io.feedhandler.sbe.ReplayErrorDecoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

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
    /** Where a requester listens by default: a port of the driver's choosing on loopback. */
    public static final String DEFAULT_RESPONSE_CHANNEL = "aeron:udp?endpoint=127.0.0.1:0";
    public static final int DEFAULT_RESPONSE_STREAM_ID = 1003;
    public static final long NOT_SENT = -1;

    private final ExclusivePublication control;
    private final Subscription responses;
    private final int responseStreamId;
    private final ReplayMessages messages = new ReplayMessages();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ReplayBeginDecoder beginDecoder = new ReplayBeginDecoder();
    private final ReplayEndDecoder endDecoder = new ReplayEndDecoder();
    private final ReplayErrorDecoder errorDecoder = new ReplayErrorDecoder();
    private final FragmentHandler fragmentHandler = new FragmentAssembler(this::onFragment);
    private final ReplayListener listener;
    private final FeedDecoder quoteDecoder;
    private String resolvedResponseChannel;
    private long correlationId = NOT_SENT;
    private int activeSessionId;
    private boolean sessionActive;
    private long staleDropped;

    public ReplayClient(
        final Aeron aeron, final String controlChannel, final int controlStreamId, final String responseChannel,
        final int responseStreamId, final ReplayListener listener)
    {
        this.listener = listener;
        this.quoteDecoder = new FeedDecoder(listener);
        this.responseStreamId = responseStreamId;
        this.responses = aeron.addSubscription(responseChannel, responseStreamId);
        try
        {
            this.control = aeron.addExclusivePublication(controlChannel, controlStreamId);
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
        correlationId = id;
        sessionActive = false;
        return id;
    }

    /** Stop the current request's session, if any. */
    public void stop()
    {
        if (correlationId != NOT_SENT)
        {
            final int length = messages.stop(correlationId);
            control.offer(messages.buffer(), 0, length);
            correlationId = NOT_SENT;
            sessionActive = false;
        }
    }

    public long correlationId()
    {
        return correlationId;
    }

    /** Read what has arrived, at most {@code limit} messages. */
    public int poll(final int limit)
    {
        return responses.poll(fragmentHandler, limit);
    }

    /** Quotes dropped because they belonged to an earlier session. */
    public long staleDropped()
    {
        return staleDropped;
    }

    private String responseChannel()
    {
        if (resolvedResponseChannel == null)
        {
            resolvedResponseChannel = responses.tryResolveChannelEndpointPort();
        }
        return resolvedResponseChannel;
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header h)
    {
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH)
        {
            header.wrap(buffer, offset);
            if (header.schemaId() == MessageHeaderDecoder.SCHEMA_ID)
            {
                final int templateId = header.templateId();
                if (templateId == ReplayBeginDecoder.TEMPLATE_ID ||
                    templateId == ReplayEndDecoder.TEMPLATE_ID ||
                    templateId == ReplayErrorDecoder.TEMPLATE_ID)
                {
                    onSessionMessage(templateId, buffer, offset, length, h.sessionId());
                    return;
                }
            }
        }
        if (sessionActive && h.sessionId() == activeSessionId)
        {
            quoteDecoder.decode(buffer, offset, length);
        }
        else
        {
            staleDropped++;
        }
    }

    private void onSessionMessage(
        final int templateId, final DirectBuffer buffer, final int offset, final int length, final int sessionId)
    {
        final int blockLength = header.blockLength();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (MessageHeaderDecoder.ENCODED_LENGTH + blockLength > length)
        {
            listener.onMalformed(MalformedReason.TRUNCATED);
            return;
        }
        switch (templateId)
        {
            case ReplayBeginDecoder.TEMPLATE_ID:
            {
                if (blockLength < ReplayBeginDecoder.BLOCK_LENGTH)
                {
                    listener.onMalformed(MalformedReason.BAD_BLOCK_LENGTH);
                    return;
                }
                beginDecoder.wrap(buffer, bodyOffset, blockLength, header.version());
                if (beginDecoder.correlationId() == correlationId)
                {
                    activeSessionId = sessionId;
                    sessionActive = true;
                    listener.onReplayBegin(correlationId, beginDecoder.fromSequence(), beginDecoder.toSequence(),
                        beginDecoder.journalLastSequence());
                }
                break;
            }
            case ReplayEndDecoder.TEMPLATE_ID:
            {
                if (blockLength < ReplayEndDecoder.BLOCK_LENGTH)
                {
                    listener.onMalformed(MalformedReason.BAD_BLOCK_LENGTH);
                    return;
                }
                endDecoder.wrap(buffer, bodyOffset, blockLength, header.version());
                final short reason = endDecoder.reasonRaw();
                if (endDecoder.correlationId() == correlationId && correlationId != NOT_SENT)
                {
                    sessionActive = false;
                    correlationId = NOT_SENT;
                    listener.onReplayEnd(endDecoder.correlationId(), endDecoder.lastSequence(),
                        reason == ReplayEndReason.STOPPED.value() ? ReplayEndReason.STOPPED : ReplayEndReason.COMPLETED);
                }
                break;
            }
            default:
            {
                if (blockLength < ReplayErrorDecoder.BLOCK_LENGTH)
                {
                    listener.onMalformed(MalformedReason.BAD_BLOCK_LENGTH);
                    return;
                }
                errorDecoder.wrap(buffer, bodyOffset, blockLength, header.version());
                final long id = errorDecoder.correlationId();
                final ReplayErrorCode code = errorCode(errorDecoder.codeRaw());
                final long first = errorDecoder.firstSequence();
                final long last = errorDecoder.lastSequence();
                final int messageOffset = MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
                String message = "";
                if (messageOffset + ReplayErrorDecoder.messageHeaderLength() <= length)
                {
                    final long textLength = buffer.getInt(offset + messageOffset, ReplayErrorDecoder.BYTE_ORDER) &
                        0xFFFF_FFFFL;
                    if (messageOffset + ReplayErrorDecoder.messageHeaderLength() + textLength <= length)
                    {
                        message = errorDecoder.message();
                    }
                }
                if (id == correlationId && correlationId != NOT_SENT)
                {
                    sessionActive = false;
                    correlationId = NOT_SENT;
                    listener.onReplayError(id, code, first, last, message);
                }
            }
        }
    }

    private static ReplayErrorCode errorCode(final short raw)
    {
        for (final ReplayErrorCode code : ReplayErrorCode.values())
        {
            if (code.value() == raw && code != ReplayErrorCode.NULL_VAL)
            {
                return code;
            }
        }
        return ReplayErrorCode.MALFORMED_REQUEST;
    }

    public void close()
    {
        stop();
        CloseHelper.quietCloseAll(control, responses);
    }
}
