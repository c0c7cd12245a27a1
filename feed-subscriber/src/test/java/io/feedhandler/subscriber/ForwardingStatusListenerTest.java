package io.feedhandler.subscriber;

import io.feedhandler.codecs.Instrument;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ForwardingStatusListenerTest
{
    /**
     * Every event of the interface is forwarded: one added there and not here would be silently dropped
     * by the replica's journal and the gateway's tap (as the line events once were).
     */
    @Test
    void everyStatusEventIsForwarded() throws Exception
    {
        final List<String> missing = new ArrayList<>();
        for (final Method method : FeedStatusListener.class.getMethods())
        {
            final boolean keepsDefault = method.getName().equals("onInstrument") && method.getParameterCount() == 2;
            final boolean overridden = ForwardingStatusListener.class
                .getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass() == ForwardingStatusListener.class;
            if (overridden == keepsDefault)
            {
                missing.add(method.getName());
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void definitionsReachTheSubclassAndTheDelegate()
    {
        final List<String> seen = new ArrayList<>();
        final FeedStatusListener delegate = new FeedStatusListener()
        {
            public void onInstrument(final Instrument instrument)
            {
                seen.add("delegate " + instrument.symbol());
            }

            public void onLineSilent(final Line line, final String channel, final Line deliveringFrom)
            {
                seen.add("delegate silent " + line);
            }
        };
        final ForwardingStatusListener tap = new ForwardingStatusListener(delegate)
        {
            public void onInstrument(final Instrument instrument)
            {
                seen.add("tap " + instrument.symbol());
                super.onInstrument(instrument);
            }
        };
        tap.onInstrument(new Instrument(7, "AAPL", -4), 100);
        tap.onLineSilent(Line.B, "aeron:udp?endpoint=239.255.78.3:40001|interface=127.0.0.1", Line.A);
        assertEquals(List.of("tap AAPL", "delegate AAPL", "delegate silent B"), seen);
    }
}
