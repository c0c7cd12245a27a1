package io.feedhandler.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * Fixed-size slots of serialized events, written by one thread (the subscriber's) and read by many
 * (the event loops) without locks: each slot is guarded by its sequence, a seqlock. The writer marks
 * the slot as being written (a volatile store, then a store-store fence so no data store moves above
 * the mark), writes it, then publishes its sequence with a release store; a reader loads the sequence
 * with acquire semantics, copies, then a load-load fence keeps the copy's loads above the second look
 * at the sequence, and a copy that raced a write is thrown away. Explicit fences, not x86's ordering:
 * the same holds on AArch64. Each slot also carries the stream generation it was written in (the
 * {@link EventLog} counts stream resets), checked with the sequence: after a reset sequences are
 * reused, and a slot rewritten with the same sequence of the new stream must not pass for the old
 * one (the seqlock's ABA). Used by the {@link EventLog} (slot by sequence) and the
 * {@link GatewayBook} (slot by instrument).
 * <p>
 * Slot layout: sequence (int64), instrument index (int32), event length (int32), JSON offset within
 * the event (int32), JSON length (int32), generation (int32), 4 bytes unused, then the SSE event's bytes.
 */
class EventSlots
{
    static final int SLOT_LENGTH = 384;
    static final int SEQUENCE_OFFSET = 0;
    static final int INSTRUMENT_OFFSET = 8;
    static final int LENGTH_OFFSET = 12;
    static final int JSON_OFFSET_OFFSET = 16;
    static final int JSON_LENGTH_OFFSET = 20;
    static final int GENERATION_OFFSET = 24;
    static final int DATA_OFFSET = 32;
    static final long WRITING = -1;
    /** A reader that takes the slot of whatever generation it holds (the book, a private scratch slot). */
    static final int ANY_GENERATION = -1;

    /** The copy raced the writer, or the slot holds another sequence: nothing was copied. */
    static final int MISSED = -1;

    final UnsafeBuffer slots;
    /** The same memory for Netty, so events are copied into a client's buffer with one memory copy. */
    final ByteBuf bytes;

    EventSlots(final int slotCount)
    {
        final ByteBuffer memory = BufferUtil.allocateDirectAligned(slotCount * SLOT_LENGTH, 64);
        this.slots = new UnsafeBuffer(memory);
        this.bytes = Unpooled.wrappedBuffer(memory);
        for (int i = 0; i < slotCount; i++)
        {
            slots.putLong(i * SLOT_LENGTH + SEQUENCE_OFFSET, 0);
        }
    }

    /** Writer: the slot at {@code offset} is being rewritten; readers that see this miss it. */
    final void beginWrite(final int offset)
    {
        slots.putLongVolatile(offset + SEQUENCE_OFFSET, WRITING);
        VarHandle.storeStoreFence(); // none of the data stores that follow may become visible before the mark
    }

    /** Writer: the slot at {@code offset} holds {@code sequence} of stream {@code generation} from now on. */
    final void endWrite(final int offset, final long sequence, final int generation, final int instrument,
        final int length, final int jsonOffset, final int jsonLength)
    {
        slots.putInt(offset + INSTRUMENT_OFFSET, instrument);
        slots.putInt(offset + LENGTH_OFFSET, length);
        slots.putInt(offset + JSON_OFFSET_OFFSET, jsonOffset);
        slots.putInt(offset + JSON_LENGTH_OFFSET, jsonLength);
        slots.putInt(offset + GENERATION_OFFSET, generation);
        slots.putLongRelease(offset + SEQUENCE_OFFSET, sequence);
    }

    final long sequenceAt(final int offset)
    {
        return slots.getLongAcquire(offset + SEQUENCE_OFFSET);
    }

    /** The stream generation the slot was last written in (meaningful while its sequence is stable). */
    final int generationAt(final int offset)
    {
        return slots.getInt(offset + GENERATION_OFFSET);
    }

    /**
     * The instrument index of the slot, if it still holds {@code sequence} of {@code generation}
     * ({@link #ANY_GENERATION}: of any); {@link #MISSED} otherwise.
     */
    final int instrumentAt(final int offset, final long sequence, final int generation)
    {
        if (slots.getLongAcquire(offset + SEQUENCE_OFFSET) != sequence)
        {
            return MISSED;
        }
        final int heldGeneration = slots.getInt(offset + GENERATION_OFFSET);
        final int instrument = slots.getInt(offset + INSTRUMENT_OFFSET);
        return stillHolds(offset, sequence, generation, heldGeneration) ? instrument : MISSED;
    }

    /** The second look of a reader: the slot held {@code sequence} of the generation asked for throughout. */
    private boolean stillHolds(final int offset, final long sequence, final int generation, final int heldGeneration)
    {
        VarHandle.loadLoadFence(); // the reader's loads of the slot stay above the checks below
        return slots.getInt(offset + GENERATION_OFFSET) == heldGeneration &&
            slots.getLongVolatile(offset + SEQUENCE_OFFSET) == sequence &&
            (generation == ANY_GENERATION || generation == heldGeneration);
    }

    /** An SSE event, as the slot holds it. */
    static final int SSE = 0;
    /** The JSON object alone. */
    static final int JSON = 1;
    /** The JSON object in an unmasked WebSocket text frame (server to client), framed here. */
    static final int WEBSOCKET = 2;

    /**
     * Append the slot's event to {@code out} in {@code format} ({@link #SSE}, {@link #JSON},
     * {@link #WEBSOCKET}), if the slot holds {@code sequence} of {@code generation}
     * ({@link #ANY_GENERATION}: of any) throughout the copy.
     *
     * @return the bytes appended, or {@link #MISSED} (and {@code out} as it was).
     */
    final int copy(final int offset, final long sequence, final int generation, final ByteBuf out, final int format)
    {
        if (slots.getLongAcquire(offset + SEQUENCE_OFFSET) != sequence)
        {
            return MISSED;
        }
        final int heldGeneration = slots.getInt(offset + GENERATION_OFFSET);
        final int length = slots.getInt(offset + LENGTH_OFFSET);
        final int jsonOffset = slots.getInt(offset + JSON_OFFSET_OFFSET);
        final int jsonLength = slots.getInt(offset + JSON_LENGTH_OFFSET);
        if (length <= 0 || length > SLOT_LENGTH - DATA_OFFSET || jsonOffset < 0 || jsonLength < 0 ||
            jsonOffset + jsonLength > length)
        {
            return MISSED; // torn header: the writer is at it
        }
        final int writerIndex = out.writerIndex();
        if (format == SSE)
        {
            out.writeBytes(bytes, offset + DATA_OFFSET, length);
        }
        else
        {
            if (format == WEBSOCKET)
            {
                out.writeByte(0x81); // FIN, text
                if (jsonLength < 126)
                {
                    out.writeByte(jsonLength);
                }
                else
                {
                    out.writeByte(126);
                    out.writeShort(jsonLength);
                }
            }
            out.writeBytes(bytes, offset + DATA_OFFSET + jsonOffset, jsonLength);
        }
        if (!stillHolds(offset, sequence, generation, heldGeneration))
        {
            out.writerIndex(writerIndex);
            return MISSED;
        }
        return out.writerIndex() - writerIndex;
    }
}
