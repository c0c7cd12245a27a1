package io.feedhandler.codecs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SummaryLineTest
{
    @Test
    void writesOneLineOfJsonInOrder()
    {
        final String line = new SummaryLine()
            .add("role", "sub\"scriber\n")
            .add("delivered", 5)
            .add("ok", true)
            .add("latencyNs", new SummaryLine().add("p50", 1).add("p99", 2))
            .toString();
        assertEquals("{\"role\":\"sub\\\"scriber\\u000a\",\"delivered\":5,\"ok\":true,\"latencyNs\":{\"p50\":1,\"p99\":2}}",
            line);
    }
}
