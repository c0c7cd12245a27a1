package io.feedhandler.replica;

import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalException;
import io.feedhandler.journal.JournalIdentity;
import io.feedhandler.subscriber.SubscriberContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaJournalStartupTest
{
    private static final String UPSTREAM = ReplicaJournalTest.UPSTREAM;

    @TempDir
    Path dir;

    private ReplicaContext context(final Path journal)
    {
        return new ReplicaContext().journalDirectory(journal)
            .subscriber(new SubscriberContext().transport(t -> t.channel(ReplicaJournalTest.CHANNEL).streamId(1001)));
    }

    @Test
    void aNewJournalHasNoIdentityUntilTheUpstreamIsHeard()
    {
        final ReplicaJournalStartup.Prepared prepared = ReplicaJournalStartup.prepare(context(dir.resolve("new")));
        prepared.lock().close();
        assertNull(prepared.identity());
        assertNull(JournalIdentity.read(dir.resolve("new")));
    }

    @Test
    void anotherStreamsJournalAndAPublishersJournalAreRefusedBeforeAnythingIsWritten() throws Exception
    {
        final Path other = dir.resolve("other");
        Files.createDirectories(other);
        JournalIdentity.replica(ReplicaJournalTest.CHANNEL, 1002, 7, UPSTREAM).write(other);
        final JournalException stream = assertThrows(JournalException.class,
            () -> ReplicaJournalStartup.checkBelongs(context(other)));
        assertTrue(stream.getMessage().contains("set up for stream 1002") &&
            stream.getMessage().contains("Nothing was replicated"), stream.getMessage());

        final Path primary = dir.resolve("primary");
        Files.createDirectories(primary);
        JournalIdentity.create(ReplicaJournalTest.CHANNEL, 1001, "new").write(primary);
        final JournalException notReplica = assertThrows(JournalException.class,
            () -> ReplicaJournalStartup.prepare(context(primary)));
        assertTrue(notReplica.getMessage().contains("is not a replica's journal"), notReplica.getMessage());
        assertTrue(!Journal.hasCycleFiles(primary), "nothing was written into it");
    }
}
