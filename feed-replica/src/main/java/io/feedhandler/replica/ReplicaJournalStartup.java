package io.feedhandler.replica;

import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalDamagedException;
import io.feedhandler.journal.JournalException;
import io.feedhandler.journal.JournalIdentity;
import io.feedhandler.journal.JournalLock;
import io.feedhandler.journal.JournalSalvage;
import io.feedhandler.journal.JournalVerifier;
import io.feedhandler.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a replica does with its journal before it follows anything, so it never appends to a journal
 * that is not its own or is damaged: check the journal is a replica's journal of this stream (also
 * before the media driver is touched, {@link #checkBelongs}), take the writer lock, check it for damage
 * ({@link JournalVerifier.Depth#START_UP}), and refuse or salvage it. Unlike a publisher's, a salvaged
 * replica journal keeps its epoch: the tail it lost is pulled again from the upstream, so its history
 * does not part from the upstream's.
 */
final class ReplicaJournalStartup
{
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaJournalStartup.class);
    private static final String NOTHING_DONE = "Nothing was replicated.";

    /**
     * @param lock     the journal's writer lock, held: the journal's writer takes it over.
     * @param identity the journal's identity; null for a new journal (it gets one when the upstream is heard).
     * @param salvage  what was done with a damaged journal, or null when it was sound.
     */
    record Prepared(JournalLock lock, JournalIdentity identity, JournalSalvage.Outcome salvage)
    {
    }

    private ReplicaJournalStartup()
    {
    }

    /**
     * Refuse a journal of another stream, or one that is not a replica's, reading only: nothing is
     * created or locked, so it can run before the media driver is started.
     *
     * @return the identity found, or null when there is none (a new journal).
     * @throws JournalException naming the journal and the remedy.
     */
    static JournalIdentity checkBelongs(final ReplicaContext context)
    {
        final Path directory = context.journalDirectory();
        if (!Files.isDirectory(directory))
        {
            return null;
        }
        final JournalIdentity identity = JournalIdentity.read(directory);
        final TransportContext live = context.subscriber().transport();
        if (identity != null && !identity.sameStream(live.channel(), live.streamId()))
        {
            throw new JournalException(JournalIdentity.notThisStream(directory, identity, live.channel(), live.streamId(),
                NOTHING_DONE));
        }
        if (identity != null && !identity.isReplica() || identity == null && Journal.hasCycleFiles(directory))
        {
            throw new JournalException("journal " + directory.toAbsolutePath() + " is not a replica's journal (" +
                (identity == null ? "it has no identity" : "its origin: " + identity.origin()) + "). " + NOTHING_DONE +
                " A replica writes only into a journal of its own: give it another --journal");
        }
        return identity;
    }

    /**
     * @throws JournalDamagedException when the journal is damaged and the replica may not archive it.
     * @throws JournalException        when the journal is not this stream's replica journal, or cannot be used.
     */
    static Prepared prepare(final ReplicaContext context)
    {
        final Path directory = context.journalDirectory();
        Journal.ensureWritableDirectory(directory);
        JournalLock lock = JournalLock.acquire(directory);
        try
        {
            final JournalIdentity identity = checkBelongs(context); // again, now that nobody else may write
            JournalSalvage.Outcome salvage = null;
            if (Journal.hasCycleFiles(directory))
            {
                final JournalVerifier.Result result =
                    JournalVerifier.verify(directory, JournalVerifier.Depth.START_UP, context.stopRequested());
                if (!result.ok())
                {
                    if (!context.archiveDamagedJournal())
                    {
                        throw new JournalDamagedException(directory, result, "journal " + directory.toAbsolutePath() +
                            " is damaged at sequence " + result.firstBadSequence() + ": " + result.problem() + ". " +
                            NOTHING_DONE + " --on-damaged-journal archive keeps it, unchanged, under another name and " +
                            "replicates on from sequence " + (result.lastGoodSequence() + 1) + ", pulling the rest " +
                            "from the upstream again");
                    }
                    salvage = JournalSalvage.salvage(directory, result.lastGoodSequence(), identity, true);
                    lock.close(); // the damaged journal's, now in the archive
                    lock = salvage.lock();
                    LOG.warn("journal {} was damaged at sequence {} ({}): kept, unchanged, at {}; the replica goes on " +
                        "from sequence {} under the same epoch", directory.toAbsolutePath(), result.firstBadSequence(),
                        result.problem(), salvage.archive(), salvage.lastSequence() + 1);
                }
            }
            return new Prepared(lock, identity, salvage);
        }
        catch (final RuntimeException ex)
        {
            lock.close();
            throw ex;
        }
    }
}
