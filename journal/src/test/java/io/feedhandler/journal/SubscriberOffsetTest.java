package io.feedhandler.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A durable subscriber's offset file: its position and the epoch of the stream it was taken from. */
class SubscriberOffsetTest
{
    @TempDir
    Path dir;

    @Test
    void aVersionOneFileIsReadAsItIsAndTakesAnEpochWhenOneIsStored() throws Exception
    {
        // As version 1 wrote it: magic, version 1, the last sequence delivered, nothing after.
        final ByteBuffer v1 = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        v1.putLong(0, 0x5346464F44454546L).putInt(8, 1).putLong(16, 1234);
        Files.write(dir.resolve("ops" + SubscriberOffset.SUFFIX), v1.array());

        try (SubscriberOffset offset = SubscriberOffset.open(dir, "ops"))
        {
            assertEquals(1234, offset.lastDelivered());
            assertEquals(0, offset.epoch(), "no epoch stored: the first one followed will be");
            offset.storeEpoch(0xabcL);
        }
        try (SubscriberOffset offset = SubscriberOffset.open(dir, "ops"))
        {
            assertEquals(1234, offset.lastDelivered());
            assertEquals(0xabcL, offset.epoch());
        }
        final ByteBuffer v2 = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("ops" + SubscriberOffset.SUFFIX)))
            .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, v2.getInt(8), "upgraded to version 2");
        assertEquals(List.of(new SubscriberOffset.Entry("ops", 1234, 0xabcL)), SubscriberOffset.readAll(dir));
    }
}
