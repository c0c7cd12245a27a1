package io.feedhandler.perf;

import io.feedhandler.codecs.FeedDecoder;
import io.feedhandler.codecs.FeedEncoder;
import io.feedhandler.codecs.FeedHandler;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Quote;
import io.feedhandler.codecs.QuoteBatchWriter;
import org.agrona.BufferUtil;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * SBE encode and decode, header included: a quote batch of {@code ticks} quotes (what goes on the
 * wire and into the journal; 1 at low rates, 25 is one 1408-byte datagram's worth), and version 1's
 * single quote for comparison. Per operation: one whole batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QuoteCodecBenchmark
{
    @Param({"1", "25"})
    int ticks;

    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(QuoteBatchWriter.length(256), 64));
    private final FeedEncoder encoder = new FeedEncoder();
    private final QuoteBatchWriter batch = new QuoteBatchWriter();
    private final MutableQuote quote = new MutableQuote();
    private Blackhole blackhole;
    private final FeedDecoder decoder = new FeedDecoder(new FeedHandler()
    {
        public void onQuote(final Quote decoded)
        {
            blackhole.consume(decoded.sequence());
            blackhole.consume(decoded.bidPrice());
            blackhole.consume(decoded.askPrice());
            blackhole.consume(decoded.bidSize());
            blackhole.consume(decoded.askSize());
        }
    });
    private int batchLength;
    private long sequence;

    @Setup
    public void setUp(final Blackhole blackhole)
    {
        this.blackhole = blackhole;
        quote.instrumentId = 7;
        quote.bidPrice = 10_125_000_000L;
        quote.askPrice = 10_127_000_000L;
        quote.bidSize = 300;
        quote.askSize = 500;
        quote.exchangeTimestamp = 1_795_000_000_000_000_000L;
        quote.sendTimestamp = 1_795_000_000_000_001_000L;
        batchLength = encodeBatch();
    }

    @Benchmark
    public int encodeBatch()
    {
        batch.wrap(buffer, 0, 0x5EED, sequence + 1);
        for (int i = 0; i < ticks; i++)
        {
            quote.sequence = ++sequence;
            batch.add(quote);
        }
        return batch.length();
    }

    @Benchmark
    public boolean decodeBatch()
    {
        return decoder.decode(buffer, 0, batchLength);
    }

    /** Version 1's single quote, one per operation whatever {@code ticks}: the per-tick cost batches are compared with. */
    @Benchmark
    public int encodeSingleQuote()
    {
        quote.sequence = ++sequence;
        return encoder.encodeQuote(buffer, 0, quote);
    }
}
