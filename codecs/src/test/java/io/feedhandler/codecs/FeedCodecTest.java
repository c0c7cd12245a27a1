package io.feedhandler.codecs;

import io.feedhandler.sbe.FeedState;
import io.feedhandler.sbe.HeartbeatDecoder;
import io.feedhandler.sbe.InstrumentDefinitionDecoder;
import io.feedhandler.sbe.MessageHeaderEncoder;
import io.feedhandler.sbe.QuoteBatchEncoder;
import io.feedhandler.sbe.QuoteEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedCodecTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final FeedEncoder encoder = new FeedEncoder();
    private final Recorder recorder = new Recorder();
    private final FeedDecoder decoder = new FeedDecoder(recorder);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 1_000_000, FeedDecoder.MAX_SEQUENCE})
    void quoteRoundTripsEveryField(final long sequence)
    {
        final MutableQuote quote = quote(sequence);
        final int length = encoder.encodeQuote(buffer, 8, quote);

        assertTrue(decoder.decode(buffer, 8, length));
        assertEquals(1, recorder.quotes.size());
        final MutableQuote decoded = recorder.quotes.get(0);
        assertEquals(quote.sequence, decoded.sequence);
        assertEquals(quote.instrumentId, decoded.instrumentId);
        assertEquals(quote.bidPrice, decoded.bidPrice);
        assertEquals(quote.bidSize, decoded.bidSize);
        assertEquals(quote.askPrice, decoded.askPrice);
        assertEquals(quote.askSize, decoded.askSize);
        assertEquals(quote.exchangeTimestamp, decoded.exchangeTimestamp);
        assertEquals(quote.sendTimestamp, decoded.sendTimestamp);
    }

    @Test
    void quoteCarriesEdgeValues()
    {
        final MutableQuote quote = quote(FeedDecoder.MAX_SEQUENCE);
        quote.instrumentId = Integer.MAX_VALUE;
        quote.bidPrice = Long.MIN_VALUE + 1; // MIN_VALUE is SBE's null for int64
        quote.askPrice = Long.MAX_VALUE;
        quote.bidSize = 0;
        quote.askSize = Long.MAX_VALUE;
        quote.exchangeTimestamp = 0;
        quote.sendTimestamp = Long.MAX_VALUE;

        assertTrue(decoder.decode(buffer, 0, encoder.encodeQuote(buffer, 0, quote)));
        final MutableQuote decoded = recorder.quotes.get(0);
        assertEquals(Integer.MAX_VALUE, decoded.instrumentId);
        assertEquals(Long.MIN_VALUE + 1, decoded.bidPrice);
        assertEquals(Long.MAX_VALUE, decoded.askPrice);
        assertEquals(0, decoded.bidSize);
        assertEquals(Long.MAX_VALUE, decoded.askSize);
        assertEquals(Long.MAX_VALUE, decoded.sendTimestamp);
    }

    @Test
    void quoteIsSixtyEightBytesOnTheWire()
    {
        assertEquals(68, FeedEncoder.QUOTE_LENGTH);
        assertEquals(68, encoder.encodeQuote(buffer, 0, quote(1)));
    }

    @Test
    void sendTimeCanBeStampedAfterEncoding()
    {
        encoder.encodeQuote(buffer, 0, quote(5));
        FeedEncoder.stampSendTime(buffer, 0, 777L);
        decoder.decode(buffer, 0, FeedEncoder.QUOTE_LENGTH);
        assertEquals(777L, recorder.quotes.get(0).sendTimestamp);
    }

    @Test
    void heartbeatRoundTrips()
    {
        final int length = encoder.encodeHeartbeat(buffer, 0, 12345, 99, FeedState.ENDED, 0);
        assertTrue(decoder.decode(buffer, 0, length));
        assertEquals(List.of("heartbeat 12345 99 ENDED"), recorder.events);
    }

    @Test
    void instrumentDefinitionRoundTrips()
    {
        int length = encoder.encodeInstrument(buffer, 0, new Instrument(7, "AAPL", -2), 0);
        assertTrue(decoder.decode(buffer, 0, length));
        length = encoder.encodeInstrument(buffer, 0, new Instrument(8, "SIXTEENCHARSLONG", -8), 0);
        assertTrue(decoder.decode(buffer, 0, length));
        assertEquals(List.of("instrument 7 AAPL -2", "instrument 8 SIXTEENCHARSLONG -8"), recorder.events);
    }

    @Test
    void shorterThanAHeaderIsTruncated()
    {
        assertFalse(decoder.decode(buffer, 0, 7));
        assertEquals(List.of("malformed TRUNCATED"), recorder.events);
    }

    @Test
    void shorterThanTheAnnouncedBlockIsTruncated()
    {
        final int length = encoder.encodeQuote(buffer, 0, quote(1));
        assertFalse(decoder.decode(buffer, 0, length - 1));
        assertEquals(List.of("malformed TRUNCATED"), recorder.events);
    }

    @Test
    void anotherSchemaIsRejected()
    {
        final int length = encoder.encodeQuote(buffer, 0, quote(1));
        buffer.putShort(4, (short)(MessageHeaderEncoder.SCHEMA_ID + 1), QuoteEncoder.BYTE_ORDER);
        assertFalse(decoder.decode(buffer, 0, length));
        assertEquals(List.of("malformed WRONG_SCHEMA"), recorder.events);
    }

    @Test
    void unknownTemplateIsRejected()
    {
        final int length = encoder.encodeQuote(buffer, 0, quote(1));
        buffer.putShort(2, (short)999, QuoteEncoder.BYTE_ORDER);
        assertFalse(decoder.decode(buffer, 0, length));
        assertEquals(List.of("malformed UNKNOWN_TEMPLATE"), recorder.events);
    }

    @Test
    void blockTooShortForOurFieldsIsRejected()
    {
        final int length = encoder.encodeQuote(buffer, 0, quote(1));
        buffer.putShort(0, (short)(QuoteEncoder.BLOCK_LENGTH - 8), QuoteEncoder.BYTE_ORDER);
        assertFalse(decoder.decode(buffer, 0, length));
        assertEquals(List.of("malformed BAD_BLOCK_LENGTH"), recorder.events);
    }

    @Test
    void newerVersionWithAddedFieldsDecodesTheKnownOnes()
    {
        // A version-2 writer appended 8 bytes of a field this reader does not know.
        encoder.encodeQuote(buffer, 0, quote(42));
        buffer.putShort(0, (short)(QuoteEncoder.BLOCK_LENGTH + 8), QuoteEncoder.BYTE_ORDER);
        buffer.putShort(6, (short)(QuoteEncoder.SCHEMA_VERSION + 1), QuoteEncoder.BYTE_ORDER);
        buffer.putLong(FeedEncoder.QUOTE_LENGTH, 0xDEADBEEFL);

        assertTrue(decoder.decode(buffer, 0, FeedEncoder.QUOTE_LENGTH + 8));
        assertEquals(42, recorder.quotes.get(0).sequence);
        assertEquals(quote(42).askSize, recorder.quotes.get(0).askSize);
    }

    @Test
    void outOfRangeValuesAreRejected()
    {
        final MutableQuote quote = quote(0);
        assertFalse(decoder.decode(buffer, 0, encoder.encodeQuote(buffer, 0, quote)));
        quote.sequence = 1;
        quote.instrumentId = 0;
        assertFalse(decoder.decode(buffer, 0, encoder.encodeQuote(buffer, 0, quote)));

        final int length = encoder.encodeHeartbeat(buffer, 0, 1, 1, FeedState.LIVE, 0);
        buffer.putByte(MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatDecoder.stateEncodingOffset(), (byte)77); // no such state
        assertFalse(decoder.decode(buffer, 0, length));

        final int defLength = encoder.encodeInstrument(buffer, 0, new Instrument(3, "ABC", -2), 0);
        buffer.putByte(MessageHeaderEncoder.ENCODED_LENGTH + InstrumentDefinitionDecoder.symbolEncodingOffset(),
            (byte)0x07); // control character in the symbol
        assertFalse(decoder.decode(buffer, 0, defLength));

        // No sequence without a next one: Long.MAX_VALUE would wrap a subscriber's "next expected".
        quote.instrumentId = 1;
        quote.sequence = Long.MAX_VALUE;
        assertFalse(decoder.decode(buffer, 0, encoder.encodeQuote(buffer, 0, quote)));
        assertFalse(decoder.decode(buffer, 0, encoder.encodeHeartbeat(buffer, 0, Long.MAX_VALUE, 1, FeedState.LIVE, 0)));

        assertEquals(List.of("malformed BAD_VALUE", "malformed BAD_VALUE", "malformed BAD_VALUE", "malformed BAD_VALUE",
            "malformed BAD_VALUE", "malformed BAD_VALUE"), recorder.events);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 25, 156, 65_534})
    void aBatchIsByteForByteWhatTheGeneratedCodecWritesAndDecodesToItsQuotes(final int count)
    {
        recorder.recordBatches = true;
        final UnsafeBuffer mine = new UnsafeBuffer(new byte[QuoteBatchWriter.length(count) + 16]);
        final UnsafeBuffer generated = new UnsafeBuffer(new byte[QuoteBatchWriter.length(count) + 16]);
        final QuoteBatchWriter writer = new QuoteBatchWriter().wrap(mine, 8, 0x1234_5678_9ABC_DEF0L, 1_000);
        final QuoteBatchEncoder encoder = new QuoteBatchEncoder().wrapAndApplyHeader(generated, 8, new MessageHeaderEncoder())
            .epoch(0x1234_5678_9ABC_DEF0L)
            .firstSequence(1_000);
        final QuoteBatchEncoder.QuotesEncoder entries = encoder.quotesCount(count);
        for (int i = 0; i < count; i++)
        {
            final MutableQuote quote = quote(1_000 + i);
            quote.instrumentId = 1 + i % 97;
            quote.bidSize = i;
            writer.add(quote);
            entries.next()
                .exchangeTimestamp(quote.exchangeTimestamp)
                .sendTimestamp(quote.sendTimestamp)
                .bidSize(quote.bidSize)
                .askSize(quote.askSize)
                .instrumentId(quote.instrumentId);
            entries.bidPrice().mantissa(quote.bidPrice);
            entries.askPrice().mantissa(quote.askPrice);
        }
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        assertEquals(length, writer.length());
        assertEquals(QuoteBatchWriter.length(count), length);
        for (int i = 0; i < length; i++)
        {
            assertEquals(generated.getByte(8 + i), mine.getByte(8 + i), "byte " + i);
        }

        assertTrue(decoder.decode(mine, 8, length));
        assertEquals(count, recorder.quotes.size());
        for (int i = 0; i < count; i++)
        {
            final MutableQuote decoded = recorder.quotes.get(i);
            assertEquals(1_000 + i, decoded.sequence);
            assertEquals(1 + i % 97, decoded.instrumentId);
            assertEquals(i, decoded.bidSize);
            assertEquals(quote(0).askPrice, decoded.askPrice);
            assertEquals(quote(0).sendTimestamp, decoded.sendTimestamp);
        }
        assertEquals(List.of("batch 1311768467463790320 1000 " + count, "batch end"), recorder.events);
        assertEquals(count, QuoteBatchWriter.count(mine, 8));
        assertEquals(1_000, QuoteBatchWriter.firstSequence(mine, 8));
        assertEquals(0x1234_5678_9ABC_DEF0L, QuoteBatchWriter.epoch(mine, 8));
    }

    @Test
    void aSingleTickBatchStillFitsOneAeronFrameOf128Bytes()
    {
        assertEquals(80, QuoteBatchWriter.length(1), "32-byte frame header + 80 = 112, aligned to 128 like the old quote");
        assertEquals(25, QuoteBatchWriter.quotesThatFit(1408 - 32), "per 1408-byte datagram");
        assertEquals(156, QuoteBatchWriter.quotesThatFit(8192 - 32), "per 8 KiB datagram");
    }

    @Test
    void aDamagedBatchIsDroppedWholeNeverDeliveredInPart()
    {
        final QuoteBatchWriter writer = new QuoteBatchWriter();
        final UnsafeBuffer batch = new UnsafeBuffer(new byte[QuoteBatchWriter.length(3)]);

        writeBatch(writer, batch, 5, 3);
        batch.putInt(QuoteBatchWriter.HEADER_LENGTH + QuoteBatchWriter.ENTRY_LENGTH + QuoteBatchWriter.INSTRUMENT_ID, 0,
            QuoteEncoder.BYTE_ORDER); // the second quote's instrument id
        assertFalse(decoder.decode(batch, 0, writer.length()));

        writeBatch(writer, batch, 5, 3);
        assertFalse(decoder.decode(batch, 0, writer.length() - 1), "cut short by a byte");

        writeBatch(writer, batch, FeedDecoder.MAX_SEQUENCE - 1, 3);
        assertFalse(decoder.decode(batch, 0, writer.length()), "its last sequence would pass the highest");

        writeBatch(writer, batch, 5, 3);
        batch.putShort(QuoteBatchWriter.COUNT_OFFSET, (short)0, QuoteEncoder.BYTE_ORDER);
        assertFalse(decoder.decode(batch, 0, writer.length()), "an empty batch");

        writeBatch(writer, batch, 5, 3);
        batch.putShort(QuoteBatchWriter.DIMENSION_OFFSET, (short)(QuoteBatchWriter.ENTRY_LENGTH - 1), QuoteEncoder.BYTE_ORDER);
        assertFalse(decoder.decode(batch, 0, writer.length()), "entries too short for this reader's fields");

        assertEquals(0, recorder.quotes.size());
        assertEquals(List.of("malformed BAD_VALUE", "malformed TRUNCATED", "malformed BAD_VALUE", "malformed BAD_VALUE",
            "malformed BAD_BLOCK_LENGTH"), recorder.events);
    }

    @Test
    void aVersionOneQuoteReadsAsABatchOfOneAndVersionOneHeartbeatsAndDefinitionsStillDecode()
    {
        recorder.recordBatches = true;
        assertTrue(decoder.decode(buffer, 0, encoder.encodeQuote(buffer, 0, quote(9))));
        // Version 1 blocks: a heartbeat without its epoch, a definition without the sequence it applies from.
        final int heartbeat = encoder.encodeHeartbeat(buffer, 0, 12, 34, FeedState.LIVE, 77);
        buffer.putShort(0, (short)HeartbeatDecoder.epochEncodingOffset(), QuoteEncoder.BYTE_ORDER);
        buffer.putShort(6, (short)1, QuoteEncoder.BYTE_ORDER);
        assertTrue(decoder.decode(buffer, 0, heartbeat - 8));
        final int definition = encoder.encodeInstrument(buffer, 0, new Instrument(3, "ABC", -2), 500);
        buffer.putShort(0, (short)InstrumentDefinitionDecoder.fromSequenceEncodingOffset(), QuoteEncoder.BYTE_ORDER);
        buffer.putShort(6, (short)1, QuoteEncoder.BYTE_ORDER);
        assertTrue(decoder.decode(buffer, 0, definition - 8));
        assertEquals(List.of("batch 0 9 1", "batch end", "heartbeat 12 34 LIVE epoch 0", "instrument 3 ABC -2 from 0"),
            recorder.events);
    }

    @Test
    void heartbeatsCarryTheEpochAndDefinitionsTheSequenceTheyApplyFrom()
    {
        recorder.recordBatches = true;
        assertTrue(decoder.decode(buffer, 0, encoder.encodeHeartbeat(buffer, 0, 12, 34, FeedState.LIVE, 77)));
        assertTrue(decoder.decode(buffer, 0, encoder.encodeInstrument(buffer, 0, new Instrument(3, "ABC", -2), 500)));
        assertEquals(List.of("heartbeat 12 34 LIVE epoch 77", "instrument 3 ABC -2 from 500"), recorder.events);
    }

    @Test
    void aFilteredBatchCarriesJournaledEntriesWithTheirSequencesAndItsMarker()
    {
        final QuoteBatchWriter journaled = new QuoteBatchWriter();
        final UnsafeBuffer entry = new UnsafeBuffer(new byte[QuoteBatchWriter.length(3)]);
        writeBatch(journaled, entry, 40, 3);
        final FilteredBatchWriter writer = new FilteredBatchWriter();
        final UnsafeBuffer filtered = new UnsafeBuffer(new byte[1024]);
        writer.wrap(filtered, 0, 9);
        writer.add(entry, QuoteBatchWriter.entriesOffset(entry, 0), 40);
        writer.add(entry, QuoteBatchWriter.entriesOffset(entry, 0) + 2 * QuoteBatchWriter.ENTRY_LENGTH, 42);
        writer.upTo(57);
        final List<String> events = new ArrayList<>();
        final List<MutableQuote> quotes = new ArrayList<>();
        final FeedDecoder filteredDecoder = new FeedDecoder(new FeedHandler()
        {
            public void onQuote(final Quote quote)
            {
                events.add("live quote");
            }

            public void onFilteredBatch(final long epoch, final long upToSequence, final int count)
            {
                events.add("batch " + epoch + " " + upToSequence + " " + count);
            }

            public void onFilteredQuote(final Quote quote)
            {
                quotes.add(new MutableQuote().set(quote));
            }

            public void onFilteredBatchEnd(final long upToSequence)
            {
                events.add("marker " + upToSequence);
            }

            public void onMalformed(final MalformedReason reason)
            {
                events.add("malformed " + reason);
            }
        });
        assertTrue(filteredDecoder.decode(filtered, 0, writer.length()));
        assertEquals(List.of("batch 9 57 2", "marker 57"), events);
        assertEquals(2, quotes.size());
        assertEquals(quote(40).toString(), quotes.get(0).toString());
        assertEquals(quote(42).toString(), quotes.get(1).toString());
        assertEquals(FilteredBatchWriter.HEADER_LENGTH + 2 * 60, writer.length(), "a journaled entry and its sequence");

        writer.wrap(filtered, 0, 9);
        writer.upTo(99);
        assertTrue(filteredDecoder.decode(filtered, 0, writer.length()), "a pure marker");
        writer.add(entry, QuoteBatchWriter.entriesOffset(entry, 0), 100);
        assertFalse(filteredDecoder.decode(filtered, 0, writer.length()), "a quote past its marker");
        writer.wrap(filtered, 0, 9);
        writer.add(entry, QuoteBatchWriter.entriesOffset(entry, 0), 50);
        writer.add(entry, QuoteBatchWriter.entriesOffset(entry, 0), 50);
        writer.upTo(60);
        assertFalse(filteredDecoder.decode(filtered, 0, writer.length()), "a sequence twice");
        assertFalse(filteredDecoder.decode(filtered, 0, writer.length() - 1), "cut short by a byte");
        assertEquals(List.of("batch 9 57 2", "marker 57", "batch 9 99 0", "marker 99", "malformed BAD_VALUE",
            "malformed BAD_VALUE", "malformed TRUNCATED"), events);
    }

    private static void writeBatch(final QuoteBatchWriter writer, final UnsafeBuffer batch, final long first, final int count)
    {
        writer.wrap(batch, 0, 1, first);
        for (int i = 0; i < count; i++)
        {
            writer.add(quote(first + i));
        }
    }

    @Test
    void randomBytesNeverThrow()
    {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        final byte[] bytes = new byte[128];
        final UnsafeBuffer noise = new UnsafeBuffer(bytes);
        for (int i = 0; i < 100_000; i++)
        {
            random.nextBytes(bytes);
            if (random.nextBoolean())
            {
                noise.putShort(4, (short)MessageHeaderEncoder.SCHEMA_ID, QuoteEncoder.BYTE_ORDER);
                final int[] templates = {1, 2, 3, 4, 16, 18}; // what a feed reader decodes, replay responses included
                noise.putShort(2, (short)templates[random.nextInt(templates.length)], QuoteEncoder.BYTE_ORDER);
            }
            decoder.decode(noise, 0, random.nextInt(bytes.length + 1));
        }
    }

    static MutableQuote quote(final long sequence)
    {
        final MutableQuote quote = new MutableQuote();
        quote.sequence = sequence;
        quote.instrumentId = 17;
        quote.bidPrice = Prices.parse("101.25");
        quote.bidSize = 300;
        quote.askPrice = Prices.parse("101.27");
        quote.askSize = 500;
        quote.exchangeTimestamp = 1_795_000_000_000_000_000L;
        quote.sendTimestamp = 1_795_000_000_000_001_000L;
        return quote;
    }

    static final class Recorder implements FeedHandler
    {
        final List<MutableQuote> quotes = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        boolean recordBatches;

        public void onQuote(final Quote quote)
        {
            quotes.add(new MutableQuote().set(quote));
        }

        public void onBatchBegin(final long epoch, final long firstSequence, final int count)
        {
            if (recordBatches)
            {
                events.add("batch " + epoch + " " + firstSequence + " " + count);
            }
        }

        public void onBatchEnd()
        {
            if (recordBatches)
            {
                events.add("batch end");
            }
        }

        public void onHeartbeat(final long lastSequence, final long sendTimestamp, final FeedState state, final long epoch)
        {
            events.add("heartbeat " + lastSequence + " " + sendTimestamp + " " + state + (epoch != 0 || recordBatches ?
                " epoch " + epoch : ""));
        }

        public void onInstrument(
            final int instrumentId, final int priceExponent, final CharSequence symbol, final long fromSequence)
        {
            events.add("instrument " + instrumentId + " " + symbol + " " + priceExponent + (fromSequence != 0 ||
                recordBatches ? " from " + fromSequence : ""));
        }

        public void onMalformed(final MalformedReason reason)
        {
            events.add("malformed " + reason);
        }
    }
}
