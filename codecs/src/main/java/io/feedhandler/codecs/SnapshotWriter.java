package io.feedhandler.codecs;

import io.feedhandler.sbe.MessageHeaderEncoder;
import io.feedhandler.sbe.SnapshotEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Builds the {@code Snapshot} messages of a snapshot: the latest quote of each instrument as of a
 * sequence, in sequence order, as many to a message as fit. Shaped like a {@code QuoteBatch}, with
 * each entry's own sequence (the quotes are not consecutive). Through the generated encoder: a
 * snapshot is written once per request, not per tick. One instance per thread.
 */
public final class SnapshotWriter
{
    /** Bytes before the first quote. */
    public static final int HEADER_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + SnapshotEncoder.BLOCK_LENGTH + SnapshotEncoder.QuotesEncoder.HEADER_SIZE;
    /** Bytes per quote. */
    public static final int ENTRY_LENGTH = SnapshotEncoder.QuotesEncoder.sbeBlockLength();

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final SnapshotEncoder encoder = new SnapshotEncoder();

    /** Most quotes a message of at most {@code bytes} holds (at least one). */
    public static int quotesThatFit(final int bytes)
    {
        return Math.max(1, Math.min(SnapshotEncoder.QuotesEncoder.countMaxValue(), (bytes - HEADER_LENGTH) / ENTRY_LENGTH));
    }

    /** Bytes a message of {@code quotes} takes. */
    public static int length(final int quotes)
    {
        return HEADER_LENGTH + quotes * ENTRY_LENGTH;
    }

    /**
     * Encode {@code quotes[from .. from + count - 1]} as one message at {@code offset}.
     *
     * @param instruments quotes in the whole snapshot, over all its messages.
     * @return the encoded length.
     */
    public int write(
        final MutableDirectBuffer buffer, final int offset, final long epoch, final long snapshotSequence,
        final int instruments, final Quote[] quotes, final int from, final int count)
    {
        encoder.wrapAndApplyHeader(buffer, offset, header)
            .epoch(epoch)
            .snapshotSequence(snapshotSequence)
            .instruments(instruments);
        final SnapshotEncoder.QuotesEncoder entries = encoder.quotesCount(count);
        for (int i = from; i < from + count; i++)
        {
            final Quote quote = quotes[i];
            entries.next()
                .sequence(quote.sequence())
                .exchangeTimestamp(quote.exchangeTimestamp())
                .sendTimestamp(quote.sendTimestamp())
                .bidSize(quote.bidSize())
                .askSize(quote.askSize())
                .instrumentId(quote.instrumentId());
            entries.bidPrice().mantissa(quote.bidPrice());
            entries.askPrice().mantissa(quote.askPrice());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
