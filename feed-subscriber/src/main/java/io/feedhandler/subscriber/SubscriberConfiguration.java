package io.feedhandler.subscriber;

import io.feedhandler.journal.SubscriberOffset;
import io.feedhandler.transport.Durations;

import java.nio.file.Path;
import java.util.Map;

/**
 * Defaults of a subscriber, in one place: {@link SubscriberContext} starts from them and the
 * command line shows them. Durations are written the way a user writes them, and parsed once.
 */
public final class SubscriberConfiguration
{
    /** Most messages taken from the live stream in one duty cycle. */
    public static final int FRAGMENT_LIMIT = 256;
    /** Most distinct instruments the top of book and the definitions track. */
    public static final int MAX_INSTRUMENTS = 100_000;
    /** Live ticks held while recovering (about 4.7 MB, allocated once). */
    public static final int RECOVERY_BUFFER = 65_536;
    /** Live silent this long after it has spoken: rejoin it. Longer than the publisher's 1 s heartbeat. */
    public static final String STALE_TIMEOUT = "3s";
    public static final long STALE_TIMEOUT_NANOS = Durations.toNanos(STALE_TIMEOUT);
    /**
     * With a B line: how long a line's ticks past a hole are held for the other line to fill it, before
     * it is a gap of the feed. Longer than the two paths' usual skew, short enough that a real gap costs little.
     */
    public static final String LINE_WAIT = "2ms";
    public static final long LINE_WAIT_NANOS = Durations.toNanos(LINE_WAIT);
    /** With a B line: the most ticks held while the other line may fill a hole (about 1 MB, allocated once). */
    public static final int LINE_HOLD = 16_384;
    /** A pull that makes no progress for this long, while there is something to get, is asked for again. */
    public static final String RECOVERY_TIMEOUT = "5s";
    public static final long RECOVERY_TIMEOUT_NANOS = Durations.toNanos(RECOVERY_TIMEOUT);
    /** How soon a pull that could not start (no server) or was refused is tried again. */
    public static final String RECOVERY_RETRY = "250ms";
    public static final long RECOVERY_RETRY_NANOS = Durations.toNanos(RECOVERY_RETRY);
    /**
     * Retries after failures in a row back off up to this (exponentially from {@link #RECOVERY_RETRY}, with
     * jitter), so requesters left by a server do not come back to it all at once.
     */
    public static final String RECOVERY_RETRY_MAX = "4s";
    public static final long RECOVERY_RETRY_MAX_NANOS = Durations.toNanos(RECOVERY_RETRY_MAX);
    /**
     * A replay server that has answered a pull and then says nothing this long (its sessions send the
     * journal's head every 100 ms even with nothing to send) is left for the next in
     * {@code --replay-channel}, or asked again.
     */
    public static final String REPLAY_SERVER_TIMEOUT = "1s";
    public static final long REPLAY_SERVER_TIMEOUT_NANOS = Durations.toNanos(REPLAY_SERVER_TIMEOUT);
    /**
     * Just after start (and after a time with no replay server reachable), how long a pull waits for a
     * server earlier in {@code --replay-channel} to connect before it asks a later one: connections take
     * tens of milliseconds, and the order is the user's preference ({@code --replay-connect-wait}; a
     * server busy with a storm of pulls may need longer).
     */
    public static final String REPLAY_CONNECT_WAIT = "500ms";
    public static final long REPLAY_CONNECT_WAIT_NANOS = Durations.toNanos(REPLAY_CONNECT_WAIT);
    /** Until a first pull has started: how soon one that could not start (its server still connecting) is tried again. */
    public static final String RECOVERY_CONNECT_RETRY = "10ms";
    public static final long RECOVERY_CONNECT_RETRY_NANOS = Durations.toNanos(RECOVERY_CONNECT_RETRY);
    /** Most recovered messages handed over in one duty cycle. */
    public static final int RECOVERY_POLL_LIMIT = 1024;
    /**
     * How far behind the journal's head live may be when a pull meets it and the subscriber goes back
     * to live. Live that trails further (a thin or lossy link whose image is being repaired at a
     * trickle) is passed by the pull instead, which is many times faster: a subscriber behind such a
     * link does not hang on a live stream that will take minutes to catch up, nor need the replay
     * server still to be there when it stalls.
     */
    public static final long MERGE_LAG_TICKS = 16_384;
    /**
     * The same bound in time: live whose newest tick was sent longer ago than this trails, whatever
     * the head is known to be. Far above the live latency of a healthy subscriber (and above the
     * clock error between hosts that latency figures assume).
     */
    public static final String MERGE_LAG = "2s";
    public static final long MERGE_LAG_NANOS = Durations.toNanos(MERGE_LAG);
    /**
     * Where a named subscriber keeps its offset when neither {@code --offsets} nor {@code --journal} says:
     * the user's state directory ({@code $XDG_STATE_HOME/feed/subscribers}, else
     * {@code ~/.local/state/feed/subscribers}), never the working directory, so a subscriber resumes
     * wherever it is started from. With {@code --journal} it is {@code <journal>/subscribers}.
     */
    public static Path offsetsDirectory(final Map<String, String> environment, final String userHome)
    {
        final String stateHome = environment.get("XDG_STATE_HOME");
        final Path base = stateHome != null && !stateHome.isBlank() && Path.of(stateHome).isAbsolute() ?
            Path.of(stateHome) : Path.of(userHome, ".local", "state");
        return base.resolve("feed").resolve(SubscriberOffset.DEFAULT_FOLDER);
    }

