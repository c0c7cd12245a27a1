package io.feedhandler.transport;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import org.agrona.SystemUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Channel checks shared by every process of the feed (the defaults are in {@link TransportConfiguration}).
 */
public final class FeedChannels
{
    private FeedChannels()
    {
    }

    /** The one multi-destination-cast control mode the feed supports: receivers join by sending status. */
    public static final String MDC_DYNAMIC = CommonContext.MDC_CONTROL_MODE_DYNAMIC;

    /**
     * Check the channel a publisher sends the live stream on: multicast ({@code endpoint=} a group),
     * unicast, or multi-destination-cast ({@code control=<this host>:port|control-mode=dynamic}) for
     * networks without multicast.
     *
     * @throws IllegalArgumentException with a message naming the URI and what is wrong with it.
     */
    public static ChannelUri validatePublication(final String option, final String channel)
    {
        final ChannelUri uri = validate(option, channel);
        if (isMdc(uri) && uri.get(CommonContext.ENDPOINT_PARAM_NAME) == null &&
            uri.get(CommonContext.MDC_CONTROL_MODE_PARAM_NAME) == null)
        {
            throw new IllegalArgumentException("bad " + option + " '" + channel + "': a multi-destination-cast " +
                "publication needs control-mode=dynamic beside control= (receivers then join by themselves)");
        }
        return uri;
    }

    /**
     * Check the channel a subscriber receives the live stream on. With multi-destination-cast the
     * subscriber names where it receives ({@code endpoint=<this host>:port}) and where the publisher
     * listens for it ({@code control=<publisher>:port}).
     *
     * @throws IllegalArgumentException with a message naming the URI and what is wrong with it.
     */
    public static ChannelUri validateSubscription(final String option, final String channel)
    {
        final ChannelUri uri = validate(option, channel);
        if (isMdc(uri) && uri.get(CommonContext.ENDPOINT_PARAM_NAME) == null)
        {
            throw new IllegalArgumentException("bad " + option + " '" + channel + "': a multi-destination-cast " +
                "subscriber needs endpoint=<this host's address>:port (where it receives) beside " +
                "control=<publisher's address>:port");
        }
        return uri;
    }

    /**
     * Parse and check an Aeron channel URI, whichever end uses it.
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
            checkAddress(option, channel, CommonContext.ENDPOINT_PARAM_NAME, endpoint);
            checkAddress(option, channel, CommonContext.MDC_CONTROL_PARAM_NAME,
                uri.get(CommonContext.MDC_CONTROL_PARAM_NAME));
            if (endpoint != null && isEvenIpv4Multicast(endpoint))
            {
                throw new IllegalArgumentException("bad " + option + " '" + channel + "': a multicast endpoint " +
                    "address must be odd (Aeron takes the next, even, address for control messages)");
            }
            validateMdc(option, channel, uri, endpoint);
        }
        else if (!CommonContext.IPC_MEDIA.equals(media))
        {
            throw new IllegalArgumentException("bad " + option + " '" + channel + "': media must be udp or ipc");
        }
        return uri;
    }

    /**
     * Whether two channels lead to the same place: the same media and the same endpoint (or, for
     * multi-destination-cast, control address). Interface, TTL and the other parameters do not make
     * another path, so two spellings of one group and port are the same destination.
     */
    public static boolean sameDestination(final String a, final String b)
    {
        final ChannelUri uriA = ChannelUri.parse(a);
        final ChannelUri uriB = ChannelUri.parse(b);
        return uriA.media().equals(uriB.media()) &&
            java.util.Objects.equals(destination(uriA), destination(uriB));
    }

    private static String destination(final ChannelUri uri)
    {
        final String endpoint = uri.get(CommonContext.ENDPOINT_PARAM_NAME);
        return endpoint != null ? endpoint : uri.get(CommonContext.MDC_CONTROL_PARAM_NAME);
    }

    /**
     * An address parameter must be {@code host:port} or {@code [ipv6]:port} with a port of 0 to 65535, so
     * a typo (a letter O for a zero, a lost port) is refused here, with the rest of the arguments,
     * rather than by the media driver later, or, for a replay request, by nothing at all.
     */
    private static void checkAddress(final String option, final String channel, final String name, final String value)
    {
        if (value == null)
        {
            return;
        }
        final String problem = addressProblem(value);
        if (problem != null)
        {
            throw new IllegalArgumentException("bad " + option + " '" + channel + "': " + name + "=" + value + " " +
                problem + " (expected host:port or [ipv6]:port, e.g. 127.0.0.1:40456)");
        }
    }

    /** Why {@code host:port} is not one, or null when it is. */
    static String addressProblem(final String address)
    {
        final int colon;
        if (address.startsWith("["))
        {
            final int close = address.indexOf(']');
            if (close < 2)
            {
                return "has no IPv6 address between [ and ]";
            }
            colon = close + 1 < address.length() && address.charAt(close + 1) == ':' ? close + 1 : -1;
        }
        else
        {
            colon = address.lastIndexOf(':');
            if (colon == 0)
            {
                return "has no host";
            }
            if (colon > 0 && address.indexOf(':') != colon)
            {
                return "has more than one ':' (an IPv6 address goes in [ ])";
            }
        }
        if (colon < 0)
        {
            return "has no port";
        }
        final String port = address.substring(colon + 1);
        if (port.isEmpty())
        {
            return "has no port";
        }
        if (port.length() > 5)
        {
            return "has a port out of range (0 to 65535)";
        }
        for (int i = 0; i < port.length(); i++)
        {
            final char c = port.charAt(i);
            if (c < '0' || c > '9')
            {
                return "has a port that is not a number ('" + port + "')";
            }
        }
        if (Integer.parseInt(port) > 65_535)
        {
            return "has a port out of range (0 to 65535)";
        }
        return null;
    }

