package io.feedhandler.cli;

import io.feedhandler.transport.FeedCounter;
import io.feedhandler.transport.FeedCounterReader.Instance;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The two ways live counters are shown: a terminal view ({@code feed stat}) and Prometheus text ({@code feed metrics}). */
final class CounterView
{
    private CounterView()
    {
    }

    /** One block per process role: a title line, then a counter a line. */
    static String table(final List<Instance> instances, final long nowMillis)
    {
        final StringBuilder out = new StringBuilder();
        for (final Instance instance : instances)
        {
            out.append(instance.role().metricPrefix().replace('_', '-'));
            if (!instance.name().isEmpty())
            {
                out.append(' ').append(instance.name());
            }
            out.append("  pid ").append(instance.pid()).append("  ").append(instance.directory()).append('\n');
            for (final Map.Entry<FeedCounter, Long> entry : instance.values().entrySet())
            {
                final FeedCounter counter = entry.getKey();
                final String value = counter.kind() == FeedCounter.Kind.TIMESTAMP ?
                    age(entry.getValue(), nowMillis) : String.format(Locale.ROOT, "%,d", entry.getValue());
                out.append(String.format(Locale.ROOT, "  %-20s %16s  %s%n",
                    counter.kind() == FeedCounter.Kind.TIMESTAMP ? counter.metricName().replace("_ms", "_age") :
                    counter.metricName(), value, counter.description()));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String age(final long epochMillis, final long nowMillis)
    {
        return epochMillis <= 0 ? "never" : String.format(Locale.ROOT, "%.1f s", Math.max(0, nowMillis - epochMillis) / 1000.0);
    }

    /**
     * The Prometheus text exposition format: {@code feed_<role>_<counter>} with labels {@code name}
     * and {@code pid}; totals end in {@code _total}; a timestamp is shown as an age in seconds.
     */
    static String prometheus(final List<Instance> instances, final long nowMillis)
    {
        final StringBuilder out = new StringBuilder();
        out.append("# HELP feed_processes Feed process roles found in the media drivers' counters.\n")
            .append("# TYPE feed_processes gauge\n")
            .append("feed_processes ").append(instances.size()).append('\n');
        for (final FeedCounter counter : FeedCounter.values())
        {
            boolean described = false;
            for (final Instance instance : instances)
            {
                final Long value = instance.values().get(counter);
                if (value == null)
                {
                    continue;
                }
                final String metric = metricName(counter);
                if (!described)
                {
                    out.append("# HELP ").append(metric).append(' ').append(help(counter)).append('\n')
                        .append("# TYPE ").append(metric).append(' ')
                        .append(counter.kind() == FeedCounter.Kind.TOTAL ? "counter" : "gauge").append('\n');
                    described = true;
                }
                out.append(metric).append("{name=\"").append(escape(instance.name())).append("\",pid=\"")
                    .append(instance.pid()).append("\"} ");
                if (counter.kind() == FeedCounter.Kind.TIMESTAMP)
                {
                    out.append(value <= 0 ? "NaN" :
                        String.format(Locale.ROOT, "%.3f", Math.max(0, nowMillis - value) / 1000.0));
                }
                else
                {
                    out.append(value);
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    static String metricName(final FeedCounter counter)
    {
        final String base = "feed_" + counter.role().metricPrefix() + "_";
        switch (counter.kind())
        {
            case TOTAL:
                return base + counter.metricName() + "_total";
            case TIMESTAMP:
                return base + counter.metricName().replace("_ms", "_age_seconds");
            default:
                return base + counter.metricName();
        }
    }

    private static String help(final FeedCounter counter)
    {
        final String text = counter.kind() == FeedCounter.Kind.TIMESTAMP ?
            "Seconds since " + counter.description().replaceFirst("^when ", "") + " (NaN: never)." :
            Character.toUpperCase(counter.description().charAt(0)) + counter.description().substring(1) + ".";
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escape(final String labelValue)
    {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
