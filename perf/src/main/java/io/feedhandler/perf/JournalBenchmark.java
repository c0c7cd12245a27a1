package io.feedhandler.perf;

import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.QuoteBatchWriter;
import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalEntryHandler;
import io.feedhandler.journal.JournalReader;
import io.feedhandler.journal.JournalWriter;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The journal on its own: append one quote batch of {@code ticks} quotes (one Chronicle document),
 * read the next one, and seek to a random sequence (a binary search over the batches of its cycle)
 * and read the batch that holds it. Divide by {@code ticks} for the cost per tick. The journal lives
 * in a temporary directory (set {@code java.io.tmpdir} to measure another disk).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JournalBenchmark implements JournalEntryHandler
{
    private static final int PREFILLED_TICKS = 1_000_000;

    @Param({"1", "25"})
    int ticks;

    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(QuoteBatchWriter.length(256), 64));
    private final QuoteBatchWriter batch = new QuoteBatchWriter();
    private final MutableQuote quote = new MutableQuote();
    private final SplittableRandom random = new SplittableRandom(5);
    private Path directory;
    private Journal journal;
    private JournalWriter writer;
    private JournalReader reader;
    private JournalReader seeker;
    private long sequence;
    private long consumed;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        directory = Files.createTempDirectory("feed-journal-bench");
        journal = Journal.open(directory);
        writer = journal.newWriter();
        quote.instrumentId = 7;
        quote.bidPrice = 10_125_000_000L;
        quote.askPrice = 10_127_000_000L;
        quote.bidSize = 300;
        quote.askSize = 500;
        while (sequence < PREFILLED_TICKS)
        {
            append();
        }
        reader = journal.newReader().toStart();
        seeker = journal.newReader();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        reader.close();
        seeker.close();
        writer.close();
        journal.close();
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long append()
    {
        batch.wrap(buffer, 0, 1, sequence + 1);
        for (int i = 0; i < ticks; i++)
        {
            quote.sequence = ++sequence;
            batch.add(quote);
        }
        writer.append(buffer, 0, batch.length());
        return sequence;
    }

    @Benchmark
    public long readNext()
    {
        if (!reader.read(this))
        {
            reader.toStart();
        }
        return consumed;
    }

    @Benchmark
    public long seekAndRead()
    {
        seeker.seek(1 + random.nextLong(PREFILLED_TICKS));
        seeker.read(this);
        return consumed;
    }

    public boolean onEntry(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        consumed += sequence + QuoteBatchWriter.count(buffer, offset);
        return true;
    }
}
