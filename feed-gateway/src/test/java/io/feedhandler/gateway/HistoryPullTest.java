package io.feedhandler.gateway;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.subscriber.RecoverySource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A resume from the journal labels and filters each tick by the definition in force at its
 * sequence, as the source hands them on, whatever the gateway's instruments say now.
 */
class HistoryPullTest
{
    /** A journal of 6 ticks of id 5: AAPL from 1, MSFT from 4; and id 7, never defined, at 3. */
    private static final class Journal implements RecoverySource
    {
        private final RecoverySource.Handler handler;
        private final MutableQuote quote = new MutableQuote();
        private long next;

        Journal(final RecoverySource.Handler handler)
        {
            this.handler = handler;
        }

        public boolean start(final long fromSequence)
        {
            next = fromSequence;
            return true;
        }

        public boolean startSnapshot()
        {
            return false;
        }

        public int poll(final int limit)
        {
            if (next > 6)
            {
                return 0;
            }
            if (next == 1)
            {
                handler.onInstrument(5, -2, "AAPL", 1);
            }
            if (next == 4)
            {
                handler.onInstrument(5, -2, "MSFT", 4);
            }
            quote.sequence = next;
            quote.instrumentId = next == 3 ? 7 : 5;
            quote.bidPrice = 100_000_000L;
            quote.askPrice = 101_000_000L;
            handler.onQuote(quote);
            next++;
            return 1;
        }

        public void stop()
        {
        }

        public String describe()
        {
            return "test journal";
        }

        public void close()
        {
        }
    }

    private static List<String> pulled(final ClientFilter filter)
    {
        final GatewayParts parts = new GatewayParts(64, 16);
        parts.define(5, "MSFT"); // what the gateway knows now: id 5 is MSFT
        for (int i = 0; i < 1000; i++)
        {
            parts.quote(5);
        }
        parts.history = Journal::new;
        // The gateway's log starts at 937 (64 held): a resume from 0 reads the journal until it gets there.
        final GatewayParts.Client client = parts.open(filter, 0, false);
        client.stream.filter.resolve(parts.instruments);
        return client.quotes().stream().filter(q -> q.sequence() <= 6).map(q -> q.sequence() + " " + q.symbol())
            .toList();
    }

    @Test
    void eachPulledTickGoesOutUnderItsOwnDefinitionToItsOwnClientsOnly()
    {
        assertEquals(List.of("4 MSFT", "5 MSFT", "6 MSFT"), pulled(ClientFilter.of(Set.of("MSFT"))));
        assertEquals(List.of("1 AAPL", "2 AAPL"), pulled(ClientFilter.of(Set.of("AAPL"))));
        assertEquals(List.of("1 AAPL", "2 AAPL", "3 #7", "4 MSFT", "5 MSFT", "6 MSFT"), pulled(ClientFilter.all()));
    }
}
