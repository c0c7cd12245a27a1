package io.feedhandler.transport;

import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

import java.nio.charset.StandardCharsets;

/**
 * One process role's live counters, allocated in its media driver's CnC file. The agent that owns
 * them copies its own plain fields here a few times a second ({@link #due(long)}), so the hot path
 * keeps plain increments and readers in other processes see values at most that old.
 * <p>
 * Key of every counter: the process id (int64), then the instance name (int32 length, ASCII), which
 * is how {@code feed stat} and {@code feed metrics} tell processes and subscribers apart.
 */
public final class FeedCounters implements AutoCloseable
{
    /** How often an agent refreshes its counters. */
    public static final long UPDATE_INTERVAL_NANOS = 100_000_000L;
    public static final int PID_OFFSET = 0;
    public static final int NAME_LENGTH_OFFSET = 8;
    public static final int NAME_OFFSET = 12;
    public static final int MAX_NAME_LENGTH = 64;

    private final AtomicCounter[] counters = new AtomicCounter[FeedCounter.values().length];
    private long nextUpdateNanos;

    private FeedCounters()
    {
    }

    /**
     * Allocate every counter of {@code role}.
     *
     * @param name the instance name shown beside the counters (a subscriber's --name; may be empty).
     */
    public static FeedCounters allocate(final Aeron aeron, final FeedCounter.Role role, final String name)
    {
        final FeedCounters set = new FeedCounters();
        final byte[] nameBytes = truncate(name).getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer key = new UnsafeBuffer(new byte[NAME_OFFSET + nameBytes.length]);
        key.putLong(PID_OFFSET, ProcessHandle.current().pid());
        key.putInt(NAME_LENGTH_OFFSET, nameBytes.length);
        key.putBytes(NAME_OFFSET, nameBytes);
        final UnsafeBuffer label = new UnsafeBuffer(new byte[CountersReader.MAX_LABEL_LENGTH]);
        try
        {
            for (final FeedCounter counter : FeedCounter.values())
            {
                if (counter.role() == role)
                {
                    final String text = label(counter, name);
                    final int labelLength = label.putStringWithoutLengthAscii(0, text);
                    set.counters[counter.ordinal()] = aeron.addCounter(
                        counter.typeId(), key, 0, key.capacity(), label, 0, labelLength);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            set.close();
            throw ex;
        }
        return set;
    }

    /** The label AeronStat shows, e.g. {@code feed subscriber it-a: delivered}. */
    static String label(final FeedCounter counter, final String name)
    {
        final String text = "feed " + counter.role().metricPrefix() + (name.isEmpty() ? "" : " " + truncate(name)) +
            ": " + counter.metricName();
        return text.length() > CountersReader.MAX_LABEL_LENGTH ? text.substring(0, CountersReader.MAX_LABEL_LENGTH) : text;
    }

    private static String truncate(final String name)
    {
        final String ascii = name.replaceAll("[^\\x20-\\x7e]", "?");
        return ascii.length() > MAX_NAME_LENGTH ? ascii.substring(0, MAX_NAME_LENGTH) : ascii;
    }

    /** True at most once per {@link #UPDATE_INTERVAL_NANOS}: time for the owner to copy its values in. */
    public boolean due(final long nowNanos)
    {
        if (nowNanos - nextUpdateNanos < 0)
        {
            return false;
        }
        nextUpdateNanos = nowNanos + UPDATE_INTERVAL_NANOS;
        return true;
    }

    /** Publish a value; a counter of another role is ignored. Allocates nothing. */
    public void set(final FeedCounter counter, final long value)
    {
        final AtomicCounter atomicCounter = counters[counter.ordinal()];
        if (atomicCounter != null)
        {
            atomicCounter.setRelease(value);
        }
    }

    public void close()
    {
        CloseHelper.quietCloseAll(counters);
    }
}
