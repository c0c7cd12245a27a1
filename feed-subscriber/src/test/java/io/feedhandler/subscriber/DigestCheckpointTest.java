package io.feedhandler.subscriber;

import io.feedhandler.codecs.QuoteDigest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestCheckpointTest
{
    @Test
    void takesACheckpointAtEveryMultipleOfTheInterval()
    {
        final DigestCheckpoint checkpoint = new DigestCheckpoint(4);
        assertEquals("checkpointSeq=0 checkpointDigest=0", checkpoint.text());
        checkpoint.delivered(3, 33);
        assertEquals("checkpointSeq=0 checkpointDigest=0", checkpoint.text());
        checkpoint.delivered(4, 44);
        checkpoint.delivered(5, 55);
        assertEquals("checkpointSeq=4 checkpointDigest=" + QuoteDigest.toHex(44), checkpoint.text());
        checkpoint.delivered(8, 88);
        assertEquals("checkpointSeq=8 checkpointDigest=" + QuoteDigest.toHex(88), checkpoint.text());
    }

    @Test
    void refusesAnIntervalThatIsNotAPowerOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new DigestCheckpoint(1000));
    }

    @Test
    void aReaderNeverPairsOneSequenceWithAnotherSequencesDigest() throws Exception
    {
        // The writer stores digest = sequence * 3: any torn read shows as a mismatch.
        final DigestCheckpoint checkpoint = new DigestCheckpoint(1);
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread writer = new Thread(() ->
        {
            for (long seq = 1; !stop.get(); seq++)
            {
                checkpoint.delivered(seq, seq * 3);
            }
        });
        writer.start();
        try
        {
            for (int i = 0; i < 20_000; i++)
            {
                final String[] parts = checkpoint.text().split("[ =]");
                final long seq = Long.parseLong(parts[1]);
                if (seq != 0)
                {
                    assertEquals(QuoteDigest.toHex(seq * 3), parts[3]);
                }
            }
        }
        finally
        {
            stop.set(true);
            writer.join(10_000);
        }
        assertTrue(!writer.isAlive());
    }
}
