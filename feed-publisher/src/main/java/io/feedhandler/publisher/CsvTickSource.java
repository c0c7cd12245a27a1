package io.feedhandler.publisher;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Prices;

import io.feedhandler.transport.ExitCleanup;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ticks from a CSV file with the columns {@code timestamp,symbol,bid,bidSize,ask,askSize}.
 * <ul>
 *   <li>timestamp: nanoseconds since the epoch, or an ISO-8601 instant such as
 *       {@code 2026-11-20T14:30:00.123456789Z};</li>
 *   <li>symbol: 1-16 printable ASCII characters; ids are given in order of first appearance;</li>
 *   <li>bid, ask: decimal prices, at most 8 decimals; bidSize, askSize: whole numbers &gt;= 0.</li>
 * </ul>
 * A header line starting with {@code timestamp}, blank lines and lines starting with {@code #} are
 * skipped. The whole file is checked before the first tick is published, so a bad line stops the
 * publisher at start with its line number and nothing half-published.
 * <p>
 * A file of any size, in constant memory: the check reads the file once, line by line, and writes
 * each tick, parsed, to a checked index beside nothing else (a temporary file of fixed-size records,
 * {@value #RECORD_BYTES} bytes a tick, less than the CSV line); publishing reads that index through
 * one fixed buffer, so the hot path parses and allocates nothing. Only the instruments (one entry
 * per symbol) are held in memory. {@link #close()} deletes the index.
 */
public final class CsvTickSource implements TickSource, AutoCloseable
{
    public static final String COLUMNS = "timestamp,symbol,bid,bidSize,ask,askSize";
    /** One tick in the index: timestamp, bid, bid size, ask, ask size (8 bytes each) and the instrument id (4). */
    static final int RECORD_BYTES = 5 * Long.BYTES + Integer.BYTES;
    /** Ticks read from the index at a time. */
    private static final int RECORDS_PER_READ = 1024;
    /** Files at least this large report the check's progress (every tenth of the file). */
    public static final long PROGRESS_FILE_BYTES = 16L * 1024 * 1024;

    /** Told how the check of a large file is going: at every tenth of its bytes. */
    @FunctionalInterface
    public interface CheckProgress
    {
        void onProgress(long bytesRead, long fileBytes, long ticks);
    }

    private final List<Instrument> instruments;
    private final long count;
    private final Path index;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(RECORD_BYTES * RECORDS_PER_READ).order(ByteOrder.LITTLE_ENDIAN);
    private long position;

    private CsvTickSource(final List<Instrument> instruments, final long count, final Path index) throws IOException
    {
        this.instruments = instruments;
        this.count = count;
        this.index = index;
        this.channel = FileChannel.open(index, StandardOpenOption.READ);
        buffer.limit(0);
    }

    /** Check the whole file, without progress reports. */
    public static CsvTickSource load(final Path file)
    {
        return load(file, (read, total, ticks) -> { });
    }

    /**
     * Check the whole file and index it.
     *
     * @throws IllegalArgumentException naming the file, the line number and the bad value.
     */
    public static CsvTickSource load(final Path file, final CheckProgress progress)
    {
        if (!Files.isReadable(file) || Files.isDirectory(file))
        {
            throw new IllegalArgumentException("bad --csv '" + file + "': not a readable file");
        }
        final Map<String, Integer> idBySymbol = new HashMap<>();
        final List<String> symbols = new ArrayList<>();
        final List<Integer> maxDecimals = new ArrayList<>();
        Path index = null;
        long ticks = 0;
        try
        {
            final long fileBytes = Files.size(file);
            index = Files.createTempFile("feed-csv-", ".ticks");
            ExitCleanup.register(index.toFile()); // gone on every exit that can remove it
            final ByteBuffer out = ByteBuffer.allocate(RECORD_BYTES * RECORDS_PER_READ).order(ByteOrder.LITTLE_ENDIAN);
            try (CountingReader reader = new CountingReader(Files.newInputStream(file));
                FileChannel indexChannel = FileChannel.open(index, StandardOpenOption.WRITE))
            {
                String line;
                int lineNumber = 0;
                long nextReport = fileBytes / 10;
                while ((line = reader.readLine()) != null)
                {
                    lineNumber++;
                    if (fileBytes >= PROGRESS_FILE_BYTES && reader.bytesRead() >= nextReport && nextReport > 0)
                    {
                        progress.onProgress(reader.bytesRead(), fileBytes, ticks);
                        nextReport += fileBytes / 10;
                    }
                    final String trimmed = line.trim();
                    if (trimmed.isEmpty() || trimmed.startsWith("#") ||
                        (lineNumber == 1 && trimmed.regionMatches(true, 0, "timestamp", 0, 9)))
                    {
                        continue;
                    }
                    final String[] fields = trimmed.split(",", -1);
                    if (fields.length != 6)
                    {
                        throw lineError(file, lineNumber, "expected 6 columns (" + COLUMNS + "), found " +
                            fields.length + ": '" + trimmed + "'");
                    }
                    try
                    {
                        final long timestamp = parseTimestamp(fields[0].trim());
                        final String symbol = fields[1].trim();
                        Integer id = idBySymbol.get(symbol);
                        if (id == null)
                        {
                            new Instrument(symbols.size() + 1, symbol, -2); // validates the symbol
                            id = symbols.size() + 1;
                            idBySymbol.put(symbol, id);
                            symbols.add(symbol);
                            maxDecimals.add(2);
                        }
                        final long bid = Prices.parse(fields[2]);
                        final long bidSize = parseSize("bidSize", fields[3]);
                        final long ask = Prices.parse(fields[4]);
                        final long askSize = parseSize("askSize", fields[5]);
                        maxDecimals.set(id - 1, Math.max(maxDecimals.get(id - 1),
                            Math.max(decimals(fields[2]), decimals(fields[4]))));
                        out.putLong(timestamp).putLong(bid).putLong(bidSize).putLong(ask).putLong(askSize).putInt(id);
                        ticks++;
                        if (!out.hasRemaining())
                        {
                            drain(out, indexChannel);
                        }
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw lineError(file, lineNumber, ex.getMessage());
                    }
                }
                drain(out, indexChannel);
                if (fileBytes >= PROGRESS_FILE_BYTES)
                {
                    progress.onProgress(fileBytes, fileBytes, ticks);
                }
            }
            final List<Instrument> instruments = new ArrayList<>(symbols.size());
            for (int i = 0; i < symbols.size(); i++)
            {
                instruments.add(new Instrument(i + 1, symbols.get(i), -maxDecimals.get(i)));
            }
            return new CsvTickSource(List.copyOf(instruments), ticks, index);
        }
        catch (final IOException ex)
        {
            deleteIndex(index);
            throw new IllegalArgumentException("bad --csv '" + file + "': " + ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            deleteIndex(index);
            throw ex;
        }
    }

    private static void drain(final ByteBuffer out, final FileChannel channel) throws IOException
    {
        out.flip();
        while (out.hasRemaining())
        {
            channel.write(out);
        }
        out.clear();
    }

    private static void deleteIndex(final Path index)
    {
        if (index != null)
        {
            index.toFile().delete();
            ExitCleanup.release(index.toFile());
        }
    }

    public List<Instrument> instruments()
    {
        return instruments;
    }

    /** Number of ticks in the file. */
    public long size()
    {
        return count;
    }

    public boolean next(final MutableQuote quote, final long nowEpochNanos)
    {
        if (position >= count)
        {
            return false;
        }
        if (buffer.remaining() < RECORD_BYTES && !refill())
        {
            return false;
        }
        quote.exchangeTimestamp = buffer.getLong();
        quote.bidPrice = buffer.getLong();
        quote.bidSize = buffer.getLong();
        quote.askPrice = buffer.getLong();
        quote.askSize = buffer.getLong();
        quote.instrumentId = buffer.getInt();
        position++;
        return true;
    }

    /** The next records of the index into the buffer; false when it cannot be read (it was checked whole). */
    private boolean refill()
    {
        buffer.compact();
        try
        {
            while (buffer.position() < RECORD_BYTES)
            {
                if (channel.read(buffer) < 0)
                {
                    break;
                }
            }
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException("the CSV's checked index " + index + " cannot be read", ex);
        }
        finally
        {
            buffer.flip();
        }
        return buffer.remaining() >= RECORD_BYTES;
    }

    /** Delete the checked index. */
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // deleting it is what matters
        }
        deleteIndex(index);
    }

    private static IllegalArgumentException lineError(final Path file, final int lineNumber, final String reason)
    {
        return new IllegalArgumentException("bad CSV line " + lineNumber + " in " + file + ": " + reason);
    }

    private static long parseTimestamp(final String text)
    {
        if (!text.isEmpty() && Character.isDigit(text.charAt(0)) && text.chars().allMatch(Character::isDigit))
        {
            try
            {
                return Long.parseLong(text);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("timestamp out of range: '" + text + "'");
            }
        }
        try
        {
            final Instant instant = Instant.parse(text);
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (final DateTimeParseException | ArithmeticException ex)
        {
            throw new IllegalArgumentException(
                "timestamp is neither epoch nanoseconds nor an ISO-8601 instant: '" + text + "'");
        }
    }

    private static long parseSize(final String name, final String text)
    {
        try
        {
            final long size = Long.parseLong(text.trim());
            if (size < 0)
            {
                throw new IllegalArgumentException(name + " is negative: '" + text + "'");
            }
            return size;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " is not a whole number: '" + text + "'");
        }
    }

    private static int decimals(final String price)
    {
        final int dot = price.trim().indexOf('.');
        return dot < 0 ? 0 : price.trim().length() - dot - 1;
    }

    /** Lines of a UTF-8 file, counting the bytes read so far (for progress). */
    private static final class CountingReader implements AutoCloseable
    {
        private final java.io.InputStream in;
        private final BufferedReader reader;
        private long bytes;

        CountingReader(final java.io.InputStream file)
        {
            this.in = new java.io.FilterInputStream(new java.io.BufferedInputStream(file, 1 << 16))
            {
                public int read() throws IOException
                {
                    final int b = super.read();
                    bytes += b < 0 ? 0 : 1;
                    return b;
                }

                public int read(final byte[] buffer, final int offset, final int length) throws IOException
                {
                    final int n = super.read(buffer, offset, length);
                    bytes += Math.max(0, n);
                    return n;
                }
            };
            this.reader = new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        }

        String readLine() throws IOException
        {
            return reader.readLine();
        }

        /** Bytes taken from the file (the reader's buffer runs up to 64 KiB ahead of the lines). */
        long bytesRead()
        {
            return bytes;
        }

        public void close() throws IOException
        {
            reader.close();
        }
    }
}
