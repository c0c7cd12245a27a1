package io.feedhandler.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * Defaults of the journal, in one place: the publisher, the replay server, the replay tool and the
 * journal commands start from them, and the command line shows them.
 */
public final class JournalConfiguration
{
    /** The journal's directory when none is named: relative to where the command runs. */
    public static final String DIRECTORY = "feed-journal";
    /** How a new journal is split into files. */
    public static final RollCycle ROLL_CYCLE = RollCycles.FAST_HOURLY;
    /** {@link #ROLL_CYCLE} by the name the command line takes ({@link Journal#rollCycle(String)}): an enum's name. */
    public static final String ROLL_CYCLE_NAME = ROLL_CYCLE.toString();
    /**
     * Free space journaling leaves on its file system: one Chronicle chunk (the 64 MiB the queue maps
     * at a time on 64-bit), about a second of appends at 1M ticks/s.
     */
    public static final long MIN_FREE_DISK_BYTES = 64L << 20;
    /** Smallest reserve accepted: a new cycle file's first pages plus page rounding need tens of KiB. */
    public static final long MIN_MIN_FREE_DISK_BYTES = 1L << 20;

    private JournalConfiguration()
    {
    }
}
