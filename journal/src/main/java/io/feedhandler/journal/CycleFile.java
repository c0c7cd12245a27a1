package io.feedhandler.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One roll-cycle file of a journal as found on disk, with the first check made of it before
 * Chronicle may touch it: its header must be whole. Chronicle waits for the header of a file it
 * opens to be written (a writer may be creating it), so a file cut to nothing, or inside its header,
 * would stall any reader; and mapping bytes past the end of a cut file faults. Checked with a plain
 * read of a few bytes, no mapping.
 *
 * @param cycle   the roll cycle the file holds.
 * @param path    the file.
 * @param size    its size in bytes, -1 before it is checked.
 * @param problem what is wrong with its header, or null when it is whole.
 */
record CycleFile(int cycle, Path path, long size, String problem)
{
    /** Chronicle's header word: length in the low 30 bits, then "metadata" and "not complete" flags. */
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int META_DATA = 0x4000_0000;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;

    /** The file of a cycle, not yet looked at. */
    static CycleFile unchecked(final int cycle, final Path path)
    {
        return new CycleFile(cycle, path, -1, "was not checked");
    }

    /** This file with its size and header checked (the check may block as long as reading the file does). */
    CycleFile inspect()
    {
        if (!Files.exists(path))
        {
            return new CycleFile(cycle, path, 0, "is missing");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            int read = 0;
            while (read < 4)
            {
                final int n = channel.read(word, read);
                if (n <= 0)
                {
                    break;
                }
                read += n;
            }
            if (word.hasRemaining())
            {
                return new CycleFile(cycle, path, size, "is cut to " + size + " bytes, before the end of its header");
            }
            final int header = word.getInt(0);
            final int length = header & LENGTH_MASK;
            if ((header & NOT_COMPLETE) != 0 || (header & META_DATA) == 0 || length == 0)
            {
                return new CycleFile(cycle, path, size, "has no valid header (first word 0x" +
                    Integer.toHexString(header) + ")");
            }
            if (size < 4L + length)
            {
                return new CycleFile(cycle, path, size, "is cut to " + size + " bytes, before the end of its header");
            }
            return new CycleFile(cycle, path, size, null);
        }
        catch (final IOException ex)
        {
            return new CycleFile(cycle, path, 0, "cannot be read (" + ex.getMessage() + ")");
        }
    }

    boolean whole()
    {
        return problem == null;
    }

    String name()
    {
        return path.getFileName().toString();
    }
}
