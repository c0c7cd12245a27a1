package io.feedhandler.subscriber;

import io.aeron.Aeron;
import io.feedhandler.replay.client.ReplayClient;
import io.feedhandler.replay.client.ReplayListener;
import io.feedhandler.sbe.ReplayEndReason;
import io.feedhandler.sbe.ReplayErrorCode;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Recovery through replay servers: one open-ended replay session at a time. Replayed quotes go from
 * the response channel through the client's decoder straight to the handler; this class only turns
 * the session's ends and refusals into the handler's terms, and picks the server ({@link ReplayFailover}):
 * with several in {@code --replay-channel}, one that cannot be reached, refuses, goes silent or ends the
 * session is left for the next, and the handler asks again from its next needed sequence.
 */
public final class NetworkRecovery implements RecoverySource, ReplayListener
{
    private final ReplayClient client;
    private final ReplayFailover failover;
    private final IntPredicate connected;
    private final NanoClock clock;
    private final Handler handler;
    private final List<String> servers;
    private final String streamText;
    /** A filtered subscriber's instruments as the request names them; null to ask for every instrument. */
    private final String instruments;
    private final String responseHow;
    private final long silenceTimeoutNanos;
    /** The current pull has had its answer (begin, error or end) from the server. */
    private boolean answered;
    /** The server the current or last pull went to; -1 before any. */
    private int server = -1;

    public NetworkRecovery(final Aeron aeron, final SubscriberContext context, final Handler handler)
    {
        this.handler = handler;
        this.servers = context.replayChannels();
        this.client = new ReplayClient(aeron, servers, context.replayStreamId(),
            context.replayResponseChannel(), context.replayResponseStreamId(), this, handler);
        this.connected = client::serverConnected;
        final SplittableRandom random = context.random() != null ? context.random().split() : new SplittableRandom();
        this.failover = new ReplayFailover(servers.size(),
            new RetryBackoff(SubscriberConfiguration.RECOVERY_RETRY_NANOS, context.recoveryRetryMaxNanos(), random),
            context.replayConnectWaitNanos());
        this.clock = context.transport().nanoClock() != null ? context.transport().nanoClock() : new SystemNanoClock();
        this.streamText = " stream " + context.replayStreamId();
        this.instruments = context.instrumentFilter() != null ? context.instrumentFilter().describe() : null;
        this.responseHow = context.replayResponseHow();
        // Silence is a reason to go elsewhere only when there is an elsewhere. With one server, a pull
        // whose answers queue behind live on a saturated link looks silent too: asking the same server
        // again would throw away what is on its way, every second, and never finish (the lab's throttled
        // host did exactly that). Its recovery timeout's stall rule asks again if nothing comes at all.
        this.silenceTimeoutNanos = servers.size() > 1 ? context.replayServerTimeoutNanos() : 0;
    }

    public boolean start(final long fromSequence)
    {
        client.stop();
        answered = false;
        failover.newRound(fromSequence);
        if (failover.choose(clock.nanoTime(), connected) != ReplayFailover.Verdict.READY)
        {
            return false;
        }
        final int chosen = failover.chosen();
        return sent(chosen, instruments != null ? client.requestFiltered(chosen, fromSequence, 0, instruments) :
            client.request(chosen, fromSequence, 0));
    }

    public boolean startSnapshot()
    {
        client.stop();
        answered = false;
        if (failover.choose(clock.nanoTime(), connected) != ReplayFailover.Verdict.READY)
        {
            return false;
        }
        final int chosen = failover.chosen();
        return sent(chosen, client.requestSnapshot(chosen));
    }

    private boolean sent(final int chosen, final long correlationId)
    {
        if (correlationId == ReplayClient.NOT_SENT)
        {
            return false;
        }
        server = chosen;
        failover.asked(chosen);
        return true;
    }

