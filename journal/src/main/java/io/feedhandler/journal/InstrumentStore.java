package io.feedhandler.journal;

import io.feedhandler.codecs.Instrument;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The instrument definitions of a journal, kept beside it as {@code instruments.csv}
 * ({@code id,symbol,priceExponent}) so tools that read the journal can print symbols. Reference
 * data, not part of the sequenced stream: it is rewritten whole (write then atomic rename).
 */
public final class InstrumentStore
{
    public static final String FILE_NAME = "instruments.csv";

    private InstrumentStore()
    {
    }

    public static void write(final Path journalDirectory, final List<Instrument> instruments)
    {
        final StringBuilder text = new StringBuilder("id,symbol,priceExponent\n");
        for (final Instrument instrument : instruments)
        {
            text.append(instrument.id()).append(',').append(instrument.symbol()).append(',')
                .append(instrument.priceExponent()).append('\n');
        }
        final Path target = journalDirectory.resolve(FILE_NAME);
        final Path temp = journalDirectory.resolve(FILE_NAME + ".tmp");
        try
        {
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot write " + target + ": " + ex.getMessage(), ex);
        }
    }

    /** The stored definitions, empty when there are none. */
    public static List<Instrument> read(final Path journalDirectory)
    {
        final Path file = journalDirectory.resolve(FILE_NAME);
        final List<Instrument> instruments = new ArrayList<>();
        if (!Files.exists(file))
        {
            return instruments;
        }
        try
        {
            final List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            for (int i = 1; i < lines.size(); i++)
            {
                final String line = lines.get(i).trim();
                if (line.isEmpty())
                {
                    continue;
                }
                final String[] fields = line.split(",");
                try
                {
                    instruments.add(new Instrument(
                        Integer.parseInt(fields[0]), fields[1], Integer.parseInt(fields[2])));
                }
                catch (final RuntimeException ex)
                {
                    throw new JournalException(file + " line " + (i + 1) + " is not id,symbol,priceExponent: " + line);
                }
            }
            return instruments;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }
}
