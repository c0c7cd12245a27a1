package io.feedhandler.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lab run's report, {@code feed-cli/target/netlab-report.md}: one table row per subscriber of every
 * scenario, the scenario's own claims, and the raw summary lines. Rewritten after each scenario, so a
 * run that stops part way still leaves what it did.
 */
final class NetLabReport
{
    static final Path FILE = FeedScript.REPO_ROOT.resolve("feed-cli/target/netlab-report.md");

    private final List<Scenario> scenarios = new ArrayList<>();
    private final String started = Instant.now().toString();
    private final long startNanos = System.nanoTime();
    private String setup = "";

    /** One subscriber's line in the table. */
    record Row(String subscriber, long delivered, long recovered, long duplicatesDropped, long lost,
        long gapsDetected, long recoveryMs, boolean pass)
    {
    }

    /** What one scenario did and showed. */
    static final class Scenario
    {
        final String title;
        final List<Row> rows = new ArrayList<>();
        final List<String> claims = new ArrayList<>();
        final List<String> raw = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        long published;
        double seconds;

        Scenario(final String title)
        {
            this.title = title;
        }

        boolean passed()
        {
            return failures.isEmpty();
        }
    }

    synchronized void setup(final String text)
    {
        this.setup = text;
    }

    synchronized void add(final Scenario scenario)
    {
        scenarios.add(scenario);
        write();
    }

    synchronized void write()
    {
        final StringBuilder md = new StringBuilder();
        md.append("# Network lab report\n\n");
        md.append("Run started ").append(started).append("; ").append(scenarios.size()).append(" scenario(s), ")
            .append(String.format(Locale.ROOT, "%.1f", (System.nanoTime() - startNanos) / 1e9))
            .append(" s so far (lab setup included).\n\n");
        if (!setup.isEmpty())
        {
            md.append(setup).append("\n\n");
        }
        md.append("| scenario | ticks published | subscriber | delivered | recovered | duplicates dropped | lost | gaps |" +
            " recovery ms | result |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (final Scenario s : scenarios)
        {
            if (s.rows.isEmpty())
            {
                md.append("| ").append(s.title).append(" | ").append(s.published).append(" | - | | | | | | | ")
                    .append(s.passed() ? "pass" : "**FAIL**").append(" |\n");
            }
            for (final Row row : s.rows)
            {
                md.append("| ").append(s.title).append(" | ").append(s.published).append(" | ")
                    .append(row.subscriber()).append(" | ").append(row.delivered()).append(" | ")
                    .append(row.recovered()).append(" | ").append(row.duplicatesDropped()).append(" | ")
                    .append(row.lost()).append(" | ").append(row.gapsDetected()).append(" | ")
                    .append(row.recoveryMs()).append(" | ").append(row.pass() ? "pass" : "**FAIL**").append(" |\n");
            }
        }
        md.append("\n## Scenarios\n");
        for (final Scenario s : scenarios)
        {
            md.append("\n### ").append(s.title).append(": ").append(s.passed() ? "pass" : "FAIL")
                .append(String.format(Locale.ROOT, " (%.1f s)", s.seconds)).append("\n\n");
            for (final String claim : s.claims)
            {
                md.append("- ").append(claim).append('\n');
            }
            for (final String failure : s.failures)
            {
                md.append("- **failed**: ").append(failure.replace('\n', ' ')).append('\n');
            }
            md.append("\n```\n");
            for (final String line : s.raw)
            {
                md.append(line).append('\n');
            }
            md.append("```\n");
        }
        try
        {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, md.toString());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
