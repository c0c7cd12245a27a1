package io.feedhandler.publisher;

import io.feedhandler.codecs.Instrument;
import io.feedhandler.codecs.MutableQuote;
import io.feedhandler.codecs.Prices;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
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
 * skipped. The whole file is read and checked before the first tick is published, so a bad line
 * stops the publisher at start with its line number and nothing half-published.
 */
public final class CsvTickSource implements TickSource
{
    public static final String COLUMNS = "timestamp,symbol,bid,bidSize,ask,askSize";

    private final List<Instrument> instruments;
    private final int count;
    private final long[] timestamps;
    private final int[] instrumentIds;
    private final long[] bidPrices;
    private final long[] bidSizes;
    private final long[] askPrices;
    private final long[] askSizes;
    private int position;

    private CsvTickSource(final List<Instrument> instruments, final Columns columns)
    {
        this.instruments = instruments;
        this.count = columns.size;
        this.timestamps = columns.timestamps;
        this.instrumentIds = columns.instrumentIds;
        this.bidPrices = columns.bidPrices;
        this.bidSizes = columns.bidSizes;
        this.askPrices = columns.askPrices;
        this.askSizes = columns.askSizes;
    }

    /**
     * Read and check the whole file.
     *
     * @throws IllegalArgumentException naming the file, the line number and the bad value.
     */
    public static CsvTickSource load(final Path file)
    {
        if (!Files.isReadable(file) || Files.isDirectory(file))
        {
            throw new IllegalArgumentException("bad --csv '" + file + "': not a readable file");
        }
        final Columns columns = new Columns();
        final Map<String, Integer> idBySymbol = new HashMap<>();
        final List<String> symbols = new ArrayList<>();
        final List<Integer> maxDecimals = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null)
            {
                lineNumber++;
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
                    columns.add(timestamp, id, bid, bidSize, ask, askSize);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw lineError(file, lineNumber, ex.getMessage());
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("bad --csv '" + file + "': " + ex.getMessage());
        }
        final List<Instrument> instruments = new ArrayList<>(symbols.size());
        for (int i = 0; i < symbols.size(); i++)
        {
            instruments.add(new Instrument(i + 1, symbols.get(i), -maxDecimals.get(i)));
        }
        return new CsvTickSource(List.copyOf(instruments), columns);
    }

    public List<Instrument> instruments()
    {
        return instruments;
    }

    /** Number of ticks in the file. */
    public int size()
    {
        return count;
    }

    public boolean next(final MutableQuote quote, final long nowEpochNanos)
    {
        final int i = position;
        if (i >= count)
        {
            return false;
        }
        quote.exchangeTimestamp = timestamps[i];
        quote.instrumentId = instrumentIds[i];
        quote.bidPrice = bidPrices[i];
        quote.bidSize = bidSizes[i];
        quote.askPrice = askPrices[i];
        quote.askSize = askSizes[i];
        position = i + 1;
        return true;
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

    private static final class Columns
    {
        int size;
        long[] timestamps = new long[1024];
        int[] instrumentIds = new int[1024];
        long[] bidPrices = new long[1024];
        long[] bidSizes = new long[1024];
        long[] askPrices = new long[1024];
        long[] askSizes = new long[1024];

        void add(final long timestamp, final int id, final long bid, final long bidSize, final long ask, final long askSize)
        {
            if (size == timestamps.length)
            {
                final int capacity = size * 2;
                timestamps = Arrays.copyOf(timestamps, capacity);
                instrumentIds = Arrays.copyOf(instrumentIds, capacity);
                bidPrices = Arrays.copyOf(bidPrices, capacity);
                bidSizes = Arrays.copyOf(bidSizes, capacity);
                askPrices = Arrays.copyOf(askPrices, capacity);
                askSizes = Arrays.copyOf(askSizes, capacity);
            }
            timestamps[size] = timestamp;
            instrumentIds[size] = id;
            bidPrices[size] = bid;
            bidSizes[size] = bidSize;
            askPrices[size] = ask;
            askSizes[size] = askSize;
            size++;
        }
    }
}
