package io.feedhandler.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FanoutTest
{
    private static final int MAX_WRITE = GatewayConfiguration.WRITE_BUDGET + QuoteJson.MAX_EVENT_LENGTH + 4;

    @Test
    void aRenamedIdNeverCarriesTheOldSymbolsQuotesToTheNewSymbolsClients()
    {
        final GatewayParts parts = new GatewayParts(1024, 16);
        parts.define(5, "AAPL");
        parts.define(6, "IBM");
        for (int i = 0; i < 10; i++)
        {
            parts.quote(5);
        }
        parts.quote(6);
        parts.define(5, "MSFT"); // id 5 is MSFT from here on; no MSFT quote yet

        final GatewayParts.Client snapshot = parts.open(ClientFilter.of(Set.of("MSFT")), -1, true);
        final GatewayParts.Client resumed = parts.open(ClientFilter.of(Set.of("MSFT")), 0, false);
        final GatewayParts.Client lagging = parts.open(ClientFilter.of(Set.of("MSFT")), 0, false);
        lagging.stream.conflate = true; // as if it had been blocked: it gets the latest per instrument
        assertEquals(List.of(), snapshot.quotes(), "no MSFT quote yet: the book holds AAPL's for id 5");
        assertEquals(List.of(), resumed.quotes(), "the log holds AAPL's quotes of id 5");
        assertEquals(List.of(), lagging.quotes(), "conflated from the log");

        final long msft = parts.quote(5);
        for (final GatewayParts.Client client : List.of(snapshot, resumed, lagging))
        {
            final List<GatewayParts.Event> quotes = client.quotes();
            assertEquals(1, quotes.size(), quotes.toString());
            assertEquals(msft, quotes.get(0).sequence());
            assertEquals("MSFT", quotes.get(0).symbol());
        }

        final List<GatewayParts.Event> aapl = parts.open(ClientFilter.of(Set.of("AAPL")), 0, false).quotes();
        assertEquals(10, aapl.size(), "AAPL's quotes stay AAPL's: " + aapl);
        assertTrue(aapl.stream().allMatch(q -> q.symbol().equals("AAPL") && q.sequence() <= 10), aapl.toString());

        final List<GatewayParts.Event> everything = parts.open(ClientFilter.all(), -1, true).quotes();
        assertEquals(List.of("IBM", "MSFT"), everything.stream().map(GatewayParts.Event::symbol).toList(),
            "a snapshot is of the definitions in force: AAPL's id is MSFT now");
        assertFalse(parts.instruments.isDefined("AAPL"));
        assertTrue(parts.instruments.isDefined("MSFT"));
    }

    @Test
    void aConflationGoesInPiecesOfOneTurnsBudgetInSequenceOrderAndCountsWhatItSkipped()
    {
        final int instruments = 2000;
        final GatewayParts parts = new GatewayParts(8192, instruments);
        for (int id = 1; id <= instruments; id++)
        {
            parts.define(id, "S" + id);
        }
        final GatewayParts.Client behind = parts.open(ClientFilter.all(), -1, false);
        behind.stream.conflate = true; // as if blocked from the start: its loop runs after every quote is in
        for (int round = 0; round < 2; round++)
        {
            for (int id = 1; id <= instruments; id++)
            {
                parts.quote(id);
            }
        }
        final GatewayParts.Client snapshot = parts.open(ClientFilter.all(), -1, true);
        for (final GatewayParts.Client client : List.of(snapshot, behind))
        {
            final List<GatewayParts.Event> quotes = client.quotes();
            assertEquals(instruments, quotes.size(), "the latest of each instrument, once");
            for (int i = 0; i < quotes.size(); i++)
            {
                assertEquals(instruments + 1 + i, quotes.get(i).sequence(), "in sequence order");
            }
            assertTrue(client.writes.size() > 1, "in pieces");
            assertTrue(client.writes.stream().allMatch(bytes -> bytes <= MAX_WRITE), client.writes.toString());
        }
        assertEquals(0, snapshot.stream.conflated, "a snapshot is not conflation");
        assertEquals(instruments, behind.stream.conflated, "the first round: superseded, each counted once");
    }

    @Test
    void theBookPartOfAConflationGoesInPiecesToo()
    {
        final int instruments = 1000;
        final GatewayParts parts = new GatewayParts(64, instruments);
        for (int id = 1; id <= instruments; id++)
        {
            parts.define(id, "S" + id);
            parts.quote(id);
        }
        final GatewayParts.Client snapshot = parts.open(ClientFilter.all(), -1, true);
        final List<GatewayParts.Event> quotes = snapshot.quotes();
        assertEquals(instruments, quotes.size());
        for (int i = 0; i < quotes.size(); i++)
        {
            assertEquals(i + 1, quotes.get(i).sequence());
        }
        assertTrue(snapshot.writes.stream().allMatch(bytes -> bytes <= MAX_WRITE), snapshot.writes.toString());
    }

    @Test
    void aLogCopyLappedWhileAConflationRunsLeavesNoInstrumentStale()
    {
        final GatewayParts parts = new GatewayParts(64, 32);
        for (int id = 1; id <= 21; id++)
        {
            parts.define(id, "S" + id);
        }
        final GatewayParts.Client client = parts.open(ClientFilter.all(), -1, false);
        for (int i = 0; i < 40; i++)
        {
            parts.quote(1 + i % 20);
        }
        final Map<String, Long> latest = new HashMap<>();
        for (int id = 1; id <= 20; id++)
        {
            latest.put("S" + id, parts.book.sequence(parts.instruments.indexOf(id)));
        }
        // Between its scan of the log and its copies, the writer laps the whole log with one other instrument.
        client.channel.config().setAllocator(new AbstractByteBufAllocator()
        {
            boolean lapped;

            public boolean isDirectBufferPooled()
            {
                return false;
            }

            protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
            {
                return Unpooled.buffer(initialCapacity, maxCapacity);
            }

            protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
            {
                return Unpooled.directBuffer(initialCapacity, maxCapacity);
            }

            public ByteBuf ioBuffer(final int initialCapacity)
            {
                if (!lapped && client.stream.conflate)
                {
                    lapped = true;
                    for (int i = 0; i < 70; i++)
                    {
                        parts.quote(21);
                    }
                }
                return super.ioBuffer(initialCapacity);
            }
        });
        client.stream.conflate = true;
        client.stream.blocked = true;
        final Map<String, Long> received = new HashMap<>();
        client.fanout.drain(client.stream);
        long last = 0;
        for (final GatewayParts.Event quote : client.quotes())
        {
            assertTrue(quote.sequence() > last, "in order, never twice");
            last = quote.sequence();
            received.put(quote.symbol(), quote.sequence());
        }
        for (final Map.Entry<String, Long> entry : latest.entrySet())
        {
            assertEquals(entry.getValue(), received.get(entry.getKey()), "the latest of " + entry.getKey());
        }
        assertEquals(parts.lastSequence(), received.get("S21"));
    }

    @Test
    void aResumeFromAnotherStreamEpochIsResetNotResumedAmongOtherTicks()
    {
        final GatewayParts parts = new GatewayParts(1024, 16);
        parts.define(1, "AAPL");
        for (int i = 0; i < 20; i++)
        {
            parts.quote(1);
        }
        final String epoch = parts.tap.streamEpoch();
        assertEquals("0000000000001234-0", epoch);
        assertEquals(10, parts.open(ClientFilter.all(), 10, false, epoch).quotes().size(), "the same stream: resumed");
        final List<GatewayParts.Event> other = parts.open(ClientFilter.all(), 10, false, "0000000000001234-7").events();
        assertEquals("reset", other.get(0).type(), other.toString());
        assertEquals(epoch, other.get(0).data().text("epoch", "?"));
        assertEquals(List.of(20L), other.stream().filter(e -> e.type().equals("quote")).map(GatewayParts.Event::sequence)
            .toList(), "a snapshot after the reset, not sequences 11.. of another stream");
    }

    @Test
    void aClientThatCannotBeWrittenToIsNotReadFrom()
    {
        final GatewayParts parts = new GatewayParts(64, 4);
        parts.define(1, "AAPL");
        parts.quote(1);
        final GatewayParts.Client client = parts.open(ClientFilter.all(), -1, false);
        assertTrue(client.channel.config().isAutoRead());
        client.channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertFalse(client.channel.isWritable());
        client.fanout.writabilityChanged(client.stream);
        assertFalse(client.channel.config().isAutoRead(), "what it sends waits in the kernel, not in the gateway");
        client.channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        client.fanout.writabilityChanged(client.stream);
        assertTrue(client.channel.config().isAutoRead());
    }
}
