package io.feedhandler.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplicaStateTest
{
    @TempDir
    Path dir;

    @Test
    void whatTheReplicaStoresAnotherReaderSees()
    {
        assertNull(ReplicaState.read(dir), "not a replica's journal");
        try (ReplicaState state = ReplicaState.open(dir))
        {
            state.update(0, 0, 1_000, ReplicaState.State.AWAITING_UPSTREAM);
            assertEquals(new ReplicaState.Snapshot(0, 0, 1_000, ReplicaState.State.AWAITING_UPSTREAM), ReplicaState.read(dir));
            state.update(5_000, 4_200, 2_000, ReplicaState.State.FOLLOWING);
            final ReplicaState.Snapshot read = ReplicaState.read(dir);
            assertEquals(800, read.trailsBy());
            assertEquals(ReplicaState.State.FOLLOWING, read.state());
            assertEquals(2_000, read.updatedEpochMs());
        }
        try (ReplicaState reopened = ReplicaState.open(dir))
        {
            assertEquals(4_200, reopened.snapshot().lastSequence(), "kept across a restart");
        }
    }

    @Test
    void anotherFileIsRefused() throws Exception
    {
        Files.write(dir.resolve(ReplicaState.FILE_NAME), new byte[64]);
        assertThrows(JournalException.class, () -> ReplicaState.open(dir));
    }
}
