package io.feedhandler.transport;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;

/**
 * Channel defaults and checks shared by every process of the feed.
 */
public final class FeedChannels
{
    /**
     * Default live channel: UDP multicast bound to loopback, so a default run never sends a packet
     * off the host. Name a real interface with {@code --channel} to go across hosts.
     */
    public static final String DEFAULT_CHANNEL = "aeron:udp?endpoint=239.255.77.1:40456|interface=127.0.0.1";
    public static final int DEFAULT_STREAM_ID = 1001;

    private FeedChannels()
    {
    }

    /**
     * Parse and check an Aeron channel URI for the live stream.
     *
     * @throws IllegalArgumentException with a message naming the URI and what is wrong with it.
     */
    public static ChannelUri validate(final String option, final String channel)
    {
        final ChannelUri uri;
        try
        {
            uri = ChannelUri.parse(channel);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("bad " + option + " '" + channel + "': " + ex.getMessage());
        }
        final String media = uri.media();
        if (CommonContext.UDP_MEDIA.equals(media))
        {
            if (uri.get(CommonContext.ENDPOINT_PARAM_NAME) == null && uri.get(CommonContext.MDC_CONTROL_PARAM_NAME) == null)
            {
                throw new IllegalArgumentException(
                    "bad " + option + " '" + channel + "': a udp channel needs endpoint= (or control= for MDC)");
            }
            final String endpoint = uri.get(CommonContext.ENDPOINT_PARAM_NAME);
            if (endpoint != null && isEvenIpv4Multicast(endpoint))
            {
                throw new IllegalArgumentException("bad " + option + " '" + channel + "': a multicast endpoint " +
                    "address must be odd (Aeron takes the next, even, address for control messages)");
            }
        }
        else if (!CommonContext.IPC_MEDIA.equals(media))
        {
            throw new IllegalArgumentException("bad " + option + " '" + channel + "': media must be udp or ipc");
        }
        return uri;
    }

    private static boolean isEvenIpv4Multicast(final String endpoint)
    {
        final String[] octets = endpoint.split(":")[0].split("\\.");
        if (octets.length != 4)
        {
            return false;
        }
        try
        {
            final int first = Integer.parseInt(octets[0]);
            final int last = Integer.parseInt(octets[3]);
            return first >= 224 && first <= 239 && (last & 1) == 0;
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }

    public static void validateStreamId(final String option, final int streamId)
    {
        if (streamId <= 0)
        {
            // Aeron takes any non-zero int; a negative id is far more likely a typo than a plan.
            throw new IllegalArgumentException("bad " + option + " " + streamId + ": stream ids run from 1 to " +
                Integer.MAX_VALUE + " (0 is reserved)");
        }
    }
}
