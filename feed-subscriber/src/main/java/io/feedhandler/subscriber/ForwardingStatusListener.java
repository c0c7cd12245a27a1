package io.feedhandler.subscriber;

import io.feedhandler.codecs.Instrument;

import java.util.List;

/**
 * A status listener that passes every event on to another (the process's log and counters), for a
 * listener that acts on a few events itself (a replica's journal, the gateway's tap) and must not
 * silence the rest: an event added to {@link FeedStatusListener} is forwarded here once, not missed by
 * each. {@link #onInstrument(Instrument, long)} keeps the interface's default, so a subclass that acts
 * on {@link #onInstrument(Instrument)} sees every definition.
 */
public abstract class ForwardingStatusListener implements FeedStatusListener
{
    protected final FeedStatusListener delegate;

    protected ForwardingStatusListener(final FeedStatusListener delegate)
    {
        this.delegate = delegate;
    }

    public void onGap(final long fromSequence, final long toSequence)
    {
        delegate.onGap(fromSequence, toSequence);
    }

    public void onInstrument(final Instrument instrument)
    {
        delegate.onInstrument(instrument);
    }

    public void onStreamFollowed(final long epoch)
    {
        delegate.onStreamFollowed(epoch);
    }

    public void onNotJournaledRange(final long firstSequence, final long lastSequence)
    {
        delegate.onNotJournaledRange(firstSequence, lastSequence);
    }

    public void onDefinitionsOverflow(final int instrumentId, final int capacity)
    {
        delegate.onDefinitionsOverflow(instrumentId, capacity);
    }

    public void onRecoveryStarted(final long fromSequence)
    {
        delegate.onRecoveryStarted(fromSequence);
    }

    public void onRecovered(final long upToSequence)
    {
        delegate.onRecovered(upToSequence);
    }

    public void onLost(final long fromSequence, final long toSequence)
    {
        delegate.onLost(fromSequence, toSequence);
    }

    public void onNotJournaled(final long fromSequence, final long toSequence)
    {
        delegate.onNotJournaled(fromSequence, toSequence);
    }

    public void onSnapshot(final long snapshotSequence, final int instruments)
    {
        delegate.onSnapshot(snapshotSequence, instruments);
    }

    public void onConflated(final long fromSequence, final long toSequence, final long skipped)
    {
        delegate.onConflated(fromSequence, toSequence, skipped);
    }

    public void onInstrumentsNotDefined(final List<String> symbols)
    {
        delegate.onInstrumentsNotDefined(symbols);
    }

    public void onRecoveryProblem(final String reason)
    {
        delegate.onRecoveryProblem(reason);
    }

    public void onStreamReset(final long lastDelivered, final long publisherLastSequence)
    {
        delegate.onStreamReset(lastDelivered, publisherLastSequence);
    }

    public void onLineSilent(final Line line, final String channel, final Line deliveringFrom)
    {
        delegate.onLineSilent(line, channel, deliveringFrom);
    }

    public void onLineAlive(final Line line)
    {
        delegate.onLineAlive(line);
    }

    public void onLiveRejoined()
    {
        delegate.onLiveRejoined();
    }

    public void onLiveRejoinFailed(final String reason)
    {
        delegate.onLiveRejoinFailed(reason);
    }

    public void onOtherPublisher(final long followed, final long other)
    {
        delegate.onOtherPublisher(followed, other);
    }

    public void onPublisherEnded(final long lastSequence)
    {
        delegate.onPublisherEnded(lastSequence);
    }
}
