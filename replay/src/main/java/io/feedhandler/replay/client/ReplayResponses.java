package io.feedhandler.replay.client;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.MalformedReason;
import io.feedhandler.sbe.MessageHeaderDecoder;
import io.feedhandler.sbe.ReplayBeginDecoder;
import io.feedhandler.sbe.ReplayEndDecoder;
import io.feedhandler.sbe.ReplayEndReason;
import io.feedhandler.sbe.ReplayErrorCode;
import io.feedhandler.sbe.ReplayErrorDecoder;
import org.agrona.DirectBuffer;

/**
 * How a {@link ReplayClient} reads what comes back on its response channel, apart from the network,
 * so it can be fed arbitrary bytes (the fuzz tests). Replayed quotes go from the response bytes
 * through the decoder straight to the quote handler: two hops. Session messages of the current request are
 * handed on; quotes only when they come on the Aeron session that carried the current request's
 * {@code ReplayBegin}; anything too short for what its header claims is counted malformed.
 */
public final class ReplayResponses
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ReplayBeginDecoder beginDecoder = new ReplayBeginDecoder();
    private final ReplayEndDecoder endDecoder = new ReplayEndDecoder();
    private final ReplayErrorDecoder errorDecoder = new ReplayErrorDecoder();
    private final ReplayListener listener;
    private final FeedHandler quotes;
    private final FeedDecoder quoteDecoder;
    private long correlationId = ReplayClient.NOT_SENT;
    private int activeSessionId;
    private boolean sessionActive;
    private long staleDropped;

    /**
     * @param listener hears the session's begin, end and errors.
     * @param quotes   receives the replayed quotes, decoded, and every malformed message with its reason.
     */
    public ReplayResponses(final ReplayListener listener, final FeedHandler quotes)
    {
        this.listener = listener;
        this.quotes = quotes;
        this.quoteDecoder = new FeedDecoder(quotes);
    }

    /** Listen for the answer to the request {@code correlationId} ({@link ReplayClient#NOT_SENT}: to none). */
    public void expect(final long correlationId)
    {
        this.correlationId = correlationId;
        sessionActive = false;
    }

    public long correlationId()
    {
        return correlationId;
    }

    /** Quotes dropped because they were not of the current request's session. */
    public long staleDropped()
    {
        return staleDropped;
    }

    /** One message from the response channel, carried by the Aeron session {@code sessionId}. */
    public void onMessage(final DirectBuffer buffer, final int offset, final int length, final int sessionId)
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
                    onSessionMessage(templateId, buffer, offset, length, sessionId);
                    return;
                }
            }
        }
        if (sessionActive && sessionId == activeSessionId)
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
            quotes.onMalformed(MalformedReason.TRUNCATED);
            return;
        }
        switch (templateId)
        {
            case ReplayBeginDecoder.TEMPLATE_ID:
            {
                if (blockLength < ReplayBeginDecoder.epochEncodingOffset())
                {
                    quotes.onMalformed(MalformedReason.BAD_BLOCK_LENGTH);
                    return;
                }
                beginDecoder.wrap(buffer, bodyOffset, blockLength, header.version());
                if (beginDecoder.correlationId() == correlationId && correlationId != ReplayClient.NOT_SENT)
                {
                    activeSessionId = sessionId;
                    sessionActive = true;
                    final long epoch = blockLength >= ReplayBeginDecoder.BLOCK_LENGTH &&
                        header.version() >= ReplayBeginDecoder.epochSinceVersion() ? beginDecoder.epoch() : 0;
                    listener.onReplayBegin(correlationId, beginDecoder.fromSequence(), beginDecoder.toSequence(),
                        beginDecoder.journalLastSequence(), epoch);
                }
                break;
            }
            case ReplayEndDecoder.TEMPLATE_ID:
            {
                if (blockLength < ReplayEndDecoder.BLOCK_LENGTH)
                {
                    quotes.onMalformed(MalformedReason.BAD_BLOCK_LENGTH);
                    return;
                }
                endDecoder.wrap(buffer, bodyOffset, blockLength, header.version());
                final short reason = endDecoder.reasonRaw();
                if (endDecoder.correlationId() == correlationId && correlationId != ReplayClient.NOT_SENT)
                {
                    sessionActive = false;
                    correlationId = ReplayClient.NOT_SENT;
                    listener.onReplayEnd(endDecoder.correlationId(), endDecoder.lastSequence(),
                        reason == ReplayEndReason.STOPPED.value() ? ReplayEndReason.STOPPED : ReplayEndReason.COMPLETED);
                }
                break;
            }
            default:
            {
                if (blockLength < ReplayErrorDecoder.BLOCK_LENGTH)
                {
                    quotes.onMalformed(MalformedReason.BAD_BLOCK_LENGTH);
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
                if (id == correlationId && correlationId != ReplayClient.NOT_SENT)
                {
                    sessionActive = false;
                    correlationId = ReplayClient.NOT_SENT;
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

}
