package io.feedhandler.subscriber;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedHandler;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

/**
 * The live stream: its subscription, the decoding of what arrives, and its silence. Live that has
 * spoken and then says nothing for the stale timeout is rejoined (a new subscription, joining at the
 * current position): a receiver that fell further behind than the publisher's retransmit window (a
 * paused process) can hold an image that will never fill again. While the driver refuses the channel
 * (its interface's link is down) the rejoin fails; that is reported once per silence and tried again
 * after every stale timeout. A redundant feed has one of these per line ({@link LiveLines}).
 */
final class LiveStream implements AutoCloseable
{
    private final Aeron aeron;
    private final Line line;
    private final String channel;
    private final int streamId;
    private final long staleTimeoutNanos;
    private final int fragmentLimit;
    private final FeedStatusListener statusListener;
    private final FeedDecoder decoder;
    private final FragmentHandler fragmentHandler = new FragmentAssembler(
        (buffer, offset, length, header) -> onMessage(buffer, offset, length));
    private final SubscriberMetrics metrics;
    private Subscription subscription;
    private long silentEvents;
    private long nowNanos;
    private long lastLiveNanos;
    private long lastHeardNanos;
    private boolean heard;
    private boolean silent;
    private boolean rejoinFailureReported;

    /**
     * Subscribes at once, on the caller's thread, so a channel the driver refuses (an interface this
     * host does not have, a port out of range) is an error at launch, not a failed agent later.
     *
     * @param aeron the client, or null when the caller feeds messages itself through {@link #onMessage} (tests).
     */
    LiveStream(
        final Aeron aeron,
        final Line line,
        final String channel,
        final SubscriberContext context,
        final FeedHandler handler,
        final FeedStatusListener statusListener,
        final SubscriberMetrics metrics)
    {
        this.aeron = aeron;
        this.line = line;
        this.channel = channel;
        this.streamId = context.transport().streamId();
        this.staleTimeoutNanos = context.staleTimeoutNanos();
        this.fragmentLimit = context.fragmentLimit();
        this.statusListener = statusListener;
        this.metrics = metrics;
        this.decoder = new FeedDecoder(handler);
        this.subscription = aeron != null ? aeron.addSubscription(channel, streamId) : null;
    }

    /** Silence is measured from here until live first speaks. */
    void start(final long nowNanos)
    {
        this.nowNanos = nowNanos;
        lastLiveNanos = nowNanos;
    }

    /** Take what has arrived, at most the fragment limit. */
    int poll(final long nowNanos)
    {
        this.nowNanos = nowNanos;
        return subscription != null ? subscription.poll(fragmentHandler, fragmentLimit) : 0;
    }

    /** One message from the live stream, whatever its bytes (the fuzz tests call this directly). */
    void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        lastLiveNanos = nowNanos;
        lastHeardNanos = nowNanos;
        heard = true;
        if (silent)
        {
            silent = false;
            statusListener.onLineAlive(line);
        }
        rejoinFailureReported = false;
        decoder.decode(buffer, offset, length);
    }

    /**
     * Whether this line has said nothing for the stale timeout (counted from the last rejoin), once it
     * or, for a redundant feed, the other line ({@code otherHeard}) has spoken: a B line that never
     * speaks while A does is silent too.
     */
    boolean isStale(final long nowNanos, final boolean otherHeard)
    {
        return (heard || otherHeard) && aeron != null && nowNanos - lastLiveNanos > staleTimeoutNanos;
    }

    /**
     * Drop the subscription and subscribe again, joining at the current position.
     *
     * @return true when this starts a silence (false for a further rejoin within one).
     */
    boolean rejoin(final long nowNanos)
    {
        metrics.liveRejoins++;
        lastLiveNanos = nowNanos;
        CloseHelper.quietClose(subscription);
        subscription = null;
        try
        {
            subscription = aeron.addSubscription(channel, streamId);
        }
        catch (final RuntimeException ex)
        {
            // The driver refuses the channel for now, e.g. a multicast interface whose link is down
            // (it cannot join the group there). Not fatal: the pull carries on, and the rejoin is
            // tried again after each stale timeout until the link is back.
            if (!rejoinFailureReported)
            {
                rejoinFailureReported = true;
                statusListener.onLiveRejoinFailed(firstLine(ex.getMessage()));
            }
        }
        if (!silent)
        {
            silent = true; // report once per silence, however many rejoins it takes
            silentEvents++;
            return true;
        }
        return false;
    }

    Line line()
    {
        return line;
    }

    String channel()
    {
        return channel;
    }

    /** Silences of this line past the stale timeout. */
    long silentEvents()
    {
        return silentEvents;
    }

    /** Whether live has said anything yet. */
    boolean heard()
    {
        return heard;
    }

    /** Whether live is silent past the stale timeout now (until it speaks again). */
    boolean silent()
    {
        return silent;
    }

    /** When live last said anything, on the agent's clock. */
    long lastHeardNanos()
    {
        return lastHeardNanos;
    }

    private static String firstLine(final String message)
    {
        if (message == null)
        {
            return "no reason given";
        }
        final int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    public void close()
    {
        CloseHelper.quietClose(subscription);
    }
}
