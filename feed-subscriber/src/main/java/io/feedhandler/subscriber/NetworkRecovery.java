package io.feedhandler.subscriber;

import io.aeron.Aeron;
import io.feedhandler.replay.client.ReplayClient;
import io.feedhandler.replay.client.ReplayListener;
import io.feedhandler.sbe.ReplayEndReason;
import io.feedhandler.sbe.ReplayErrorCode;

/**
 * Recovery through a replay server: one open-ended replay session at a time. Replayed quotes go from
 * the response channel through the client's decoder straight to the handler; this class only turns
 * the session's ends and refusals into the handler's terms.
 */
public final class NetworkRecovery implements RecoverySource, ReplayListener
{
    private final ReplayClient client;
    private final Handler handler;
    private final String description;
    /** A filtered subscriber's instruments as the request names them; null to ask for every instrument. */
    private final String instruments;
    private final String responseHow;
    /** The current pull has had its answer (begin, error or end) from the server. */
    private boolean answered;

    public NetworkRecovery(final Aeron aeron, final SubscriberContext context, final Handler handler)
    {
        this.handler = handler;
        this.client = new ReplayClient(aeron, context.replayChannel(), context.replayStreamId(),
            context.replayResponseChannel(), context.replayResponseStreamId(), this, handler);
        this.description = "replay server " + context.replayChannel() + " stream " + context.replayStreamId();
        this.instruments = context.instrumentFilter() != null ? context.instrumentFilter().describe() : null;
        this.responseHow = context.replayResponseHow();
    }

    public boolean start(final long fromSequence)
    {
        client.stop();
        answered = false;
        return (instruments != null ? client.requestFiltered(fromSequence, 0, instruments) :
            client.request(fromSequence, 0)) != ReplayClient.NOT_SENT;
    }

    public boolean startSnapshot()
    {
        client.stop();
        answered = false;
        return client.requestSnapshot() != ReplayClient.NOT_SENT;
    }

    public String whyNotStarted()
    {
        if (!client.serverConnected())
        {
            return "cannot reach " + description + ": nothing answers there (is the replay server or its publisher " +
                "running, and is that UDP port open from this host?)";
        }
        return "cannot ask " + description + ": the response channel is not bound yet";
    }

    public String unanswered()
    {
        if (answered)
        {
            return null;
        }
        final String endpoint = client.responseEndpoint();
        return description + " is there (it acknowledges our requests) but its answers to " + endpoint +
            " (" + responseHow + ") do not arrive: that address or UDP port is not reachable from the server " +
            "(another network, NAT or a firewall). Set --replay-response-channel aeron:udp?endpoint=ADDRESS:PORT " +
            "with an address of this host the server can reach, and open that UDP port";
    }

    public int poll(final int limit)
    {
        return client.poll(limit);
    }

    public void stop()
    {
        client.stop();
    }

    public String describe()
    {
        return description;
    }

    public void onReplayBegin(
            final long correlationId, final long from, final long to, final long head, final long epoch)
    {
        answered = true;
        if (!handler.followsEpoch(epoch))
        {
            client.stop(); // its quotes are dropped: the client listens to the current request's session only
            handler.onRefused(false, 0, "the replay server serves the journal of epoch " + String.format("%016x", epoch) +
                ", another stream than this subscriber follows; nothing of it is taken");
            return;
        }
        handler.onJournalHead(head);
    }

    public void onReplayEnd(final long correlationId, final long lastSequence, final ReplayEndReason reason)
    {
        answered = true;
        handler.onInterrupted("replay session ended (" + reason + ") at sequence " + lastSequence);
    }

    public void onReplayError(
        final long correlationId, final ReplayErrorCode code, final long first, final long last, final String message)
    {
        answered = true;
        if (code == ReplayErrorCode.NOT_JOURNALED)
        {
            handler.onNotJournaled(first, last, code + ": " + message);
            return;
        }
        if (code == ReplayErrorCode.NO_SNAPSHOTS)
        {
            handler.onSnapshotsUnavailable(code + ": " + message);
            return;
        }
        handler.onRefused(code == ReplayErrorCode.BELOW_RETENTION, first, code + ": " + message);
    }

    public void close()
    {
        client.close();
    }
}
