package io.feedhandler.publisher;

import io.aeron.Publication;
import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.journal.InstrumentHistory;
import io.feedhandler.sbe.FeedState;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * The sending side of the live stream. A tick's offer that meets back-pressure stays pending and is
 * retried before anything new, so the live stream never skips a sequence the publisher could still
 * send; an offer with no subscriber connected is not retried (the tick is in the journal, which is
 * where a late subscriber gets it). Heartbeats carry the last sequence when the feed is quiet;
 * instrument definitions are repeated for subscribers that join late.
 * <p>
 * With a B line ({@code --b-channel}) every message also goes, byte for byte, on a second
 * publication. B is best effort: a batch it cannot take at once (back-pressure) is skipped on B and
 * counted, never retried ahead of line A and never waited for, so a thin or slow B path cannot slow
 * the publisher; a subscriber of both lines gets that batch from A, and from the journal if A lost it too.
 */
final class LiveSender
{
    /** Offers on the B line that meet an admin action (a term rotation) are tried again at once, this often. */
    private static final int B_ADMIN_RETRIES = 3;

    private final Publication publication;
    private final Publication lineB;
    private final DirectBuffer tickBuffer;
    private final EpochNanoClock epochClock;
    private final long epoch;
    private final List<InstrumentHistory.Definition> definitions;
    private final FeedEncoder encoder = new FeedEncoder();
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 64));
    private int pendingLength;
    private int pendingTicks;
    private boolean pendingBackPressured;
    private long lastSendNanos;
    private long backPressured;
    private long notConnected;
    private long heartbeats;
    private long lineBBackPressured;
    private long lineBNotConnected;

    /**
     * @param tickBuffer  where the publisher encodes each batch; {@link #send} offers from it.
     * @param epoch       the stream's epoch, carried by every heartbeat.
     * @param definitions the instrument definitions in force, each with the sequence it applies from.
     */
    LiveSender(
        final Publication publication,
        final Publication lineB,
        final DirectBuffer tickBuffer,
        final EpochNanoClock epochClock,
        final long epoch,
        final List<InstrumentHistory.Definition> definitions)
    {
        this.publication = publication;
        this.lineB = lineB;
        this.tickBuffer = tickBuffer;
        this.epochClock = epochClock;
        this.epoch = epoch;
        this.definitions = definitions;
    }

    /**
     * Offer the batch of {@code length} bytes in the tick buffer.
     *
     * @return true when it is dealt with (sent, or left to the journal); false when it is pending
     *         under back-pressure: the tick buffer must not change until {@link #retryPending} succeeds.
     */
    boolean send(final long nowNanos, final int length, final int ticks)
    {
        lastSendNanos = nowNanos;
        pendingLength = length;
        pendingTicks = ticks;
        final boolean dealtWith = retryPending();
        if (lineB != null)
        {
            offerOnLineB(length, ticks);
        }
        return dealtWith;
    }

    /** The same bytes on the B line, once: what it cannot take now it never gets (A and the journal have it). */
    private void offerOnLineB(final int length, final int ticks)
    {
        long result = lineB.offer(tickBuffer, 0, length);
        for (int i = 0; result == Publication.ADMIN_ACTION && i < B_ADMIN_RETRIES; i++)
        {
            result = lineB.offer(tickBuffer, 0, length);
        }
        if (result > 0)
        {
            return;
        }
        if (result == Publication.NOT_CONNECTED)
        {
            lineBNotConnected += ticks;
        }
        else if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            lineBBackPressured += ticks;
        }
        else
        {
            throw new IllegalStateException("B line failed: " + Publication.errorString(result));
        }
    }

    boolean hasPending()
    {
        return pendingLength > 0;
    }

    /** @return true when the pending tick is dealt with (sent, or left to the journal). */
    boolean retryPending()
    {
        final long result = publication.offer(tickBuffer, 0, pendingLength);
        if (result > 0)
        {
            pendingLength = 0;
            pendingBackPressured = false;
            return true;
        }
        if (result == Publication.NOT_CONNECTED)
        {
            notConnected += pendingTicks;
            pendingLength = 0;
            pendingBackPressured = false;
            return true;
        }
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            if (!pendingBackPressured)
            {
                backPressured += pendingTicks;
                pendingBackPressured = true;
            }
            return false;
        }
        throw new IllegalStateException("live stream failed: " + Publication.errorString(result));
    }

    /** Give up on the pending tick (the end of a drain): it is in the journal. */
    void dropPending()
    {
        pendingLength = 0;
    }

    /** Quiet time counts from now (the stream has just started). */
    void startQuietClock(final long nowNanos)
    {
        lastSendNanos = nowNanos;
    }

    /** Whether nothing was sent for {@code intervalNanos}. */
    boolean quietFor(final long nowNanos, final long intervalNanos)
    {
        return nowNanos - lastSendNanos >= intervalNanos;
    }

    void sendHeartbeat(final long nowNanos, final long lastSequence, final FeedState feedState)
    {
        lastSendNanos = nowNanos;
        final int length = encoder.encodeHeartbeat(controlBuffer, 0, lastSequence, epochClock.nanoTime(), feedState, epoch);
        if (publication.offer(controlBuffer, 0, length) > 0)
        {
            heartbeats++;
        }
        if (lineB != null)
        {
            lineB.offer(controlBuffer, 0, length);
        }
    }

    void sendDefinitions()
    {
        final List<InstrumentHistory.Definition> definitions = this.definitions;
        for (int i = 0, size = definitions.size(); i < size; i++)
        {
            final InstrumentHistory.Definition definition = definitions.get(i);
            final int length = encoder.encodeInstrument(
                controlBuffer, 0, definition.instrument(), definition.fromSequence());
            publication.offer(controlBuffer, 0, length);
            if (lineB != null)
            {
                lineB.offer(controlBuffer, 0, length);
            }
        }
    }

    /** A first subscriber has joined (or, for multicast, the stream is set up). */
    boolean isConnected()
    {
        return publication.isConnected();
    }

    Publication publication()
    {
        return publication;
    }

    /** The B line's publication; null without one. */
    Publication lineB()
    {
        return lineB;
    }

    /** Ticks the B line did not take (back-pressure): skipped there, sent on A and journaled. */
    long lineBBackPressured()
    {
        return lineBBackPressured;
    }

    /** Ticks sent while no subscriber was connected on the B line. */
    long lineBNotConnected()
    {
        return lineBNotConnected;
    }

    /** Ticks whose send met back-pressure at least once (then retried). */
    long backPressured()
    {
        return backPressured;
    }

    /** Ticks journaled while no subscriber was connected (replay serves them). */
    long notConnected()
    {
        return notConnected;
    }

    long heartbeats()
    {
        return heartbeats;
    }
}
