package io.feedhandler.journal;

import io.feedhandler.sbe.QuoteDecoder;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Properties;

/**
 * Which stream a journal belongs to, kept beside it in {@code journal.id}: written once when the
 * journal is created and checked by every publisher that opens it, so a journal cannot silently take
 * the ticks of another stream (a wrong {@code --journal}). The epoch is a random 64-bit name for this
 * journal's history: a repaired journal gets a new one, since its history parts from the old one.
 *
 * @param channel       the live channel of the publisher that created the journal.
 * @param streamId      its stream id.
 * @param epoch         random, unique to this journal's history.
 * @param created       when the journal (or this identity) was created.
 * @param schemaId      SBE schema id of the entries.
 * @param schemaVersion SBE schema version of the writer that created it.
 * @param origin        how the identity came about: new, adopted (a journal older than identity files) or
 *                      repaired (a good prefix copied out of a damaged journal).
 * @param format        how entries are laid out: {@link Journal#FORMAT} (quote batches) for journals this
 *                      version writes; 1 (one quote per entry) for older ones, which must be upgraded.
 */
public record JournalIdentity(
    String channel, int streamId, long epoch, Instant created, int schemaId, int schemaVersion, String origin,
    int format)
{
    public static final String FILE_NAME = "journal.id";
    /** How a replica's identity names its upstream: {@code origin=replica of <upstream replay channel>}. */
    static final String REPLICA_ORIGIN = "replica of ";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh identity for a journal of this stream, with a new random epoch. */
    public static JournalIdentity create(final String channel, final int streamId, final String origin)
    {
        return new JournalIdentity(channel, streamId, RANDOM.nextLong(), Instant.now(),
            QuoteDecoder.SCHEMA_ID, QuoteDecoder.SCHEMA_VERSION, origin, Journal.FORMAT);
    }

    /**
     * The identity of a replica's journal: the stream it follows and that stream's epoch (not a new
     * one), since it holds the same history; the origin names the upstream it copies from.
     */
    public static JournalIdentity replica(final String channel, final int streamId, final long epoch, final String upstream)
    {
        return new JournalIdentity(channel, streamId, epoch, Instant.now(), QuoteDecoder.SCHEMA_ID,
            QuoteDecoder.SCHEMA_VERSION, REPLICA_ORIGIN + upstream, Journal.FORMAT);
    }

    /** Whether this is a replica's journal ({@link #replica}). */
    public boolean isReplica()
    {
        return origin.startsWith(REPLICA_ORIGIN);
    }

    /** The upstream a replica's journal copies from; empty for a publisher's own journal. */
    public String upstream()
    {
        return isReplica() ? origin.substring(REPLICA_ORIGIN.length()) : "";
    }

    /**
     * @return the identity stored in {@code directory}, or null when there is none (a new journal, or
     *         one older than identity files).
     * @throws JournalException when the file exists but cannot be read or is incomplete.
     */
    public static JournalIdentity read(final Path directory)
    {
        final Path file = directory.resolve(FILE_NAME);
        if (!Files.exists(file))
        {
            return null;
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
            return new JournalIdentity(
                required(properties, "channel", file),
                Integer.parseInt(required(properties, "stream", file)),
                Long.parseUnsignedLong(required(properties, "epoch", file), 16),
                Instant.parse(required(properties, "created", file)),
                Integer.parseInt(required(properties, "schemaId", file)),
                Integer.parseInt(required(properties, "schemaVersion", file)),
                properties.getProperty("origin", ""),
                Integer.parseInt(properties.getProperty("format", "1").trim())); // written before formats: 1
        }
        catch (final IOException | RuntimeException ex)
        {
            if (ex instanceof JournalException)
            {
                throw (JournalException)ex;
            }
            throw new JournalException("journal identity " + file + " cannot be read: " + ex.getMessage(), ex);
        }
    }

    private static String required(final Properties properties, final String key, final Path file)
    {
        final String value = properties.getProperty(key);
        if (value == null || value.isBlank())
        {
            throw new JournalException("journal identity " + file + " has no '" + key + "'");
        }
        return value.trim();
    }

    /**
     * Store this identity in {@code directory} (written aside, then renamed into place). Never
     * replaces an identity that is already there.
     */
    public void write(final Path directory)
    {
        final Path file = directory.resolve(FILE_NAME);
        if (Files.exists(file))
        {
            throw new JournalException("journal " + directory + " already has an identity (" + file + ")");
        }
        final String text =
            "# feed journal identity: the stream this journal belongs to. Written once, checked by every publisher.\n" +
            "channel=" + channel + '\n' +
            "stream=" + streamId + '\n' +
            "epoch=" + String.format("%016x", epoch) + '\n' +
            "created=" + created + '\n' +
            "schemaId=" + schemaId + '\n' +
            "schemaVersion=" + schemaVersion + '\n' +
            "origin=" + origin + '\n' +
            "format=" + format + '\n';
        final Path temp = directory.resolve(FILE_NAME + ".tmp");
        try
        {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot write journal identity " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Whether a publisher on {@code channel} / {@code streamId} publishes this journal's stream: the
     * same stream id to the same address (media and endpoint, or control address). Other channel
     * parameters (interface, ttl, term length) may change between runs.
     */
    public boolean sameStream(final String channel, final int streamId)
    {
        return this.streamId == streamId && address(this.channel).equals(address(channel));
    }

    /**
     * One line that fits the case, with its remedy: a journal that holds no ticks (its identity left by
     * a run that wrote nothing) can simply be taken over; one that holds another stream's ticks must
     * not be, whether the stream id or the channel's address differs.
     *
     * @param nothingDone what the refused run did not do, e.g. "Nothing was published."
     */
    public static String notThisStream(final Path directory, final JournalIdentity identity, final String channel,
        final int streamId, final String nothingDone)
    {
        final String journal = "journal " + directory.toAbsolutePath();
        final String wanted = describe(channel, streamId);
        if (!Journal.hasCycleFiles(directory))
        {
            return journal + " holds no ticks; it was set up for " + identity.describe() + " by a run that wrote " +
                "nothing. " + nothingDone + " To write " + wanted + " into it, delete " +
                directory.toAbsolutePath().resolve(FILE_NAME) + " (nothing is lost: the journal is empty) and run again; " +
                "or give another --journal";
        }
        final String held = held(directory);
        if (identity.streamId() != streamId)
        {
            return journal + " holds the ticks of stream " + identity.streamId() + held + " (on " + identity.channel() +
                "), not of stream " + streamId + ". " + nothingDone + " Give each stream its own --journal " +
                "(or, if this is stream " + identity.streamId() + ", run with --stream " + identity.streamId() + ")";
        }
        return journal + " holds the ticks of stream " + streamId + held + " sent on " + identity.channel() +
            ", not on " + channel + ". " + nothingDone + " If this is the same stream, run with --channel '" +
            identity.channel() + "' (interface, ttl and other settings may differ; the address may not); a stream on " +
            "another address needs its own --journal";
    }

    /** " (sequences F..L)" when the journal can be read, else nothing. */
    private static String held(final Path directory)
    {
        try (Journal journal = Journal.openReadOnly(directory))
        {
            final long first = journal.firstSequence();
            final long last = journal.lastSequence();
            return last > 0 ? " (sequences " + first + ".." + last + ")" : "";
        }
        catch (final RuntimeException ex)
        {
            return ""; // what it holds is the damage check's to say
        }
    }

    /** The same identity in another entry format (a journal being upgraded keeps its stream and epoch). */
    public JournalIdentity withFormat(final int format)
    {
        return new JournalIdentity(channel, streamId, epoch, created, schemaId, QuoteDecoder.SCHEMA_VERSION, origin, format);
    }

    /** The same identity under a new epoch, for a journal whose history parts from this one's. */
    public JournalIdentity successor(final String origin)
    {
        return create(channel, streamId, origin);
    }

    /** "stream 1001 on aeron:udp?endpoint=...", for messages. */
    public String describe()
    {
        return describe(channel, streamId);
    }

    public static String describe(final String channel, final int streamId)
    {
        return "stream " + streamId + " on " + channel;
    }

    public String epochHex()
    {
        return String.format("%016x", epoch);
    }

    /**
     * What names the destination of a channel: media plus endpoint or control address. Read from the
     * Aeron channel URI's text ({@code aeron:media?key=value|key=value}) here, so the journal needs
     * no Aeron: the channel was checked by the transport before it got this far.
     */
    static String address(final String channel)
    {
        final String text = channel.trim();
        if (!text.startsWith("aeron:"))
        {
            return text;
        }
        final int query = text.indexOf('?');
        final String media = text.substring("aeron:".length(), query < 0 ? text.length() : query);
        String endpoint = null;
        String control = null;
        if (query >= 0)
        {
            for (final String parameter : text.substring(query + 1).split("\\|"))
            {
                final int equals = parameter.indexOf('=');
                final String key = equals < 0 ? parameter : parameter.substring(0, equals);
                final String value = equals < 0 ? "" : parameter.substring(equals + 1);
                if ("endpoint".equals(key))
                {
                    endpoint = value;
                }
                else if ("control".equals(key))
                {
                    control = value;
                }
            }
        }
        return media + ':' + (endpoint != null ? endpoint : control != null ? "control=" + control : "");
    }
}
