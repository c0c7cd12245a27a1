package io.feedhandler.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JournalEpochTest
{
    @TempDir
    Path dir;

    @Test
    void anEpochWrittenAfterTheJournalWasOpenedIsSeenAndThenKept() throws Exception
    {
        try (Journal journal = Journal.open(dir))
        {
            assertEquals(0, journal.epoch(), "a replica's new journal: no identity yet");
            JournalIdentity.replica(JournalIdentityTest.CHANNEL, 1001, 0x5eedL, "aeron:udp?endpoint=127.0.0.1:40461")
                .write(dir);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (journal.epoch() == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertEquals(0x5eedL, journal.epoch(), "0 was not kept: a server on it answers with the real epoch");
        }
    }
}
