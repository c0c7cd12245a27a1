package io.feedhandler.perf;

import com.google.protobuf.CodedOutputStream;
import io.feedhandler.perf.proto.QuoteProtos.QuoteMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The same quote fields through protobuf-java, used the way most teams would: a builder per message
 * and {@code writeTo} on encode, {@code parseFrom} on decode. The baseline for
 * {@link QuoteCodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProtobufQuoteBenchmark
{
    private final byte[] buffer = new byte[128];
    private int encodedLength;
    private long sequence;

    @Setup
    public void setUp() throws IOException
    {
        encodedLength = encode();
    }

    @Benchmark
    public int encode() throws IOException
    {
        final QuoteMessage message = QuoteMessage.newBuilder()
            .setSequence(++sequence)
            .setExchangeTimestamp(1_795_000_000_000_000_000L)
            .setSendTimestamp(1_795_000_000_000_001_000L)
            .setBidPrice(10_125_000_000L)
            .setBidSize(300)
            .setAskPrice(10_127_000_000L)
            .setAskSize(500)
            .setInstrumentId(7)
            .build();
        final CodedOutputStream out = CodedOutputStream.newInstance(buffer);
        message.writeTo(out);
        return out.getTotalBytesWritten();
    }

    @Benchmark
    public void decode(final Blackhole blackhole) throws IOException
    {
        final QuoteMessage message = QuoteMessage.parseFrom(
            com.google.protobuf.CodedInputStream.newInstance(buffer, 0, encodedLength));
        blackhole.consume(message.getSequence());
        blackhole.consume(message.getBidPrice());
        blackhole.consume(message.getAskPrice());
        blackhole.consume(message.getBidSize());
        blackhole.consume(message.getAskSize());
    }
}
