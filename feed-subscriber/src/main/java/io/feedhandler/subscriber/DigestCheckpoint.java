package io.feedhandler.subscriber;

import io.feedhandler.codecs.QuoteDigest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The digest of what was delivered, as of a recent sequence, readable from another thread while
 * delivery goes on: a watcher (the status line, the chaos soak) compares it with the journal's digest
 * of the same range, so a gap or a duplicate is seen while the subscriber runs, not only in its
 * summary. Taken on the delivery thread at every sequence that is a multiple of
 * {@link SubscriberConfiguration#DIGEST_CHECKPOINT_INTERVAL}: two stores and a version (a seqlock), no
 * allocation; the reader retries while a checkpoint is being written, so it never pairs a sequence
 * with another sequence's digest.
 */
final class DigestCheckpoint
{
    private static final VarHandle VERSION;

    static
    {
        try
        {
            VERSION = MethodHandles.lookup().findVarHandle(DigestCheckpoint.class, "version", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long mask;
    @SuppressWarnings("unused") // through VERSION
    private volatile long version;
    private long sequence;
    private long digest;

    /** @param interval a power of two: a checkpoint at every multiple of it. */
    DigestCheckpoint(final long interval)
    {
        if (interval <= 0 || Long.bitCount(interval) != 1)
        {
            throw new IllegalArgumentException("checkpoint interval must be a power of two: " + interval);
        }
        this.mask = interval - 1;
    }

    /** On the delivery thread, after {@code sequence} was digested into {@code digest}. */
    void delivered(final long sequence, final long digest)
    {
        if ((sequence & mask) == 0)
        {
            final long v = (long)VERSION.getOpaque(this);
            VERSION.setRelease(this, v + 1); // odd: being written
            VarHandle.storeStoreFence();
            this.sequence = sequence;
            this.digest = digest;
            VERSION.setRelease(this, v + 2);
        }
    }

    /** {@code checkpointSeq=S checkpointDigest=D} (both 0 before the first), from any thread. */
    String text()
    {
        long seq;
        long dig;
        long before;
        do
        {
            before = (long)VERSION.getAcquire(this);
            seq = sequence;
            dig = digest;
            VarHandle.loadLoadFence();
        }
        while ((before & 1) != 0 || before != (long)VERSION.getAcquire(this));
        return "checkpointSeq=" + seq + " checkpointDigest=" + (seq == 0 ? "0" : QuoteDigest.toHex(dig));
    }
}
