package io.feedhandler.replay;

import io.aeron.ChannelUri;
import io.feedhandler.transport.FeedChannels;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A requester's {@code --replay-channel}: one replay server or several, separated by commas, tried in
 * order. An Aeron URI may itself hold commas ({@code tags=1,2}), so the text is split only at a comma
 * that the next {@code aeron:} follows.
 */
public final class ReplayChannels
{
    private static final String URI_START = "aeron:";

    private ReplayChannels()
    {
    }

    /**
     * The servers {@code text} names, in order, each checked.
     *
     * @param option the option the text came from, for messages.
     * @throws IllegalArgumentException naming the option, the entry and what is wrong with it: an empty
     *                                  list or entry, a bad URI, or a server named twice.
     */
    public static List<String> parse(final String option, final String text)
    {
        if (text == null || text.isBlank())
        {
            throw new IllegalArgumentException("bad " + option + " '" + (text == null ? "" : text) +
                "': no replay server named");
        }
        final List<String> channels = split(text);
        final Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < channels.size(); i++)
        {
            final String channel = channels.get(i);
            final String which = channels.size() == 1 ? option : option + " (server " + (i + 1) + " of " +
                channels.size() + ")";
            if (channel.isEmpty())
            {
                throw new IllegalArgumentException("bad " + which + " '" + text + "': an empty entry");
            }
            final ChannelUri uri = FeedChannels.validate(which, channel);
            final String destination = uri.media() + " " + uri.get("endpoint");
            final Integer earlier = seen.putIfAbsent(destination, i + 1);
            if (earlier != null)
            {
                throw new IllegalArgumentException("bad " + which + " '" + channel + "': the same server as entry " +
                    earlier + " (each server once)");
            }
        }
        return List.copyOf(channels);
    }

    /** Whether {@code text} names more than one server (a process that listens on one channel refuses it). */
    public static boolean isList(final String text)
    {
        return text != null && split(text).size() > 1;
    }

    private static List<String> split(final String text)
    {
        final List<String> channels = new ArrayList<>();
        int start = 0;
        for (int comma = text.indexOf(','); comma >= 0; comma = text.indexOf(',', comma + 1))
        {
            if (text.substring(comma + 1).stripLeading().startsWith(URI_START))
            {
                channels.add(text.substring(start, comma).strip());
                start = comma + 1;
            }
        }
        channels.add(text.substring(start).strip());
        return channels;
    }
}
