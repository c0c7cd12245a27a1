package io.feedhandler.subscriber;

import io.feedhandler.codecs.Instrument;
import org.slf4j.Logger;

import java.util.List;

/**
 * A {@link FeedStatusListener} that logs every state change of the feed: gaps and recovery at info or
 * warn, what cannot be delivered (lost, never journaled, a reset stream) at error, each instrument
 * learnt at debug. Called on the subscriber's thread, so the logger's appender should not block
 * (the command line's logback configuration is asynchronous and never blocks). Open for extension: a command
 * that also needs the instruments (the symbols of {@code subscribe --print}) overrides {@link #onInstrument}.
 */
public class LoggingStatusListener implements FeedStatusListener
{
    private final Logger log;
    private final long staleTimeoutMillis;

    /**
     * @param log               where the lines go: the caller's logger, so they carry its name.
     * @param staleTimeoutNanos the subscriber's stale timeout, named in the rejoin lines.
     */
    public LoggingStatusListener(final Logger log, final long staleTimeoutNanos)
    {
        this.log = log;
        this.staleTimeoutMillis = staleTimeoutNanos / 1_000_000;
    }

    public void onGap(final long fromSequence, final long toSequence)
    {
        log.warn("gap: sequences {}..{} missing", fromSequence, toSequence);
    }

    public void onInstrument(final Instrument instrument)
    {
        log.debug("instrument {} = {}", instrument.id(), instrument.symbol());
    }

    public void onPublisherEnded(final long lastSequence)
    {
        log.info("publisher ended its run at sequence {}", lastSequence);
    }

    public void onRecoveryStarted(final long fromSequence)
    {
        log.info("recovering from sequence {}", fromSequence);
    }

    public void onRecovered(final long upToSequence)
    {
        log.info("recovered up to sequence {}: back on live", upToSequence);
    }

    public void onLost(final long fromSequence, final long toSequence)
    {
        log.error("sequences {}..{} are no longer in the journal: lost", fromSequence, toSequence);
    }

    public void onNotJournaled(final long fromSequence, final long toSequence)
    {
        log.error("sequences {}..{} were never journaled (the publisher's journal disk was full, policy " +
            "live-only) and were missed live: lost", fromSequence, toSequence);
    }

    public void onSnapshot(final long snapshotSequence, final int instruments)
    {
        log.info("snapshot as of sequence {}: {} instrument(s); the ticks after it follow", snapshotSequence, instruments);
    }

    /** Debug only: a slow consumer conflates many times a second; the counters say how much. */
    public void onConflated(final long fromSequence, final long toSequence, final long skipped)
    {
        if (log.isDebugEnabled()) // a conflating subscriber flushes about every duty cycle: box nothing when off
        {
            log.debug("behind: conflated sequences {}..{}, {} superseded tick(s) not delivered", fromSequence,
                toSequence, skipped);
        }
    }

    public void onInstrumentsNotDefined(final List<String> symbols)
    {
        log.warn("--instrument: {} symbol(s) not defined (yet) in this stream: {}; they match nothing until defined",
            symbols.size(), String.join(",", symbols));
    }

    public void onRecoveryProblem(final String reason)
    {
        log.warn("recovery: {}", reason);
    }

    public void onOtherPublisher(final long followed, final long other)
    {
        log.error("another publisher (epoch {}) sends on this channel and stream beside the one followed " +
            "(epoch {}): its messages are dropped and counted (otherPublisher); give each publisher its own " +
            "stream", String.format("%016x", other), String.format("%016x", followed));
    }

    public void onStreamReset(final long lastDelivered, final long publisherLastSequence)
    {
        log.error("the publisher is at sequence {} but this subscriber already delivered up to {}: its " +
            "journal was reset or this is another stream; following it from {}", publisherLastSequence,
            lastDelivered, publisherLastSequence + 1);
    }

    public void onLiveRejoined()
    {
        log.warn("live stream silent for {} ms: rejoined", staleTimeoutMillis);
    }

    public void onLineSilent(final Line line, final String channel, final Line deliveringFrom)
    {
        if (deliveringFrom != null)
        {
            log.warn("line {} ({}) silent for {} ms: rejoined; delivering from line {}", line, channel,
                staleTimeoutMillis, deliveringFrom);
        }
        else
        {
            log.warn("line {} ({}) silent for {} ms: rejoined; the other line is silent too", line, channel,
                staleTimeoutMillis);
        }
    }

    public void onLineAlive(final Line line)
    {
        log.info("line {} speaks again", line);
    }

    public void onLiveRejoinFailed(final String reason)
    {
        log.warn("cannot rejoin the live stream yet ({}); trying again every {} ms", reason, staleTimeoutMillis);
    }
}
