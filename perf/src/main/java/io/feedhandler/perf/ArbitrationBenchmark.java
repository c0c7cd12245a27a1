package io.feedhandler.perf;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.Line;
import io.feedhandler.subscriber.SubscriberAgent;
import io.feedhandler.subscriber.SubscriberContext;
import org.agrona.BufferUtil;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import java.util.concurrent.TimeUnit;

/**
 * What A/B arbitration costs the subscriber: a batch of 16 ticks decoded, sequenced and delivered
 * (digest, top of book, latency) once from line A alone, against the same batch on line A and then,
 * the same bytes, on line B (the copy counted and dropped), per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ArbitrationBenchmark
{
    private static final int TICKS = 16;

    @Param({"1", "2"})
    int lines;

    private final MutableQuote quote = new MutableQuote();
    private final UnsafeBuffer batch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
        QuoteBatchWriter.length(TICKS) + 64, 64));
    private final QuoteBatchWriter writer = new QuoteBatchWriter();
    private SubscriberAgent agent;
    private long sequence;
    private int length;

    @Setup
    public void setUp()
    {
        final EpochNanoClock clock = System::nanoTime;
        final SubscriberContext context = new SubscriberContext().recovery(false).transport(t ->
        {
            t.channel("aeron:udp?endpoint=239.255.90.1:40001|interface=127.0.0.1");
            if (lines == 2)
            {
                t.bChannel("aeron:udp?endpoint=239.255.90.3:40003|interface=127.0.0.1");
            }
        }).conclude();
        agent = new SubscriberAgent(context, null, null, null, q -> { }, FeedStatusListener.NONE,
            new SystemNanoClock(), clock);
        agent.onStart();
        quote.instrumentId = 1;
        quote.bidPrice = 10_125_000_000L;
        quote.askPrice = 10_127_000_000L;
        quote.bidSize = 300;
        quote.askSize = 500;
    }

    @Benchmark
    public long batch()
    {
        writer.wrap(batch, 0, 1, sequence + 1);
        quote.sendTimestamp = System.nanoTime(); // the agent's wall clock here: a real latency, not an age
        for (int i = 0; i < TICKS; i++)
        {
            quote.sequence = ++sequence;
            quote.instrumentId = (int)(sequence & 63) + 1;
            writer.add(quote);
        }
        length = writer.length();
        agent.onLineMessage(Line.A, batch, 0, length);
        if (lines == 2)
        {
            agent.onLineMessage(Line.B, batch, 0, length);
        }
        return agent.lastDeliveredSequence();
    }
}
