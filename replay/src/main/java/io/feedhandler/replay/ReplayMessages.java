package io.feedhandler.replay;

import io.feedhandler.sbe.FilteredReplayRequestDecoder;
import io.feedhandler.sbe.FilteredReplayRequestEncoder;
import io.feedhandler.sbe.MessageHeaderDecoder;
import io.feedhandler.sbe.MessageHeaderEncoder;
import io.feedhandler.sbe.ReplayBeginEncoder;
import io.feedhandler.sbe.ReplayEndEncoder;
import io.feedhandler.sbe.ReplayEndReason;
import io.feedhandler.sbe.ReplayErrorCode;
import io.feedhandler.sbe.ReplayErrorEncoder;
import io.feedhandler.sbe.ReplayRequestDecoder;
import io.feedhandler.sbe.ReplayRequestEncoder;
import io.feedhandler.sbe.ReplayStopEncoder;
import io.feedhandler.sbe.SnapshotRequestDecoder;
import io.feedhandler.sbe.SnapshotRequestEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encoding of the replay protocol's messages (see the schema, templates 10-14), and the length
 * checks that make decoding a request from an untrusted network safe. One instance per thread.
 */
public final class ReplayMessages
{
    /** Longest response channel a request may name. */
    public static final int MAX_CHANNEL_LENGTH = 1024;
    /** Longest instrument list a filtered request may name (about a thousand symbols). */
    public static final int MAX_INSTRUMENTS_LENGTH = 16 * 1024;
    /** Longest error text sent back. */
    public static final int MAX_MESSAGE_LENGTH = 512;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ReplayRequestEncoder request = new ReplayRequestEncoder();
    private final ReplayStopEncoder stop = new ReplayStopEncoder();
    private final SnapshotRequestEncoder snapshotRequest = new SnapshotRequestEncoder();
    private final FilteredReplayRequestEncoder filteredRequest = new FilteredReplayRequestEncoder();
    private final ReplayBeginEncoder begin = new ReplayBeginEncoder();
    private final ReplayEndEncoder end = new ReplayEndEncoder();
    private final ReplayErrorEncoder error = new ReplayErrorEncoder();
    private final MutableDirectBuffer buffer = new ExpandableArrayBuffer(2048);

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int request(
        final long correlationId, final long fromSequence, final long toSequence, final int responseStreamId,
        final String responseChannel)
    {
        request.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .fromSequence(fromSequence)
            .toSequence(toSequence)
            .responseStreamId(responseStreamId)
            .responseChannel(responseChannel);
        return MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength();
    }

    /** Ask for a snapshot, then the journal after it (open-ended). */
    public int snapshotRequest(final long correlationId, final int responseStreamId, final String responseChannel)
    {
        snapshotRequest.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .responseStreamId(responseStreamId)
            .responseChannel(responseChannel);
        return MessageHeaderEncoder.ENCODED_LENGTH + snapshotRequest.encodedLength();
    }

    /**
     * Ask for {@code fromSequence..toSequence} (0: open-ended), only the quotes of {@code instruments}
     * (symbols or ids, separated by commas), with markers for the rest.
     */
    public int filteredRequest(
        final long correlationId, final long fromSequence, final long toSequence, final int responseStreamId,
        final String instruments, final String responseChannel)
    {
        filteredRequest.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .fromSequence(fromSequence)
            .toSequence(toSequence)
            .responseStreamId(responseStreamId)
            .instruments(instruments)
            .responseChannel(responseChannel);
        return MessageHeaderEncoder.ENCODED_LENGTH + filteredRequest.encodedLength();
    }

