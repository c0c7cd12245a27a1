package io.feedhandler.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaleDriverDirectoriesTest
{
    /** Above Linux's largest pid_max (2^22): no process ever has it. */
    private static final long GONE = 999_999_999L;

    @TempDir
    Path shm;

    @Test
    void aDirectoryOfAGoneProcessWithNoDriverIsStale() throws Exception
    {
        final Path left = Files.createDirectory(shm.resolve("aeron-u-embedded-" + GONE + "-ab12"));
        Files.writeString(left.resolve("loss-report.dat"), "x");
        final List<StaleDriverDirectories.Stale> stale = StaleDriverDirectories.find(shm.resolve("aeron-u"));
        assertEquals(1, stale.size(), stale.toString());
        assertEquals(GONE, stale.get(0).pid());
        StaleDriverDirectories.remove(stale);
        assertFalse(Files.exists(left));
    }

    @Test
    void aLinkIsNeverStaleAndWhatItPointsToIsNeverTouched() throws Exception
    {
        final Path victim = Files.createDirectory(shm.resolve("victim"));
        Files.writeString(victim.resolve("precious"), "keep");
        Files.createSymbolicLink(shm.resolve("aeron-u-embedded-" + GONE + "-cd34"), victim);
        assertTrue(StaleDriverDirectories.find(shm.resolve("aeron-u")).isEmpty());
        assertTrue(Files.exists(victim.resolve("precious")));
    }

    @Test
    void deletingATreeRemovesALinkInsideItNotItsTarget() throws Exception
    {
        final Path victim = Files.createDirectory(shm.resolve("victim"));
        Files.writeString(victim.resolve("precious"), "keep");
        final Path left = Files.createDirectory(shm.resolve("aeron-u-embedded-" + GONE + "-ef56"));
        Files.createSymbolicLink(left.resolve("planted"), victim);
        StaleDriverDirectories.deleteTree(left);
        assertFalse(Files.exists(left));
        assertTrue(Files.exists(victim.resolve("precious")));
    }

    @Test
    void aLiveProcessKeepsItsDirectory() throws Exception
    {
        Files.createDirectory(shm.resolve("aeron-u-embedded-" + ProcessHandle.current().pid() + "-aa"));
        assertTrue(StaleDriverDirectories.find(shm.resolve("aeron-u")).isEmpty());
    }
}
