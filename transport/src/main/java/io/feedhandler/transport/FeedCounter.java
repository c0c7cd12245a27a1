package io.feedhandler.transport;

/**
 * The product's live counters, as they appear in the media driver's CnC file (so Aeron's AeronStat
 * lists them), in {@code feed stat} and in {@code feed metrics}. Each has a fixed Aeron counter type
 * id: tools select them by it, so an id is never reused for another meaning.
 */
public enum FeedCounter
{
    PUBLISHED(73_001, Role.PUBLISHER, "published", Kind.TOTAL,
        "quotes sequenced and sent (journaled, but for those counted in not_journaled)"),
    PUBLISHER_LAST_SEQUENCE(73_002, Role.PUBLISHER, "last_sequence", Kind.GAUGE, "last sequence published"),
    BACK_PRESSURED(73_003, Role.PUBLISHER, "back_pressured", Kind.TOTAL, "offers refused by back-pressure, retried"),
    NOT_CONNECTED(73_004, Role.PUBLISHER, "not_connected", Kind.TOTAL, "quotes sent with no subscriber connected"),
    PUBLISHER_STATE(73_005, Role.PUBLISHER, "state", Kind.GAUGE,
        "0 awaiting subscriber, 1 publishing, 2 draining, 3 lingering, 4 done"),
    JOURNAL_FULL(73_006, Role.PUBLISHER, "journal_full", Kind.TOTAL,
        "times the journal refused a tick (disk down to --min-free-disk, or an append failed)"),
    NOT_JOURNALED(73_007, Role.PUBLISHER, "not_journaled", Kind.TOTAL,
        "quotes sent live without being journaled (--on-journal-full live-only)"),
    JOURNAL_STATE(73_008, Role.PUBLISHER, "journal_state", Kind.GAUGE,
        "0 journaling, 1 stopped (journal full, policy stop), 2 live-only"),
    OTHER_PUBLISHERS(73_020, Role.PUBLISHER, "other_publishers", Kind.TOTAL,
        "other publishers (Aeron sessions) heard sending on this channel and stream"),
    LINE_B_BACK_PRESSURED(73_021, Role.PUBLISHER, "line_b_back_pressured", Kind.TOTAL,
        "quotes the B line did not take (back-pressure): B is best effort, line A and the journal have them"),
    LINE_B_NOT_CONNECTED(73_022, Role.PUBLISHER, "line_b_not_connected", Kind.TOTAL,
        "quotes sent while no subscriber was connected on the B line"),

    REPLAY_ACTIVE_SESSIONS(73_101, Role.REPLAY_SERVER, "active_sessions", Kind.GAUGE, "replay sessions running"),
    REPLAY_REQUESTS(73_102, Role.REPLAY_SERVER, "requests", Kind.TOTAL, "replay requests received"),
    REPLAY_REFUSED(73_103, Role.REPLAY_SERVER, "refused", Kind.TOTAL, "replay requests answered with an error"),
    REPLAY_MALFORMED(73_104, Role.REPLAY_SERVER, "malformed", Kind.TOTAL, "control messages that did not decode"),
    REPLAYED(73_105, Role.REPLAY_SERVER, "replayed", Kind.TOTAL, "journal entries sent to requesters"),
    REPLAY_BACK_PRESSURED(73_106, Role.REPLAY_SERVER, "back_pressured", Kind.TOTAL,
        "replay offers refused by a slow requester"),

