package io.feedhandler.cli;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a chaos soak did and found: faults injected by kind and by target, recoveries and how long
 * they took, invariant checks passed, and the first violation (with the seed that replays the
 * schedule). Rendered as markdown, the form docs/NETLAB.md quotes.
 */
final class ChaosReport
{
    private final long seed;
    private final String setup;
    private final Map<ChaosFault, Integer> faults = new EnumMap<>(ChaosFault.class);
    private final Map<String, Integer> targets = new TreeMap<>();
    private final Map<ChaosFault, Long> maxRecoveryMsByFault = new EnumMap<>(ChaosFault.class);
    private final List<String> notes = new ArrayList<>();
    private int recoveries;
    private int slowRecoveries;
    private long maxRecoveryMs;
    private String maxRecoveryFault = "";
    private long totalRecoveryMs;
    private long checks;
    private long checkedTicks;
    private long endChecks;
    private long journalLast;
    private String violation;
    private long startedNanos = System.nanoTime();
    private long faultPhaseMs;

    ChaosReport(final long seed, final String setup)
    {
        this.seed = seed;
        this.setup = setup;
    }

    long seed()
    {
        return seed;
    }

    void injected(final ChaosFault fault, final String target)
    {
        faults.merge(fault, 1, Integer::sum);
        targets.merge(fault.name().toLowerCase(Locale.ROOT) + " " + target, 1, Integer::sum);
    }

    int count(final ChaosFault fault)
    {
        return faults.getOrDefault(fault, 0);
    }

    void recovered(final ChaosFault fault, final String what, final long millis)
    {
        recoveries++;
        totalRecoveryMs += millis;
        maxRecoveryMsByFault.merge(fault, millis, Math::max);
        if (millis > maxRecoveryMs)
        {
            maxRecoveryMs = millis;
            maxRecoveryFault = what;
        }
    }

    /** A recovery that did not complete in the time allowed (the soak goes on; the end checks decide). */
    void slowRecovery(final String what, final long millis)
    {
        slowRecoveries++;
        notes.add("not caught up " + millis + " ms after: " + what);
    }

    void checkPassed(final long ticks)
    {
        checks++;
        checkedTicks += ticks;
    }

    void endCheckPassed()
    {
        endChecks++;
    }

    void faultPhaseEnded()
    {
        faultPhaseMs = (System.nanoTime() - startedNanos) / 1_000_000;
    }

    void journalLast(final long last)
    {
        journalLast = last;
    }

    void note(final String note)
    {
        notes.add(note);
    }

    void violation(final String violation)
    {
        if (this.violation == null)
        {
            this.violation = violation;
        }
    }

    String violation()
    {
        return violation;
    }

    long checks()
    {
        return checks;
    }

    int recoveries()
    {
        return recoveries;
    }

    String render()
    {
        final StringBuilder out = new StringBuilder();
        out.append("## Chaos soak: ").append(violation == null ? "PASS, 0 invariant violations" : "FAIL").append('\n')
            .append('\n')
            .append("- seed: ").append(seed).append(" (`scripts/chaos --seed ").append(seed).append("` replays the schedule)\n")
            .append("- setup: ").append(setup).append('\n')
            .append("- time: ").append(String.format(Locale.ROOT, "%.1f", (System.nanoTime() - startedNanos) / 60e9))
            .append(" min in all, faults injected for ").append(String.format(Locale.ROOT, "%.1f", faultPhaseMs / 60e3))
            .append(" min (lab, JVM start-up and the end checks included)\n")
            .append("- journal: ").append(String.format(Locale.ROOT, "%,d", journalLast)).append(" ticks\n")
            .append("- invariant checks passed: ").append(String.format(Locale.ROOT, "%,d", checks))
            .append(" while running (each: a subscriber's digest of its delivered ticks, from its first to a checkpoint, ")
            .append("equals the journal's over the same range; ").append(String.format(Locale.ROOT, "%,d", checkedTicks))
            .append(" ticks compared), ").append(endChecks).append(" at the end\n")
            .append("- recoveries: ").append(recoveries).append(" (every subscriber back to the journal's head as of the ")
            .append("heal), mean ").append(recoveries == 0 ? 0 : totalRecoveryMs / recoveries).append(" ms, max ")
            .append(maxRecoveryMs).append(" ms (").append(maxRecoveryFault).append(")")
            .append(slowRecoveries > 0 ? "; " + slowRecoveries + " not within the time allowed" : "").append('\n')
            .append("- first violation: ").append(violation == null ? "none" : violation).append('\n')
            .append('\n')
            .append("| fault | injected | max recovery ms |\n|---|---:|---:|\n");
        int total = 0;
        for (final ChaosFault fault : ChaosFault.values())
        {
            final int n = count(fault);
            total += n;
            out.append("| ").append(fault.description()).append(" | ").append(n).append(" | ")
                .append(maxRecoveryMsByFault.getOrDefault(fault, 0L)).append(" |\n");
        }
        out.append("| all | ").append(total).append(" | ").append(maxRecoveryMs).append(" |\n\n");
        out.append("Targets: ");
        final List<String> parts = new ArrayList<>();
        targets.forEach((target, n) -> parts.add(target + " " + n));
        out.append(String.join(", ", parts)).append('\n');
        if (!notes.isEmpty())
        {
            out.append('\n');
            for (final String note : notes)
            {
                out.append("- ").append(note).append('\n');
            }
        }
        return out.toString();
    }
}
