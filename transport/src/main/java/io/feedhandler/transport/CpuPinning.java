package io.feedhandler.transport;

import net.openhft.affinity.Affinity;

import java.util.BitSet;

/**
 * Pinning a hot-path thread to one CPU (OpenHFT affinity), so it keeps its caches and is not moved
 * by the scheduler. Pair it with isolcpus/nohz_full on the host (docs/BENCHMARKS.md, tuning).
 */
public final class CpuPinning
{
    /** No pinning. */
    public static final int NONE = -1;

    private CpuPinning()
    {
    }

    /**
     * @throws IllegalArgumentException naming the CPU and the ones this process may use.
     */
    public static void validate(final String option, final int cpu)
    {
        if (cpu == NONE)
        {
            return;
        }
        final BitSet allowed = allowedCpus();
        if (cpu < 0 || !allowed.get(cpu))
        {
            throw new IllegalArgumentException("bad " + option + " " + cpu + ": this process may run on CPUs " +
                describe(allowed));
        }
    }

    /** Pin the calling thread to {@code cpu}; nothing when {@code cpu} is {@link #NONE}. */
    public static void pinCurrentThread(final int cpu)
    {
        if (cpu != NONE)
        {
            Affinity.setAffinity(cpu);
        }
    }

    static BitSet allowedCpus()
    {
        BitSet allowed;
        try
        {
            allowed = Affinity.getAffinity();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            allowed = null;
        }
        if (allowed == null || allowed.isEmpty())
        {
            allowed = new BitSet();
            allowed.set(0, Runtime.getRuntime().availableProcessors());
        }
        return allowed;
    }

    private static String describe(final BitSet cpus)
    {
        final StringBuilder text = new StringBuilder();
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1))
        {
            text.append(text.length() == 0 ? "" : ",").append(cpu);
        }
        return text.toString();
    }
}
