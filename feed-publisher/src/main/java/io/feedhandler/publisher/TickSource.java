package io.feedhandler.publisher;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MutableQuote;

import java.util.List;

/**
 * Where ticks come from. The publisher owns sequence numbers and send timestamps; a source fills
 * in the market data: instrument, prices, sizes and the exchange timestamp.
 */
public interface TickSource
{
    /** Every instrument this source can quote, known before the first tick. */
    List<Instrument> instruments();

    /**
     * Fill {@code quote} with the next tick. Called on the publisher's hot path: allocate nothing.
     *
     * @param nowEpochNanos the tick's publish (send) time on the publisher's clock, for sources without
     *                      timestamps of their own: their exchange time must come before it.
     * @return false when the source is exhausted.
     */
    boolean next(MutableQuote quote, long nowEpochNanos);
}
