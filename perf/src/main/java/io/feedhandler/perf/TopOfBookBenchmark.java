package io.feedhandler.perf;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.subscriber.TopOfBook;
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

/** Top-of-book update for a quote of one of N instruments (the subscriber does one per tick). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TopOfBookBenchmark
{
    @Param({"100", "10000"})
    int instruments;

    private final MutableQuote quote = new MutableQuote();
    private TopOfBook book;
    private long sequence;

    @Setup
    public void setUp()
    {
        book = new TopOfBook(100_000);
        quote.bidPrice = 10_125_000_000L;
        quote.askPrice = 10_127_000_000L;
        quote.bidSize = 300;
        quote.askSize = 500;
        for (int i = 1; i <= instruments; i++)
        {
            quote.instrumentId = i;
            book.update(quote);
        }
    }

    @Benchmark
    public int update()
    {
        final long s = ++sequence;
        quote.sequence = s;
        quote.instrumentId = (int)(s * 0x9E3779B1L >>> 7) % instruments + 1;
        book.update(quote);
        return book.size();
    }
}
