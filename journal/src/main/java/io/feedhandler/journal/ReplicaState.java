package io.feedhandler.journal;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a replica stands against its upstream, in a small memory-mapped file ({@code replica.state})
 * beside the replica's journal: the upstream's head as last heard, the replica's last journaled
 * sequence, when that was written, and the replica's state. Written by the replica a few times a
 * second with ordered writes (no system call); read by {@code feed journal stats} in another process,
 * which shows how far the replica trails. Laid out like {@link SubscriberOffset}: 64 bytes, magic and
 * version first.
 */
public final class ReplicaState implements AutoCloseable
{
    public static final String FILE_NAME = "replica.state";

    /** The replica's state as the file stores it. */
    public enum State
    {
        /** Started, its upstream not heard yet (a new replica's journal has no identity until then). */
        AWAITING_UPSTREAM,
        /** Journaling what its upstream sends. */
        FOLLOWING,
        /** Stopped: the journal refused an append, or the upstream no longer holds what it needs. */
        FAILED,
        /** Ended cleanly (SIGTERM/SIGINT). */
        STOPPED
    }

    /** What {@link #read} finds. */
    public record Snapshot(long upstreamHead, long lastSequence, long updatedEpochMs, State state)
    {
        /** Sequences the replica's journal lacks of what its upstream had, as of {@link #updatedEpochMs}. */
        public long trailsBy()
        {
            return Math.max(0, upstreamHead - lastSequence);
        }
    }

    private static final long MAGIC = 0x54534C5045524546L; // "FEREPLST", little-endian
    private static final int VERSION = 1;
    private static final int MAGIC_OFFSET = 0;
    private static final int VERSION_OFFSET = 8;
    private static final int STATE_OFFSET = 12;
    private static final int UPSTREAM_HEAD_OFFSET = 16;
    private static final int LAST_SEQUENCE_OFFSET = 24;
    private static final int UPDATED_OFFSET = 32;
    private static final int LENGTH = 64;

    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;

    private ReplicaState(final MappedByteBuffer mapped)
    {
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
    }

    /**
     * Open (creating when needed) the state file of the replica journal in {@code directory}.
     *
     * @throws JournalException when it cannot be mapped, or is not a replica state file.
     */
    public static ReplicaState open(final Path directory)
    {
        final File file = directory.resolve(FILE_NAME).toFile();
        try
        {
            if (!file.exists())
            {
                final ReplicaState state = new ReplicaState(IoUtil.mapNewFile(file, LENGTH, true));
                state.buffer.putInt(VERSION_OFFSET, VERSION);
                state.buffer.putLongVolatile(MAGIC_OFFSET, MAGIC);
                return state;
            }
            final ReplicaState state = new ReplicaState(IoUtil.mapExistingFile(file, FILE_NAME));
            if (state.buffer.capacity() < LENGTH || state.buffer.getLongVolatile(MAGIC_OFFSET) != MAGIC)
            {
                state.close();
                throw new JournalException("not a replica state file: " + file);
            }
            return state;
        }
        catch (final IllegalStateException ex)
        {
            throw new JournalException("cannot map replica state file " + file + ": " + ex.getMessage());
        }
    }

    /** Store where the replica stands. No allocation, no system call. */
    public void update(final long upstreamHead, final long lastSequence, final long nowEpochMs, final State state)
    {
        buffer.putLongOrdered(UPSTREAM_HEAD_OFFSET, upstreamHead);
        buffer.putLongOrdered(LAST_SEQUENCE_OFFSET, lastSequence);
        buffer.putIntOrdered(STATE_OFFSET, state.ordinal());
        buffer.putLongOrdered(UPDATED_OFFSET, nowEpochMs);
    }

    /** What the file holds now. */
    public Snapshot snapshot()
    {
        final int state = buffer.getIntVolatile(STATE_OFFSET);
        return new Snapshot(buffer.getLongVolatile(UPSTREAM_HEAD_OFFSET), buffer.getLongVolatile(LAST_SEQUENCE_OFFSET),
            buffer.getLongVolatile(UPDATED_OFFSET),
            state >= 0 && state < State.values().length ? State.values()[state] : State.FAILED);
    }

    /** The state stored beside the journal in {@code directory}, or null when it has none (not a replica, or never run). */
    public static Snapshot read(final Path directory)
    {
        if (!Files.exists(directory.resolve(FILE_NAME)))
        {
            return null;
        }
        try (ReplicaState state = open(directory))
        {
            return state.snapshot();
        }
    }

    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
