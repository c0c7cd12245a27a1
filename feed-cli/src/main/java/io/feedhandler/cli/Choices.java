package io.feedhandler.cli;

import io.feedhandler.journal.Journal;
import io.feedhandler.publisher.DamagedJournalPolicy;
import io.feedhandler.publisher.JournalFullPolicy;
import io.feedhandler.subscriber.LostPolicy;
import io.feedhandler.subscriber.SlowConsumerPolicy;
import io.feedhandler.transport.FeedProfile;
import io.feedhandler.transport.IdleStrategies;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Options whose value is one name out of a fixed set (a profile, an idle strategy, a policy). Each
 * declares its names as picocli completion candidates; the help lists them with
 * {@code ${COMPLETION-CANDIDATES}}, and {@link #resolve} accepts them in any case, with '_' and '-'
 * alike, and refuses anything else naming the accepted ones: the list in the help is the list accepted.
 * A new option of this kind needs only {@code completionCandidates = ...}.
 */
final class Choices
{
    private Choices()
    {
    }

    /** Every option of the command that has names to choose from: the given value replaced by its name as listed. */
    static void resolve(final CommandSpec command, final Function<OptionSpec, String> whereFrom)
    {
        for (final OptionSpec option : command.options())
        {
            if (option.completionCandidates() == null || option.arity().max() < 1 || option.type() != String.class)
            {
                continue;
            }
            final String value = option.getValue();
            if (value != null)
            {
                option.setValue(resolve(option, value, whereFrom));
            }
        }
    }

    /** The name as listed that {@code value} spells; a UsageError naming the value and the names otherwise. */
    static String resolve(final OptionSpec option, final String value, final Function<OptionSpec, String> whereFrom)
    {
        final List<String> names = names(option);
        for (final String name : names)
        {
            if (canonical(name).equals(canonical(value)))
            {
                return name;
            }
        }
        final String from = whereFrom.apply(option);
        throw new UsageError((from != null ? from : "bad " + option.longestName() + " '" + value + "'") +
            ": expected one of " + String.join(", ", names) + " (any case)");
    }

    static List<String> names(final OptionSpec option)
    {
        final List<String> names = new ArrayList<>();
        option.completionCandidates().forEach(names::add);
        return names;
    }

    private static String canonical(final String name)
    {
        return name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code --profile}. */
    static final class Profiles implements Iterable<String>
    {
        public Iterator<String> iterator()
        {
            return java.util.stream.Stream.concat(java.util.stream.Stream.of(FeedProfile.AUTO),
                Arrays.stream(FeedProfile.values()).map(FeedProfile::cliName)).iterator();
        }
    }

    /** {@code --idle}. */
    static final class IdleStrategyNames implements Iterable<String>
    {
        public Iterator<String> iterator()
        {
            return IdleStrategies.NAMES.iterator();
        }
    }

    /** {@code driver --threading}: Aeron's threading modes but INVOKER, which only an application can use. */
    static final class DriverThreading implements Iterable<String>
    {
        public Iterator<String> iterator()
        {
            return List.of("shared", "shared-network", "dedicated").iterator();
        }
    }

    /** {@code --roll-cycle}: the journal's own list, the one it parses. */
    static final class RollCycleNames implements Iterable<String>
    {
        public Iterator<String> iterator()
        {
            return Journal.rollCycleNames().iterator();
        }
    }

    /** {@code --on-journal-full}. */
    static final class JournalFullPolicies implements Iterable<String>
    {
        public Iterator<String> iterator()
        {
            return Arrays.stream(JournalFullPolicy.values()).map(JournalFullPolicy::cliName).iterator();
        }
    }

    /** {@code --on-damaged-journal}. */
    static final class DamagedJournalPolicies implements Iterable<String>
    {
        public Iterator<String> iterator()
        {
            return Arrays.stream(DamagedJournalPolicy.values()).map(DamagedJournalPolicy::cliName).iterator();
        }
    }

    /** {@code --on-lost}. */
    static final class LostPolicies implements Iterable<String>
    {
        public Iterator<String> iterator()
        {
            return Arrays.stream(LostPolicy.values()).map(LostPolicy::cliName).iterator();
        }
    }

    /** {@code --slow-consumer}. */
    static final class SlowConsumerPolicies implements Iterable<String>
    {
        public Iterator<String> iterator()
        {
            return Arrays.stream(SlowConsumerPolicy.values()).map(SlowConsumerPolicy::cliName).iterator();
        }
    }
}