    public String whyNotStarted()
    {
        if (servers.size() == 1)
        {
            if (!client.serverConnected(0))
            {
                return "cannot reach " + describe(0) + ": nothing answers there (is the replay server or its " +
                    "publisher running, and is that UDP port open from this host?)";
            }
            if (failover.backingOff(0, clock.nanoTime()))
            {
                return "cannot ask " + describe(0) + " yet: backing off after " + failover.failures(0) +
                    " failures in a row";
            }
            return "cannot ask " + describe(0) + ": the response channel is not bound yet";
        }
        final long now = clock.nanoTime();
        final StringBuilder states = new StringBuilder();
        boolean anyConnected = false;
        for (int i = 0; i < servers.size(); i++)
        {
            anyConnected |= client.serverConnected(i);
            states.append(i == 0 ? "" : "; ").append(servers.get(i)).append(": ").append(
                !client.serverConnected(i) ? "nothing answers there" : failover.backingOff(i, now) ?
                "backing off after " + failover.failures(i) + " failures in a row" : "connected");
        }
        return (anyConnected ? "cannot ask any of the replay servers" : "cannot reach any of the replay servers") +
            streamText + " (" + states + ")" + (anyConnected ? "" :
            ": are the replay servers or their publishers running, and are those UDP ports open from this host?");
    }

    public String unanswered()
    {
        if (answered || server < 0)
        {
            return null;
        }
        final String endpoint = client.responseEndpoint();
        return describe(server) + " is there (it acknowledges our requests) but its answers to " + endpoint +
            " (" + responseHow + ") do not arrive: that address or UDP port is not reachable from the server " +
            "(another network, NAT or a firewall). Set --replay-response-channel aeron:udp?endpoint=ADDRESS:PORT " +
            "with an address of this host the server can reach, and open that UDP port" + (servers.size() > 1 ?
            " (the address is found on the route to the first server in --replay-channel; every server must " +
            "reach it)" : "");
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
        return describe(Math.max(server, 0));
    }

    private String describe(final int index)
    {
        return "replay server " + servers.get(index) + streamText;
    }

    public void failed(final PullFailure why)
    {
        if (server >= 0)
        {
            failover.penalize(server, clock.nanoTime(),
                why == PullFailure.SILENT ? ReplayFailover.Why.SILENT : ReplayFailover.Why.STALLED);
        }
    }

    public void progressed()
    {
        if (server >= 0)
        {
            failover.succeeded(server);
        }
    }

    public long nextAttemptNanos(final long nowNanos)
    {
        return failover.nextAttemptNanos(nowNanos, connected);
    }

    public long silenceTimeoutNanos()
    {
        return silenceTimeoutNanos;
    }

    public long failovers()
    {
        return failover.failovers();
    }

    public String server()
    {
        return server >= 0 ? servers.get(server) : null;
    }

    public void onReplayBegin(
            final long correlationId, final long from, final long to, final long head, final long epoch)
    {
        answered = true;
        if (!handler.followsEpoch(epoch))
        {
            client.stop(); // its quotes are dropped: the client listens to the current request's session only
            failover.penalize(server, clock.nanoTime(), ReplayFailover.Why.OTHER_EPOCH);
            handler.onRefused(false, 0, "the replay server serves the journal of epoch " +
                String.format("%016x", epoch) + ", another stream than this subscriber follows; nothing of it is taken" +
                (servers.size() > 1 ? " (" + describe() + ")" : ""));
            return;
        }
        handler.onJournalHead(head);
    }

    public void onReplayEnd(final long correlationId, final long lastSequence, final ReplayEndReason reason)
    {
        answered = true;
        failover.penalize(server, clock.nanoTime(), ReplayFailover.Why.INTERRUPTED);
        handler.onInterrupted("replay session ended (" + reason + ") at sequence " + lastSequence +
            (servers.size() > 1 ? " by " + describe() : ""));
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
        final String from = servers.size() > 1 ? " (" + describe() + ")" : "";
        final long now = clock.nanoTime();
        if (code == ReplayErrorCode.BELOW_RETENTION)
        {
            if (failover.belowRetention(server, first, now, connected))
            {
                // Another server may still hold the range: ask it before counting anything lost.
                handler.onInterrupted(code + from + ": " + message + "; asking the next replay server");
                return;
            }
            handler.onRefused(true, failover.lowestRetained(), code + from + ": " + message);
            return;
        }
        failover.penalize(server, now, ReplayFailover.Why.REFUSED);
        handler.onRefused(false, 0, code + from + ": " + message);
    }

    public void close()
    {
        client.close();
    }
}
