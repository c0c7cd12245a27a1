package io.feedhandler.codecs;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feedhandler.sbe.FeedState;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Coverage-guided fuzzing of the one place where untrusted bytes become feed messages. The property:
 * whatever the bytes, decoding returns (well-formed or counted as malformed) and never throws, and
 * a message reported well-formed has values in range. The build replays the checked-in corpus
 * (src/test/resources/.../FeedDecoderFuzzTestInputs) only, so it is deterministic; {@code scripts/fuzz}
 * searches for new inputs for as long as it is given.
 */
class FeedDecoderFuzzTest
{
    private final FeedDecoder decoder = new FeedDecoder(new FeedHandler()
    {
        public void onQuote(final Quote quote)
        {
            if (quote.sequence() < 1 || quote.sequence() > FeedDecoder.MAX_SEQUENCE || quote.instrumentId() < 1)
            {
                throw new AssertionError("accepted an out-of-range quote: " + quote);
            }
        }

        public void onHeartbeat(final long lastSequence, final long sendTimestamp, final FeedState state, final long epoch)
        {
            if (lastSequence < 0 || lastSequence > FeedDecoder.MAX_SEQUENCE || state == null || state == FeedState.NULL_VAL)
            {
                throw new AssertionError("accepted a bad heartbeat");
            }
        }

        public void onInstrument(final int instrumentId, final int priceExponent, final CharSequence symbol, final long fromSequence)
        {
            if (instrumentId < 1 || symbol.length() == 0 || symbol.length() > Instrument.MAX_SYMBOL_LENGTH)
            {
                throw new AssertionError("accepted a bad instrument definition");
            }
        }
    });

    @FuzzTest(maxDuration = "10s")
    void decodeNeverThrows(final byte[] input)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(input);
        decoder.decode(buffer, 0, input.length);
    }
}
