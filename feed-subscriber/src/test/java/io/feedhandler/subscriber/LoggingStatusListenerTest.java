package io.feedhandler.subscriber;

import io.feedhandler.codecs.Instrument;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoggingStatusListenerTest
{
    private final List<String> lines = new ArrayList<>();

    /** A logger that keeps "level message" for each call of a level method with a format. */
    private final Logger log = (Logger)Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[]{Logger.class},
        (proxy, method, args) ->
        {
            if (args != null && args.length > 0 && args[0] instanceof String)
            {
                final Object[] rest = new Object[args.length - 1];
                System.arraycopy(args, 1, rest, 0, rest.length);
                final Object[] values = rest.length == 1 && rest[0] instanceof Object[] ? (Object[])rest[0] : rest;
                lines.add(method.getName() + " " + MessageFormatter.arrayFormat((String)args[0], values).getMessage());
            }
            return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
        });

    @Test
    void logsEachStateChangeAtItsLevel()
    {
        final FeedStatusListener listener = new LoggingStatusListener(log, 3_000_000_000L);
        listener.onGap(5, 9);
        listener.onInstrument(new Instrument(7, "AAPL", -2));
        listener.onPublisherEnded(100);
        listener.onRecoveryStarted(5);
        listener.onRecovered(9);
        listener.onLost(1, 4);
        listener.onNotJournaled(10, 12);
        listener.onRecoveryProblem("no server");
        listener.onStreamReset(50, 20);
        listener.onLiveRejoined();
        listener.onLiveRejoinFailed("link down");
        assertEquals(List.of(
            "warn gap: sequences 5..9 missing",
            "debug instrument 7 = AAPL",
            "info publisher ended its run at sequence 100",
            "info recovering from sequence 5",
            "info recovered up to sequence 9: back on live",
            "error sequences 1..4 are no longer in the journal: lost",
            "error sequences 10..12 were never journaled (the publisher's journal disk was full, policy live-only) " +
                "and were missed live: lost",
            "warn recovery: no server",
            "error the publisher is at sequence 20 but this subscriber already delivered up to 50: its journal was " +
                "reset or this is another stream; following it from 21",
            "warn live stream silent for 3000 ms: rejoined",
            "warn cannot rejoin the live stream yet (link down); trying again every 3000 ms"), lines);
    }
}
