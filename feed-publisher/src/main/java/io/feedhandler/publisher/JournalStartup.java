package io.feedhandler.publisher;

import io.feedhandler.journal.Journal;
import io.feedhandler.journal.JournalDamagedException;
import io.feedhandler.journal.JournalException;
import io.feedhandler.journal.JournalIdentity;
import io.feedhandler.journal.JournalLock;
import io.feedhandler.journal.JournalSalvage;
import io.feedhandler.journal.JournalVerifier;
import io.feedhandler.sbe.QuoteDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What a publisher does with its journal before the first tick, so it never appends to a journal
 * that is not its own or is damaged: take the writer lock (nobody else may write, or move, the
 * journal meanwhile), check the journal belongs to this stream, check it for damage
 * ({@link JournalVerifier.Depth#START_UP}), and refuse or salvage as {@link DamagedJournalPolicy}
 * says. A journal without an identity (new, or older than identity files) gets one.
 */
final class JournalStartup
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalStartup.class);

    /**
     * @param lock     the journal's writer lock, held: the journal's writer takes it over.
     * @param salvage  what was done with a damaged journal, or null when it was sound.
     * @param identity the journal's identity: its stream and epoch.
     */
    record Prepared(JournalLock lock, JournalSalvage.Outcome salvage, JournalIdentity identity)
    {
    }

    private JournalStartup()
    {
    }

    /**
     * @throws JournalDamagedException when the journal is damaged and the policy is to refuse.
     * @throws JournalException        when the journal belongs to another stream or cannot be used.
     */
    static Prepared prepare(final PublisherContext context)
    {
        final Path directory = context.journalDirectory();
        Journal.ensureWritableDirectory(directory);
        JournalLock lock = JournalLock.acquire(directory);
        try
        {
            JournalIdentity identity = JournalIdentity.read(directory);
            checkBelongs(directory, identity, context);
            final boolean existing = Journal.hasCycleFiles(directory);
            JournalSalvage.Outcome salvage = null;
            if (existing)
            {
                final JournalVerifier.Result result = JournalVerifier.verify(directory, JournalVerifier.Depth.START_UP,
                    context.stopRequested());
                if (!result.ok())
                {
                    if (context.onDamagedJournal() == DamagedJournalPolicy.REFUSE)
                    {
                        throw new JournalDamagedException(directory, result, refusal(directory, result));
                    }
                    final JournalIdentity base = identity != null ? identity :
                        JournalIdentity.create(context.transport().channel(), context.transport().streamId(), "");
                    salvage = JournalSalvage.salvage(directory, result.lastGoodSequence(), base);
                    lock.close(); // the damaged journal's, now in the archive
                    lock = salvage.lock();
                    identity = JournalIdentity.read(directory);
                    report(directory, result, salvage);
                }
            }
            if (identity == null)
            {
                identity = JournalIdentity.create(context.transport().channel(), context.transport().streamId(), existing ? "adopted" : "new");
                identity.write(directory);
                if (existing)
                {
                    LOG.info("journal {} had no identity (written before journals had one): it now belongs to {}, epoch {}",
                        directory.toAbsolutePath(), identity.describe(), identity.epochHex());
                }
            }
            return new Prepared(lock, salvage, identity);
        }
        catch (final RuntimeException ex)
        {
            lock.close();
            throw ex;
        }
    }

    private static void checkBelongs(final Path directory, final JournalIdentity identity, final PublisherContext context)
    {
        if (identity == null)
        {
            return;
        }
        final String channel = context.transport().channel();
        final int streamId = context.transport().streamId();
        if (!identity.sameStream(channel, streamId))
        {
            throw new JournalException(JournalIdentity.notThisStream(directory, identity, channel, streamId,
                "Nothing was published."));
        }
        if (identity.schemaId() != QuoteDecoder.SCHEMA_ID)
        {
            throw new JournalException("journal " + directory.toAbsolutePath() + " holds SBE schema " +
                identity.schemaId() + ", this publisher writes schema " + QuoteDecoder.SCHEMA_ID);
        }
    }

    /** One line: the journal, the first bad sequence, the problem, what was not done and the options. */
    static String refusal(final Path directory, final JournalVerifier.Result result)
    {
        final String kept = result.lastGoodSequence() > 0 ?
            "a fresh journal holding a copy of sequences " + result.firstSequence() + ".." + result.lastGoodSequence() :
            "a fresh, empty journal";
        return "journal " + directory.toAbsolutePath() + " is damaged at sequence " + result.firstBadSequence() +
            ": " + result.problem() + ". Nothing was published. Options: 'feed journal verify --journal " + directory +
            "' checks all of it; --on-damaged-journal archive keeps it, unchanged, under another name and publishes on " +
            "from sequence " + (result.lastGoodSequence() + 1) + " in " + kept;
    }

    private static void report(final Path directory, final JournalVerifier.Result result, final JournalSalvage.Outcome salvage)
    {
        LOG.warn("journal {} is damaged at sequence {}: {}", directory.toAbsolutePath(), result.firstBadSequence(),
            result.problem());
        LOG.warn("--on-damaged-journal archive: the damaged journal is kept, unchanged, at {}", salvage.archive());
        LOG.warn("the journal at {} is now a fresh one holding a copy of its sequences {} (copied in {} ms)",
            directory.toAbsolutePath(),
            salvage.lastSequence() == 0 ? "none" : salvage.firstSequence() + ".." + salvage.lastSequence(),
            TimeUnit.NANOSECONDS.toMillis(salvage.durationNs()));
        if (salvage.shortfall() != null)
        {
            LOG.warn("the copy stopped before sequence {}: {}", result.lastGoodSequence() + 1, salvage.shortfall());
        }
        LOG.warn("publishing continues at sequence {}; whatever the damaged journal held after sequence {} is only " +
            "in the archive, and a subscriber that saw those sequence numbers will see them again with new ticks",
            salvage.lastSequence() + 1, salvage.lastSequence());
    }
}