    public int stop(final long correlationId)
    {
        stop.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId);
        return MessageHeaderEncoder.ENCODED_LENGTH + stop.encodedLength();
    }

    /**
     * @param epoch the journal's epoch: the requester checks it is the stream it follows.
     */
    public int begin(
        final long correlationId, final long fromSequence, final long toSequence, final long head, final long epoch)
    {
        begin.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .fromSequence(fromSequence)
            .toSequence(toSequence)
            .journalLastSequence(head)
            .epoch(epoch);
        return MessageHeaderEncoder.ENCODED_LENGTH + begin.encodedLength();
    }

    public int end(final long correlationId, final long lastSequence, final ReplayEndReason reason)
    {
        end.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .lastSequence(lastSequence)
            .reason(reason);
        return MessageHeaderEncoder.ENCODED_LENGTH + end.encodedLength();
    }

    public int error(
        final long correlationId, final ReplayErrorCode code, final long first, final long last, final String message)
    {
        error.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .code(code)
            .firstSequence(first)
            .lastSequence(last)
            .message(message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) : message);
        return MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength();
    }

    /** {@link #isCompleteRequest}'s check for a snapshot request: its block and a response channel of sane length. */
    public static boolean isCompleteSnapshotRequest(
        final DirectBuffer buffer, final int offset, final int length, final int blockLength)
    {
        return blockLength >= SnapshotRequestDecoder.BLOCK_LENGTH &&
            hasChannel(buffer, offset, length, MessageHeaderDecoder.ENCODED_LENGTH + blockLength);
    }

    /**
     * {@link #isCompleteRequest}'s check for a filtered request: its block, an instrument list of sane
     * length and a response channel of sane length, each within the message.
     */
    public static boolean isCompleteFilteredRequest(
        final DirectBuffer buffer, final int offset, final int length, final int blockLength)
    {
        final int listHeaderOffset = MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        if (blockLength < FilteredReplayRequestDecoder.BLOCK_LENGTH ||
            listHeaderOffset + FilteredReplayRequestDecoder.instrumentsHeaderLength() > length)
        {
            return false;
        }
        final long listLength =
            buffer.getInt(offset + listHeaderOffset, FilteredReplayRequestDecoder.BYTE_ORDER) & 0xFFFF_FFFFL;
        final int channelHeaderOffset = listHeaderOffset + FilteredReplayRequestDecoder.instrumentsHeaderLength();
        return listLength <= MAX_INSTRUMENTS_LENGTH &&
            hasChannel(buffer, offset, length, (int)(channelHeaderOffset + listLength));
    }

    private static boolean hasChannel(final DirectBuffer buffer, final int offset, final int length, final int channelHeaderOffset)
    {
        if (channelHeaderOffset + ReplayRequestDecoder.responseChannelHeaderLength() > length)
        {
            return false;
        }
        final long channelLength = buffer.getInt(offset + channelHeaderOffset, ReplayRequestDecoder.BYTE_ORDER) & 0xFFFF_FFFFL;
        return channelLength > 0 && channelLength <= MAX_CHANNEL_LENGTH &&
            channelHeaderOffset + ReplayRequestDecoder.responseChannelHeaderLength() + channelLength <= length;
    }

    /**
     * Whether a message of {@code length} bytes, whose header was checked to be a replay request,
     * holds its whole block and a response channel of sane length. Checked before reading the
     * variable-length field, which would otherwise read past the message.
     */
    public static boolean isCompleteRequest(final DirectBuffer buffer, final int offset, final int length, final int blockLength)
    {
        final int channelHeaderOffset = MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        if (blockLength < ReplayRequestDecoder.BLOCK_LENGTH ||
            channelHeaderOffset + ReplayRequestDecoder.responseChannelHeaderLength() > length)
        {
            return false;
        }
        final long channelLength = buffer.getInt(offset + channelHeaderOffset, ReplayRequestDecoder.BYTE_ORDER) & 0xFFFF_FFFFL;
        return channelLength > 0 && channelLength <= MAX_CHANNEL_LENGTH &&
            channelHeaderOffset + ReplayRequestDecoder.responseChannelHeaderLength() + channelLength <= length;
    }
}