    DELIVERED(73_201, Role.SUBSCRIBER, "delivered", Kind.TOTAL, "quotes delivered to the listener"),
    SUBSCRIBER_LAST_SEQUENCE(73_202, Role.SUBSCRIBER, "last_sequence", Kind.GAUGE, "last sequence delivered"),
    GAPS(73_203, Role.SUBSCRIBER, "gaps", Kind.TOTAL, "gaps detected in the live sequence"),
    RECOVERED(73_204, Role.SUBSCRIBER, "recovered", Kind.TOTAL, "quotes delivered from replay"),
    DUPLICATES_DROPPED(73_205, Role.SUBSCRIBER, "duplicates_dropped", Kind.TOTAL, "quotes received again, dropped"),
    MALFORMED(73_206, Role.SUBSCRIBER, "malformed", Kind.TOTAL, "messages that did not decode, dropped"),
    LOST(73_207, Role.SUBSCRIBER, "lost", Kind.TOTAL, "sequences no longer in the journal when asked"),
    REPLAY_SESSIONS(73_208, Role.SUBSCRIBER, "replay_sessions", Kind.TOTAL, "pulls started"),
    STALE_EVENTS(73_209, Role.SUBSCRIBER, "stale_events", Kind.TOTAL, "times live went silent past the stale timeout"),
    RECOVERING(73_210, Role.SUBSCRIBER, "recovering", Kind.GAUGE, "1 while pulling from the journal, else 0"),
    STALE(73_211, Role.SUBSCRIBER, "stale", Kind.GAUGE, "1 while live is silent past the stale timeout, else 0"),
    LAG(73_212, Role.SUBSCRIBER, "lag", Kind.GAUGE, "sequences between the newest known and the last delivered"),
    LAST_HEARD(73_213, Role.SUBSCRIBER, "last_heard_ms", Kind.TIMESTAMP,
        "when live last brought a quote or a heartbeat"),
    BUFFER_OVERWRITES(73_214, Role.SUBSCRIBER, "buffer_overwrites", Kind.TOTAL,
        "live quotes pushed out of the full recovery buffer (replayed instead)"),
    CONFLATED(73_220, Role.SUBSCRIBER, "conflated", Kind.TOTAL,
        "ticks not delivered by a conflating slow consumer (superseded by a later quote of their instrument)"),
    CONFLATIONS(73_221, Role.SUBSCRIBER, "conflations", Kind.TOTAL,
        "times a conflating slow consumer skipped superseded ticks"),
    OTHER_PUBLISHER_MESSAGES(73_230, Role.SUBSCRIBER, "other_publisher", Kind.TOTAL,
        "messages of another publisher (another stream epoch) on this channel and stream, dropped"),
    REPLAY_FAILOVERS(73_231, Role.SUBSCRIBER, "replay_failovers", Kind.TOTAL,
        "pulls that went to a replay server other than the first in --replay-channel (an earlier one failed)"),
    REPLAY_UNREACHABLE(73_232, Role.SUBSCRIBER, "replay_unreachable", Kind.TOTAL,
        "pulls that could not start for the recovery timeout: no replay server reachable, or every one backing off"),
    LATENCY_P50(73_222, Role.SUBSCRIBER, "latency_p50_ns", Kind.GAUGE,
        "median one-way latency of live ticks delivered in the last counter interval (0.1 s), nanoseconds"),
    LATENCY_P99(73_223, Role.SUBSCRIBER, "latency_p99_ns", Kind.GAUGE,
        "99th percentile one-way latency of live ticks delivered in the last counter interval, nanoseconds"),
    LATENCY_P999(73_224, Role.SUBSCRIBER, "latency_p999_ns", Kind.GAUGE,
        "99.9th percentile one-way latency of live ticks delivered in the last counter interval, nanoseconds"),
    LATENCY_MAX(73_225, Role.SUBSCRIBER, "latency_max_ns", Kind.GAUGE,
        "largest one-way latency of live ticks delivered in the last counter interval, nanoseconds"),
    LINE_A_FIRST(73_240, Role.SUBSCRIBER, "line_a_first", Kind.TOTAL,
        "quotes line A brought first (with a B line)"),
    LINE_B_FIRST(73_241, Role.SUBSCRIBER, "line_b_first", Kind.TOTAL, "quotes line B brought first"),
    LINE_A_GAPS(73_242, Role.SUBSCRIBER, "line_a_gaps", Kind.TOTAL,
        "gaps in what line A carried (a gap of the feed only when line B missed it too)"),
    LINE_B_GAPS(73_243, Role.SUBSCRIBER, "line_b_gaps", Kind.TOTAL, "gaps in what line B carried"),
    LINE_A_SILENT(73_244, Role.SUBSCRIBER, "line_a_silent", Kind.GAUGE,
        "1 while line A is silent past the stale timeout (with a B line), else 0"),
    LINE_B_SILENT(73_245, Role.SUBSCRIBER, "line_b_silent", Kind.GAUGE,
        "1 while line B is silent past the stale timeout, else 0"),

