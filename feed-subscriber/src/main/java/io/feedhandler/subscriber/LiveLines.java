package io.feedhandler.subscriber;

import io.aeron.Aeron;
import io.feedhandler.codecs.FeedHandler;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

/**
 * The live stream as the subscriber hears it: line A, and for a redundant feed line B
 * ({@code --b-channel}), each a {@link LiveStream}. Both lines are polled every duty cycle, in turns
 * (A first, then B first), so neither is favoured when both are healthy; the {@link LineArbiter} is
 * told which line is speaking. A line silent past the stale timeout is rejoined and reported by
 * itself; live as a whole is silent only when every line is.
 */
final class LiveLines implements AutoCloseable
{
    private final LiveStream lineA;
    private final LiveStream lineB;
    private final LineArbiter arbiter;
    private final FeedStatusListener statusListener;
    private final SubscriberMetrics metrics;
    private final int fragmentLimit;
    private boolean bFirst;
    /** Whether each line's last poll took all it had (fewer than the fragment limit): nothing more is waiting there. */
    private final boolean[] caughtUp = {true, true};

    /**
     * Subscribes to every line at once, on the caller's thread (a channel the driver refuses is an error at launch).
     *
     * @param arbiter the arbiter of a redundant feed; null for line A alone.
     */
    LiveLines(
        final Aeron aeron,
        final SubscriberContext context,
        final FeedHandler handler,
        final LineArbiter arbiter,
        final FeedStatusListener statusListener,
        final SubscriberMetrics metrics)
    {
        this.arbiter = arbiter;
        this.fragmentLimit = context.fragmentLimit();
        this.statusListener = statusListener;
        this.metrics = metrics;
        this.lineA = new LiveStream(aeron, Line.A, context.transport().channel(), context, handler, statusListener, metrics);
        LiveStream b = null;
        if (arbiter != null)
        {
            try
            {
                b = new LiveStream(aeron, Line.B, context.transport().bChannel(), context, handler, statusListener, metrics);
            }
            catch (final RuntimeException ex)
            {
                lineA.close();
                throw ex;
            }
        }
        this.lineB = b;
    }

    void start(final long nowNanos)
    {
        lineA.start(nowNanos);
        if (lineB != null)
        {
            lineB.start(nowNanos);
        }
    }

    /** Take what has arrived on every line, at most the fragment limit each. */
    int poll(final long nowNanos)
    {
        if (lineB == null)
        {
            return lineA.poll(nowNanos);
        }
        bFirst = !bFirst;
        final LiveStream first = bFirst ? lineB : lineA;
        final LiveStream second = bFirst ? lineA : lineB;
        return poll(first, nowNanos) + poll(second, nowNanos);
    }

    private int poll(final LiveStream line, final long nowNanos)
    {
        arbiter.polling(line.line());
        final int polled = line.poll(nowNanos);
        caughtUp[line.line().ordinal()] = polled < fragmentLimit;
        return polled;
    }

    /**
     * Whether {@code line}'s last poll took everything it had: what it has not brought by now has not
     * reached this host (rather than waiting, unread, behind a busy duty cycle).
     */
    boolean caughtUp(final Line line)
    {
        return caughtUp[line.ordinal()];
    }

    /** One message from {@code line}, whatever its bytes (the tests and fuzz tests call this directly). */
    void onMessage(final Line line, final DirectBuffer buffer, final int offset, final int length)
    {
        if (arbiter != null)
        {
            arbiter.polling(line);
        }
        (line == Line.B && lineB != null ? lineB : lineA).onMessage(buffer, offset, length);
    }

    /**
     * Rejoin every line that is silent past the stale timeout; a line of a redundant feed that falls
     * silent is reported by itself, the other carries on.
     *
     * @return true when live as a whole is silent (every line) and a line was rejoined in this call:
     *         the subscriber then treats it as today's single line's silence.
     */
    boolean rejoinSilent(final long nowNanos)
    {
        final int a = rejoinIfStale(lineA, lineB, nowNanos);
        final int b = rejoinIfStale(lineB, lineA, nowNanos);
        if (a == NOT_STALE && b == NOT_STALE)
        {
            return false;
        }
        final boolean allSilent = silent();
        if (allSilent && (a == NEWLY_SILENT || b == NEWLY_SILENT))
        {
            metrics.staleEvents++; // once per silence of the whole feed, however many rejoins it takes
            statusListener.onLiveRejoined();
        }
        return allSilent;
    }

    private static final int NOT_STALE = 0;
    private static final int REJOINED = 1;
    private static final int NEWLY_SILENT = 2;

    private int rejoinIfStale(final LiveStream line, final LiveStream other, final long nowNanos)
    {
        if (line == null || !line.isStale(nowNanos, other != null && other.heard()))
        {
            return NOT_STALE;
        }
        if (!line.rejoin(nowNanos))
        {
            return REJOINED;
        }
        if (other != null)
        {
            statusListener.onLineSilent(line.line(), line.channel(), other.silent() ? null : other.line());
        }
        return NEWLY_SILENT;
    }

    /** Whether any line has said anything yet. */
    boolean heard()
    {
        return lineA.heard() || lineB != null && lineB.heard();
    }

    /** Whether live is silent past the stale timeout now: every line is. */
    boolean silent()
    {
        return lineA.silent() && (lineB == null || lineB.silent());
    }

    /** Whether the line other than the one being polled is heard and not silent: worth waiting for. */
    boolean otherLineAlive(final Line line)
    {
        final LiveStream other = line == Line.A ? lineB : lineA;
        return other != null && other.heard() && !other.silent();
    }

    /** When live last said anything, on any line, on the agent's clock. */
    long lastHeardNanos()
    {
        return lineB == null ? lineA.lastHeardNanos() : Math.max(lineA.lastHeardNanos(), lineB.lastHeardNanos());
    }

    /** Line {@code line}'s stream; null for B without one. */
    LiveStream line(final Line line)
    {
        return line == Line.A ? lineA : lineB;
    }

    boolean redundant()
    {
        return lineB != null;
    }

    public void close()
    {
        CloseHelper.closeAll(lineA, lineB);
    }
}
