package io.feedhandler.gateway;

import io.feedhandler.codecs.MutableQuote;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventLogTest
{
    private final EventLog log = new EventLog(1024);
    private final GatewayBook book = new GatewayBook(16);
    private final MutableQuote quote = new MutableQuote();

    private void append(final long sequence, final int instrument)
    {
        quote.sequence = sequence;
        quote.instrumentId = instrument + 1;
        quote.bidPrice = 100_000_000L * sequence;
        quote.askPrice = quote.bidPrice + 1_000_000;
        final int offset = log.append(quote, instrument, QuoteJson.symbolBytes("S" + instrument));
        book.update(instrument, log, offset, sequence);
    }

    @Test
    void eventsAreHeldBySequenceUntilTheWriterComesRound()
    {
        for (long sequence = 1; sequence <= 3000; sequence++)
        {
            append(sequence, (int)(sequence % 4));
        }
        assertEquals(3000, log.head());
        assertEquals(3000 - 1024 + 1, log.oldest(log.head()));
        final ByteBuf out = Unpooled.buffer();
        assertTrue(log.copy(log.offset(3000), 3000, 0, out, EventSlots.SSE) > 0);
        assertTrue(out.toString(StandardCharsets.US_ASCII).startsWith("id: 3000\nevent: quote\ndata: {"));
        assertEquals(EventSlots.MISSED, log.copy(log.offset(1000), 1000, 0, out, EventSlots.SSE), "lapped");
        assertTrue(log.sequenceAt(log.offset(1000)) > 1000, "a reader sees it was lapped");
        assertEquals(0, log.instrumentAt(log.offset(2000), 2000, 0));
    }

    @Test
    void aSequenceNeverDeliveredIsSeenAsOlderThanAsked()
    {
        append(1, 0);
        append(2, 1);
        append(5, 2); // 3 and 4 were lost
        assertEquals(EventSlots.MISSED, log.instrumentAt(log.offset(3), 3, 0));
        assertTrue(log.sequenceAt(log.offset(3)) < 3, "never written: skip it");
    }

    @Test
    void webSocketAndJsonFormatsAreTheSameObject()
    {
        append(7, 3);
        final ByteBuf sse = Unpooled.buffer();
        final ByteBuf json = Unpooled.buffer();
        final ByteBuf ws = Unpooled.buffer();
        log.copy(log.offset(7), 7, 0, sse, EventSlots.SSE);
        log.copy(log.offset(7), 7, 0, json, EventSlots.JSON);
        log.copy(log.offset(7), 7, 0, ws, EventSlots.WEBSOCKET);
        final String text = json.toString(StandardCharsets.US_ASCII);
        assertTrue(sse.toString(StandardCharsets.US_ASCII).contains("data: " + text + "\n\n"));
        assertEquals(0x81, ws.readUnsignedByte());
        final int length = ws.readUnsignedByte();
        assertEquals(text.length() < 126 ? text.length() : 126, length);
        if (length == 126)
        {
            assertEquals(text.length(), ws.readUnsignedShort());
        }
        assertEquals(text, ws.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void theBookHoldsTheLatestOfEachInstrument()
    {
        for (long sequence = 1; sequence <= 100; sequence++)
        {
            append(sequence, (int)(sequence % 4));
        }
        assertEquals(100, book.sequence(0));
        assertEquals(97, book.sequence(1));
        final ByteBuf out = Unpooled.buffer();
        assertEquals(99, book.copyLatest(3, out, EventSlots.JSON));
        assertTrue(out.toString(StandardCharsets.US_ASCII).contains("\"sequence\":99,\"symbol\":\"S3\""));
        assertEquals(0, book.sequence(5));
    }

    @Test
    void aSequenceReusedAfterAStreamResetNeverPassesForTheOldStreams()
    {
        for (long sequence = 1; sequence <= 10; sequence++)
        {
            append(sequence, 0);
        }
        assertEquals(0, log.generation());
        log.reset();
        append(5, 1); // the new stream's 5, in the slot the old stream's 5 was in
        final ByteBuf out = Unpooled.buffer();
        assertEquals(EventSlots.MISSED, log.copy(log.offset(5), 5, 0, out, EventSlots.JSON), "not the old stream's 5");
        assertEquals(EventSlots.MISSED, log.instrumentAt(log.offset(5), 5, 0));
        assertEquals(0, out.readableBytes());
        assertTrue(log.copy(log.offset(5), 5, 1, out, EventSlots.JSON) > 0);
        assertEquals(1, log.instrumentAt(log.offset(5), 5, 1));
        assertEquals(1, log.instrumentAt(log.offset(5), 5, EventSlots.ANY_GENERATION));
        assertTrue(out.toString(StandardCharsets.US_ASCII).contains("\"symbol\":\"S1\""));
    }
}