    private static void validateMdc(final String option, final String channel, final ChannelUri uri, final String endpoint)
    {
        final String controlMode = uri.get(CommonContext.MDC_CONTROL_MODE_PARAM_NAME);
        if (controlMode != null && !MDC_DYNAMIC.equals(controlMode))
        {
            // manual needs destinations added through the API, response is a request/response pattern:
            // neither fits a feed whose subscribers come and go by themselves.
            throw new IllegalArgumentException("bad " + option + " '" + channel + "': control-mode=" + controlMode +
                " is not supported; use control-mode=" + MDC_DYNAMIC + " for multi-destination-cast");
        }
        if (MDC_DYNAMIC.equals(controlMode) && uri.get(CommonContext.MDC_CONTROL_PARAM_NAME) == null)
        {
            throw new IllegalArgumentException("bad " + option + " '" + channel + "': control-mode=" + MDC_DYNAMIC +
                " needs control=<publisher's address>:port");
        }
        if (isMdc(uri) && endpoint != null && isIpv4Multicast(endpoint))
        {
            throw new IllegalArgumentException("bad " + option + " '" + channel + "': control= (multi-destination-" +
                "cast, for networks without multicast) does not go with a multicast endpoint; use one or the other");
        }
    }

    private static boolean isMdc(final ChannelUri uri)
    {
        return CommonContext.UDP_MEDIA.equals(uri.media()) && uri.get(CommonContext.MDC_CONTROL_PARAM_NAME) != null;
    }

    private static boolean isIpv4Multicast(final String endpoint)
    {
        final int[] octets = ipv4Octets(endpoint);
        return octets != null && octets[0] >= 224 && octets[0] <= 239;
    }

    private static boolean isEvenIpv4Multicast(final String endpoint)
    {
        return isIpv4Multicast(endpoint) && (ipv4Octets(endpoint)[3] & 1) == 0;
    }

    /** The four octets of an IPv4 endpoint such as 239.1.2.3:4000, or null when it is not one. */
    private static int[] ipv4Octets(final String endpoint)
    {
        final int colon = endpoint.indexOf(':');
        final String[] parts = (colon < 0 ? endpoint : endpoint.substring(0, colon)).split("\\.", -1);
        if (parts.length != 4)
        {
            return null;
        }
        final int[] octets = new int[4];
        try
        {
            for (int i = 0; i < 4; i++)
            {
                octets[i] = Integer.parseInt(parts[i]);
            }
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
        return octets;
    }

    /**
     * Bytes of payload one datagram of {@code channel} carries: its MTU ({@code mtu=}, else Aeron's
     * default) less Aeron's data frame header.
     */
    public static int maxPayloadLength(final String channel)
    {
        int mtu = io.aeron.driver.Configuration.mtuLength();
        try
        {
            final String value = ChannelUri.parse(channel).get(CommonContext.MTU_LENGTH_PARAM_NAME);
            if (value != null)
            {
                mtu = (int)org.agrona.SystemUtil.parseSize(CommonContext.MTU_LENGTH_PARAM_NAME, value);
            }
        }
        catch (final RuntimeException ex)
        {
            // an unparsable channel is reported by its own check; the default MTU stands here
        }
        return mtu - io.aeron.protocol.DataHeaderFlyweight.HEADER_LENGTH;
    }

    /**
     * Where a channel asks for a larger receive socket buffer ({@code so-rcvbuf=}) than this host's
     * {@code net.core.rmem_max}, the kernel silently gives the maximum instead, and a receive window
     * sized for the larger buffer then overruns it under bursts (Aeron recovers the loss, at a cost).
     *
     * @param rmemMaxFile where the host's maximum is read ({@code /proc/sys/net/core/rmem_max}).
     * @return one line saying so and how to raise it, or null when the buffer fits or nothing is known.
     */
    public static String receiveBufferShortfall(final String option, final String channel, final Path rmemMaxFile)
    {
        try
        {
            final String asked = ChannelUri.parse(channel).get(CommonContext.SOCKET_RCVBUF_PARAM_NAME);
            if (asked == null || !Files.isReadable(rmemMaxFile))
            {
                return null;
            }
            final long wanted = SystemUtil.parseSize(CommonContext.SOCKET_RCVBUF_PARAM_NAME, asked);
            final long max = Long.parseLong(procValue(rmemMaxFile));
            if (wanted <= max)
            {
                return null;
            }
            return option + " asks for so-rcvbuf=" + asked + " but net.core.rmem_max is " + max + " bytes, so " +
                "the kernel gives " + max + "; for full replay speed raise it: sysctl -w net.core.rmem_max=" + wanted;
        }
        catch (final RuntimeException | IOException ex)
        {
            return null; // an unparsable channel is reported by its own check
        }
    }

    /**
     * The value of a /proc/sys file, read with one read from its start: a sysctl file answers a read at
     * a later offset with end-of-file, so a reader that takes the first byte alone (as Files.readString
     * does with a file whose size shows as 0) gets only the first digit.
     */
    static String procValue(final Path file) throws IOException
    {
        try (java.io.BufferedReader reader = Files.newBufferedReader(file))
        {
            final String line = reader.readLine();
            return line == null ? "" : line.trim();
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
