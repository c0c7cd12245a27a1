package io.feedhandler.journal;

import io.feedhandler.codecs.Instrument;
import org.agrona.collections.Int2ObjectHashMap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The instrument definitions of a journal, as history: which symbol and price exponent an
 * instrument id had from which sequence on. Kept beside the entries in {@code instruments.log},
 * append-only (a definition is never rewritten, only followed by a later one), written ahead of the
 * first tick it applies to and forced to disk, so any range of the journal, read at any later time,
 * shows each tick under the definition it was published with. A replay, a digest by symbol, a
 * snapshot or a tail reads what applied at each sequence ({@link #at}).
 * <p>
 * File: a 16-byte header ({@code FEEDDEFS}, then the record length), then 40-byte records: from
 * sequence (int64), instrument id (int32), price exponent (int8), symbol length (int8), 2 bytes
 * spare, the symbol (16 ASCII bytes), a CRC-32 of the record's first 32 bytes, and 4 bytes spare.
 * A record cut short by a crash while it was appended is ignored: its definition was not yet in
 * force (the publisher appends before it publishes). Any other bad record is damage.
 * <p>
 * Small: one record per instrument per change (a run that changes nothing appends nothing), read
 * whole when the journal is opened. One writer (the publisher, under the journal's lock); readers in
 * any process see what was appended by re-reading ({@link #refresh()}).
 */
public final class InstrumentHistory
{
    public static final String FILE_NAME = "instruments.log";
    static final int HEADER_LENGTH = 16;
    static final int RECORD_LENGTH = 40;
    private static final byte[] MAGIC = "FEEDDEFS".getBytes(StandardCharsets.US_ASCII);
    private static final int SYMBOL_LENGTH = 16;

    /** One definition and the first sequence it applies to. */
    public record Definition(long fromSequence, Instrument instrument)
    {
    }

    /**
     * Walks the history along a tail of the journal, for whoever re-sends it (a replay session, local
     * recovery): the definitions in force where the tail starts, then each one as the tail reaches the
     * sequence it applies from. Definitions apply from a batch's first sequence (a publisher records
     * them before its run's first batch), so they fall between batches.
     */
    public final class Cursor
    {
        private long position;

        /** The definitions in force at {@code fromSequence}, where the tail starts. */
        public List<Definition> start(final long fromSequence)
        {
            position = fromSequence;
            return at(fromSequence);
        }

        /** The tail's next batch begins at {@code firstSequence}: what comes into force up to it, in order (usually none). */
        public List<Definition> reach(final long firstSequence)
        {
            if (firstSequence <= position || nextChangeAfter(position) > firstSequence)
            {
                position = Math.max(position, firstSequence);
                return List.of();
            }
            final List<Definition> due = between(position, firstSequence);
            position = firstSequence;
            return due;
        }

        /** Whether a definition comes into force by {@code firstSequence} that {@link #reach} would hand out. */
        public boolean isDue(final long firstSequence)
        {
            return firstSequence > position && nextChangeAfter(position) <= firstSequence;
        }

        /** The sequence up to which definitions have been handed out. */
        public long position()
        {
            return position;
        }
    }

    /**
     * The definitions in force as a reader walks the journal forward from a sequence: what a tool
     * looks a tick's symbol up in. {@link #advanceTo} is a comparison per tick unless a definition
     * comes into force.
     */
    public final class View
    {
        private final Int2ObjectHashMap<Instrument> byId = new Int2ObjectHashMap<>();
        private final List<Definition> ordered;
        private int next;
        private long nextFrom = Long.MAX_VALUE;

        private View(final long fromSequence)
        {
            ordered = all();
            advanceTo(fromSequence);
        }

        /** A tick of {@code sequence} is next: whatever applies from it (or before) now applies. */
        public void advanceTo(final long sequence)
        {
            if (sequence < nextFrom && next > 0)
            {
                return;
            }
            while (next < ordered.size() && ordered.get(next).fromSequence() <= sequence)
            {
                final Instrument instrument = ordered.get(next++).instrument();
                byId.put(instrument.id(), instrument);
            }
            nextFrom = next < ordered.size() ? ordered.get(next).fromSequence() : Long.MAX_VALUE;
        }

        /** The definition of {@code instrumentId} where the reader is, or null. */
        public Instrument get(final int instrumentId)
        {
            return byId.get(instrumentId);
        }
    }

    private final Path file;
    private final List<Definition> definitions = new ArrayList<>();
    private long bytesRead;
    private String damage;

    private InstrumentHistory(final Path journalDirectory)
    {
        this.file = journalDirectory.resolve(FILE_NAME);
    }

    /** The history of the journal in {@code journalDirectory} (empty when it has none yet). */
    public static InstrumentHistory read(final Path journalDirectory)
    {
        final InstrumentHistory history = new InstrumentHistory(journalDirectory);
        history.refresh();
        return history;
    }

    /**
     * Read what was appended since the last read.
     *
     * @return whether anything new was read.
     */
    public synchronized boolean refresh()
    {
        if (!Files.exists(file))
        {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (bytesRead == 0)
            {
                if (size < HEADER_LENGTH)
                {
                    return false; // being created
                }
                final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
                channel.read(header, 0);
                final byte[] magic = new byte[MAGIC.length];
                header.get(0, magic);
                if (!java.util.Arrays.equals(magic, MAGIC) || header.getInt(8) != RECORD_LENGTH)
                {
                    damage = file + " is not an instrument history (bad header)";
                    return false;
                }
                bytesRead = HEADER_LENGTH;
            }
            final long whole = (size - HEADER_LENGTH) / RECORD_LENGTH * RECORD_LENGTH + HEADER_LENGTH;
            if (whole <= bytesRead)
            {
                return false;
            }
            final ByteBuffer records = ByteBuffer.allocate((int)(whole - bytesRead)).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(records, bytesRead);
            boolean added = false;
            for (int at = 0; at < records.capacity(); at += RECORD_LENGTH)
            {
                final Definition definition = decode(records, at);
                if (definition == null)
                {
                    damage = file + ": record " + ((bytesRead + at - HEADER_LENGTH) / RECORD_LENGTH) + " is damaged";
                    break;
                }
                definitions.add(definition);
                added = true;
            }
            bytesRead = whole;
            return added;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** What is wrong with the file, or null when it reads whole. */
    public synchronized String damage()
    {
        return damage;
    }

    /** A view of the definitions in force from {@code fromSequence} on, for one reader walking forward. */
    public View viewFrom(final long fromSequence)
    {
        return new View(fromSequence);
    }

    /** Whether any definition, at any time, gave {@code symbol} to an instrument. */
    public synchronized boolean everNamed(final String symbol)
    {
        for (final Definition definition : definitions)
        {
            if (definition.instrument().symbol().equals(symbol))
            {
                return true;
            }
        }
        return false;
    }

    /** A cursor over this history, for one tail. */
    public Cursor cursor()
    {
        return new Cursor();
    }

    /** Every definition, in the order they were appended (from sequences never decrease). */
    public synchronized List<Definition> all()
    {
        return Collections.unmodifiableList(new ArrayList<>(definitions));
    }

    /** Whether there is no definition at all. */
    public synchronized boolean isEmpty()
    {
        return definitions.isEmpty();
    }

    /**
     * The definition of every instrument as it applied at {@code sequence}: for each id, the last
     * definition from a sequence at or before it. In id order.
     */
    public synchronized List<Definition> at(final long sequence)
    {
        final Int2ObjectHashMap<Definition> byId = new Int2ObjectHashMap<>();
        for (final Definition definition : definitions)
        {
            if (definition.fromSequence() <= sequence)
            {
                byId.put(definition.instrument().id(), definition);
            }
        }
        final List<Definition> result = new ArrayList<>(byId.values());
        result.sort((a, b) -> Integer.compare(a.instrument().id(), b.instrument().id()));
        return result;
    }

    /** The definitions that come into force after {@code afterSequence} up to {@code toSequence}, in order. */
    public synchronized List<Definition> between(final long afterSequence, final long toSequence)
    {
        final List<Definition> result = new ArrayList<>();
        for (final Definition definition : definitions)
        {
            if (definition.fromSequence() > afterSequence && definition.fromSequence() <= toSequence)
            {
                result.add(definition);
            }
        }
        return result;
    }

    /** The first from sequence after {@code sequence}, or {@link Long#MAX_VALUE} when none comes later. */
    public synchronized long nextChangeAfter(final long sequence)
    {
        long next = Long.MAX_VALUE;
        for (int i = definitions.size() - 1; i >= 0; i--)
        {
            final long from = definitions.get(i).fromSequence();
            if (from <= sequence)
            {
                break;
            }
            next = from;
        }
        return next;
    }

    /**
     * Record what applies from {@code fromSequence} on: each of {@code instruments} that is new, or
     * differs from its latest definition, is appended and forced to disk before this returns (the
     * caller publishes only after). A run that changes nothing appends nothing.
     *
     * @return the definitions appended.
     */
    public synchronized List<Definition> record(final List<Instrument> instruments, final long fromSequence)
    {
        final List<Definition> current = at(Long.MAX_VALUE);
        final Int2ObjectHashMap<Instrument> latest = new Int2ObjectHashMap<>();
        for (final Definition definition : current)
        {
            latest.put(definition.instrument().id(), definition.instrument());
        }
        final List<Definition> appended = new ArrayList<>();
        for (final Instrument instrument : instruments)
        {
            if (!instrument.equals(latest.get(instrument.id())))
            {
                appended.add(new Definition(fromSequence, instrument));
            }
        }
        if (!appended.isEmpty())
        {
            append(appended);
        }
        return appended;
    }

    /**
     * Record definitions as the upstream journal holds them, each with its own from sequence (a
     * replica's history): in from-sequence order, leaving out each one this history already has in
     * force at its sequence (a restarted replica hears again what applies where it resumes). What is
     * new is appended and forced to disk before this returns.
     *
     * @return the definitions appended.
     * @throws JournalException when a new definition applies from before the last one recorded: the
     *                          replica missed it, and its history would part from the upstream's.
     */
    public synchronized List<Definition> recordReplicated(final List<Definition> replicated)
    {
        final List<Definition> sorted = new ArrayList<>(replicated);
        sorted.sort((a, b) -> Long.compare(a.fromSequence(), b.fromSequence()));
        final List<Definition> appended = new ArrayList<>();
        for (final Definition definition : sorted)
        {
            if (!heldAt(definition) && !appended.contains(definition))
            {
                appended.add(definition);
            }
        }
        if (!appended.isEmpty())
        {
            append(appended);
        }
        return appended;
    }

    /** Whether {@code definition}'s instrument is already defined so at its from sequence. */
    private boolean heldAt(final Definition definition)
    {
        final int id = definition.instrument().id();
        Definition inForce = null;
        for (final Definition held : definitions)
        {
            if (held.fromSequence() <= definition.fromSequence() && held.instrument().id() == id)
            {
                inForce = held;
            }
        }
        return inForce != null && inForce.instrument().equals(definition.instrument());
    }

    /**
     * Write the definitions that apply from {@code upToSequence} or before into a history of their
     * own in {@code journalDirectory} (a journal being rebuilt from a good prefix).
     */
    public synchronized void copyTo(final Path journalDirectory, final long upToSequence)
    {
        final List<Definition> kept = new ArrayList<>();
        for (final Definition definition : definitions)
        {
            if (definition.fromSequence() <= upToSequence)
            {
                kept.add(definition);
            }
        }
        if (!kept.isEmpty())
        {
            new InstrumentHistory(journalDirectory).append(kept);
        }
    }

    private void append(final List<Definition> appended)
    {
        if (!definitions.isEmpty() && appended.get(0).fromSequence() < definitions.get(definitions.size() - 1).fromSequence())
        {
            throw new JournalException("instrument history " + file + " runs up to sequence " +
                definitions.get(definitions.size() - 1).fromSequence() + ": cannot record definitions from " +
                appended.get(0).fromSequence());
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE))
        {
            long position = Math.max(HEADER_LENGTH, bytesRead);
            if (channel.size() < HEADER_LENGTH)
            {
                final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
                header.put(MAGIC).putInt(RECORD_LENGTH).putInt(0).flip();
                channel.write(header, 0);
                position = HEADER_LENGTH;
            }
            final ByteBuffer records = ByteBuffer.allocate(appended.size() * RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            for (final Definition definition : appended)
            {
                encode(records, definition);
            }
            records.flip();
            while (records.hasRemaining())
            {
                position += channel.write(records, position);
            }
            channel.force(true);
            definitions.addAll(appended);
            bytesRead = position;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    private static void encode(final ByteBuffer records, final Definition definition)
    {
        final int start = records.position();
        final Instrument instrument = definition.instrument();
        final byte[] symbol = instrument.symbol().getBytes(StandardCharsets.US_ASCII);
        records.putLong(definition.fromSequence())
            .putInt(instrument.id())
            .put((byte)instrument.priceExponent())
            .put((byte)symbol.length)
            .putShort((short)0)
            .put(symbol)
            .put(new byte[SYMBOL_LENGTH - symbol.length]);
        final CRC32 crc = new CRC32();
        crc.update(records.array(), start, 32);
        records.putInt((int)crc.getValue()).putInt(0);
    }

    /** The record at {@code at}, or null when its checksum or values are wrong. */
    private static Definition decode(final ByteBuffer records, final int at)
    {
        final CRC32 crc = new CRC32();
        crc.update(records.array(), at, 32);
        if (records.getInt(at + 32) != (int)crc.getValue())
        {
            return null;
        }
        final long fromSequence = records.getLong(at);
        final int id = records.getInt(at + 8);
        final int exponent = records.get(at + 12);
        final int length = records.get(at + 13);
        if (fromSequence < 1 || id < 1 || length < 1 || length > SYMBOL_LENGTH)
        {
            return null;
        }
        final String symbol = new String(records.array(), at + 16, length, StandardCharsets.US_ASCII);
        try
        {
            return new Definition(fromSequence, new Instrument(id, symbol, exponent));
        }
        catch (final IllegalArgumentException ex)
        {
            return null; // a symbol or exponent no publisher could have written
        }
    }
}