    GATEWAY_CONNECTIONS(73_301, Role.GATEWAY, "connections", Kind.GAUGE, "HTTP connections open"),
    GATEWAY_CLIENTS(73_302, Role.GATEWAY, "clients", Kind.GAUGE, "clients streaming (SSE and WebSocket)"),
    GATEWAY_ACCEPTED(73_303, Role.GATEWAY, "accepted", Kind.TOTAL, "connections accepted"),
    GATEWAY_EVENTS_SENT(73_304, Role.GATEWAY, "events_sent", Kind.TOTAL, "quote events written to clients"),
    GATEWAY_BYTES_SENT(73_305, Role.GATEWAY, "bytes_sent", Kind.TOTAL, "bytes of events written to clients"),
    GATEWAY_CONFLATED(73_306, Role.GATEWAY, "conflated", Kind.TOTAL,
        "quotes a blocked client did not get because a newer one of the same instrument replaced them"),
    GATEWAY_SLOW_DISCONNECTS(73_307, Role.GATEWAY, "slow_disconnects", Kind.TOTAL,
        "clients disconnected for being blocked past --slow-client-timeout"),
    GATEWAY_REFUSED(73_308, Role.GATEWAY, "refused", Kind.TOTAL,
        "requests refused: 503 (busy, starting), 429 (reconnect rate), 401, 403, 400/404/405"),
    GATEWAY_RESUMES(73_309, Role.GATEWAY, "resumes", Kind.TOTAL, "resumes by Last-Event-ID or from, history or journal"),
    GATEWAY_RESETS(73_310, Role.GATEWAY, "resets", Kind.TOTAL, "resets sent: the resume point was gone, a snapshot followed"),
    GATEWAY_LAST_SEQUENCE(73_311, Role.GATEWAY, "last_sequence", Kind.GAUGE, "last sequence in the gateway's history"),

    REPLICA_LAST_SEQUENCE(73_401, Role.REPLICA, "last_sequence", Kind.GAUGE,
        "last sequence in the replica's journal (appended, or recorded as not journaled)"),
    REPLICA_UPSTREAM_HEAD(73_402, Role.REPLICA, "upstream_head", Kind.GAUGE,
        "highest sequence the upstream is known to have (heard live, or its journal's head)"),
    REPLICA_TRAILS(73_403, Role.REPLICA, "trails", Kind.GAUGE, "sequences the replica's journal lacks of its upstream's"),
    REPLICA_APPENDED(73_404, Role.REPLICA, "appended", Kind.TOTAL, "quotes appended to the replica's journal");

    /** Which process role a counter belongs to. */
    public enum Role
    {
        PUBLISHER("publisher"),
        REPLAY_SERVER("replay_server"),
        SUBSCRIBER("subscriber"),
        GATEWAY("gateway"),
        REPLICA("replica");

        private final String metricPrefix;

        Role(final String metricPrefix)
        {
            this.metricPrefix = metricPrefix;
        }

        public String metricPrefix()
        {
            return metricPrefix;
        }
    }

    /** How a value reads. */
    public enum Kind
    {
        /** Only grows while the process runs. */
        TOTAL,
        /** A level that goes up and down. */
        GAUGE,
        /** Epoch milliseconds, 0 for never: readers show the age. */
        TIMESTAMP
    }

    private static final FeedCounter[] VALUES = values();

    private final int typeId;
    private final Role role;
    private final String metricName;
    private final Kind kind;
    private final String description;

    FeedCounter(final int typeId, final Role role, final String metricName, final Kind kind, final String description)
    {
        this.typeId = typeId;
        this.role = role;
        this.metricName = metricName;
        this.kind = kind;
        this.description = description;
    }

    public int typeId()
    {
        return typeId;
    }

    public Role role()
    {
        return role;
    }

    /** Name within its role, snake case, e.g. {@code delivered}. */
    public String metricName()
    {
        return metricName;
    }

    public Kind kind()
    {
        return kind;
    }

    public String description()
    {
        return description;
    }

    /** The counter with this Aeron type id, or null when the id is not one of ours. */
    public static FeedCounter ofTypeId(final int typeId)
    {
        for (final FeedCounter counter : VALUES)
        {
            if (counter.typeId == typeId)
            {
                return counter;
            }
        }
        return null;
    }
}