    /**
     * A subscriber that has heard nothing from any publisher (no tick, no heartbeat) this long after it
     * started warns once: far above a publisher's heartbeat interval (1 s) and its connect time, well
     * below the time a user waits before wondering why nothing comes.
     */
    public static final String CONNECT_TIMEOUT = "10s";

    /** One histogram per this much time in a latency log. */
    public static final String LATENCY_LOG_INTERVAL = "1s";
    public static final long LATENCY_LOG_INTERVAL_NANOS = Durations.toNanos(LATENCY_LOG_INTERVAL);
    /**
     * Live latency in the first this-long after the first live tick is left out of the steady-state
     * figures: on this machine the JIT, page faults and the publisher's own warm-up make the first
     * second's max about 150 ms where later seconds stay under 20 ms.
     */
    public static final String WARMUP = "5s";
    public static final long WARMUP_NANOS = Durations.toNanos(WARMUP);
    /** Latencies above this are recorded as this value (and still counted). */
    public static final long MAX_RECORDED_LATENCY_NANOS = Durations.toNanos("60s");
    /** When the journal no longer holds where a subscriber must start: count the range lost (as before snapshots). */
    public static final LostPolicy ON_LOST = LostPolicy.COUNT;
    /** A slow consumer pulls what it missed (as before conflation). */
    public static final SlowConsumerPolicy SLOW_CONSUMER = SlowConsumerPolicy.RECOVER;
    /**
     * With {@code --slow-consumer conflate}: a live tick about to be delivered later than this after it
     * was due shows the subscriber is behind, and conflation begins. Far above a healthy subscriber's
     * latency (hundreds of microseconds at most), below what a dashboard or a risk check notices.
     */
    public static final String CONFLATE_LAG = "50ms";
    public static final long CONFLATE_LAG_NANOS = Durations.toNanos(CONFLATE_LAG);
    /** Log the counters this often while running; 0 = never. */
    public static final String STATUS_INTERVAL = "10s";
    /**
     * The digest of what was delivered is published for other threads (the status line) at every
     * multiple of this sequence: about twice a second at a few thousand ticks a second.
     */
    public static final long DIGEST_CHECKPOINT_INTERVAL = 1024;

    private SubscriberConfiguration()
    {
    }
}
