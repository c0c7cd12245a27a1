package io.feedhandler.transport;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.SemanticVersion;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the product's counters ({@link FeedCounter}) out of media drivers' CnC files, from another
 * process, touching nothing: what {@code feed stat} and {@code feed metrics} show.
 */
public final class FeedCounterReader
{
    /**
     * One process role's counters as read.
     *
     * @param directory the media driver's directory they were read from.
     * @param pid       the process that owns them.
     * @param role      publisher, replay server or subscriber.
     * @param name      the instance's name (a subscriber's --name), may be empty.
     * @param values    every counter of the role that was found.
     */
    public record Instance(Path directory, long pid, FeedCounter.Role role, String name, Map<FeedCounter, Long> values)
    {
        public long value(final FeedCounter counter)
        {
            final Long value = values.get(counter);
            return value == null ? 0 : value;
        }
    }

    private FeedCounterReader()
    {
    }

    /**
     * Where to look when no directory is named: the default Aeron directory and every embedded
     * driver's directory beside it (named after it with {@code -embedded-}), those with a CnC file.
     */
    public static List<Path> driverDirectories()
    {
        final Path defaultDirectory = Path.of(CommonContext.getAeronDirectoryName()).toAbsolutePath();
        final List<Path> found = new ArrayList<>();
        if (Files.exists(defaultDirectory.resolve(CncFileDescriptor.CNC_FILE)))
        {
            found.add(defaultDirectory);
        }
        final Path parent = defaultDirectory.getParent();
        final String prefix = defaultDirectory.getFileName() + "-embedded-";
        if (parent != null && Files.isDirectory(parent))
        {
            try (var listing = Files.list(parent))
            {
                listing.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> Files.exists(p.resolve(CncFileDescriptor.CNC_FILE)))
                    .sorted()
                    .forEach(found::add);
            }
            catch (final IOException ex)
            {
                return found; // an unreadable parent only means nothing more to show
            }
        }
        return found;
    }

    /**
     * The feed counters in one driver directory, grouped by process and instance; processes that
     * are no longer alive (killed, their driver directory left behind) are skipped.
     *
     * @return empty when the directory has no readable CnC file.
     */
    public static List<Instance> read(final Path directory)
    {
        final File cncFile = directory.resolve(CncFileDescriptor.CNC_FILE).toFile();
        if (!cncFile.isFile() || cncFile.length() < CncFileDescriptor.END_OF_METADATA_OFFSET)
        {
            return Collections.emptyList();
        }
        final MappedByteBuffer cnc;
        try
        {
            cnc = IoUtil.mapExistingFile(cncFile, "cnc");
        }
        catch (final RuntimeException ex)
        {
            return Collections.emptyList(); // removed while we looked: its process has gone
        }
        try
        {
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            final int version = metaData.getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
            if (SemanticVersion.major(version) != SemanticVersion.major(CncFileDescriptor.CNC_VERSION) ||
                !CncFileDescriptor.isCncFileLengthSufficient(metaData, cnc.capacity()))
            {
                return Collections.emptyList();
            }
            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(cnc, metaData),
                CncFileDescriptor.createCountersValuesBuffer(cnc, metaData));
            final Map<String, Instance> instances = new LinkedHashMap<>();
            counters.forEach((counterId, typeId, keyBuffer, label) ->
            {
                final FeedCounter counter = FeedCounter.ofTypeId(typeId);
                if (counter == null)
                {
                    return;
                }
                final long pid = keyBuffer.getLong(FeedCounters.PID_OFFSET);
                final String name = name(keyBuffer);
                final Instance instance = instances.computeIfAbsent(pid + "/" + counter.role() + "/" + name,
                    k -> new Instance(directory, pid, counter.role(), name, new EnumMap<>(FeedCounter.class)));
                instance.values().put(counter, counters.getCounterValue(counterId));
            });
            final List<Instance> alive = new ArrayList<>();
            for (final Instance instance : instances.values())
            {
                if (ProcessHandle.of(instance.pid()).map(ProcessHandle::isAlive).orElse(false))
                {
                    alive.add(instance);
                }
            }
            return alive;
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }

    /** Every live instance in {@code directories} (or, when empty, in {@link #driverDirectories()}). */
    public static List<Instance> readAll(final List<Path> directories)
    {
        final List<Instance> all = new ArrayList<>();
        for (final Path directory : directories.isEmpty() ? driverDirectories() : directories)
        {
            all.addAll(read(directory));
        }
        return all;
    }

    private static String name(final DirectBuffer key)
    {
        final int length = key.getInt(FeedCounters.NAME_LENGTH_OFFSET);
        if (length <= 0 || length > FeedCounters.MAX_NAME_LENGTH)
        {
            return "";
        }
        final byte[] bytes = new byte[length];
        key.getBytes(FeedCounters.NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
