package io.feedhandler.journal;

import io.feedhandler.sbe.QuoteDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JournalIdentityTest
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.77.1:40456|interface=127.0.0.1";

    @TempDir
    Path dir;

    @Test
    void writtenOnceAndReadBack()
    {
        assertNull(JournalIdentity.read(dir), "a new journal has none");
        final JournalIdentity identity = JournalIdentity.create(CHANNEL, 1001, "new");
        identity.write(dir);
        assertEquals(identity, JournalIdentity.read(dir));
        assertEquals(QuoteDecoder.SCHEMA_ID, identity.schemaId());
        assertEquals(QuoteDecoder.SCHEMA_VERSION, identity.schemaVersion());
        assertNotEquals(identity.epoch(), JournalIdentity.create(CHANNEL, 1001, "new").epoch(), "random epochs");

        final JournalException again = assertThrows(JournalException.class,
            () -> JournalIdentity.create(CHANNEL, 1002, "new").write(dir));
        assertTrue(again.getMessage().contains("already has an identity"), again.getMessage());
        assertEquals(identity, JournalIdentity.read(dir), "never replaced");
    }

    @Test
    void aReplicasIdentityKeepsItsUpstreamsEpochAndNamesItsUpstream()
    {
        final JournalIdentity primary = JournalIdentity.create(CHANNEL, 1001, "new");
        assertFalse(primary.isReplica());
        assertEquals("", primary.upstream());
        final JournalIdentity replica =
            JournalIdentity.replica(CHANNEL, 1001, primary.epoch(), "aeron:udp?endpoint=127.0.0.1:40461");
        replica.write(dir);
        final JournalIdentity read = JournalIdentity.read(dir);
        assertEquals(replica, read, "round trip");
        assertTrue(read.isReplica());
        assertEquals("aeron:udp?endpoint=127.0.0.1:40461", read.upstream());
        assertEquals(primary.epoch(), read.epoch(), "the same history, the same epoch");
        assertEquals(Journal.FORMAT, read.format());
        assertTrue(read.sameStream(CHANNEL, 1001));
    }

    @Test
    void theStreamIsTheStreamIdAndTheAddress()
    {
        final JournalIdentity identity = JournalIdentity.create(CHANNEL, 1001, "new");
        assertTrue(identity.sameStream(CHANNEL, 1001));
        assertTrue(identity.sameStream("aeron:udp?endpoint=239.255.77.1:40456|interface=10.0.0.1|ttl=1", 1001),
            "interface and ttl may change between runs");
        assertFalse(identity.sameStream(CHANNEL, 1002), "another stream id");
        assertFalse(identity.sameStream("aeron:udp?endpoint=239.255.77.3:40456|interface=127.0.0.1", 1001),
            "another group");
        assertFalse(identity.sameStream("aeron:ipc", 1001));
        assertTrue(JournalIdentity.create("aeron:ipc", 7, "new").sameStream("aeron:ipc?term-length=65536", 7));
    }

    @Test
    void aGarbledIdentityIsNamed() throws Exception
    {
        Files.writeString(dir.resolve(JournalIdentity.FILE_NAME), "channel=aeron:ipc\nstream=seven\n");
        final JournalException ex = assertThrows(JournalException.class, () -> JournalIdentity.read(dir));
        assertTrue(ex.getMessage().contains(JournalIdentity.FILE_NAME), ex.getMessage());
    }
}
