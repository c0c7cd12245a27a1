package io.feedhandler.replay.client;

import io.aeron.ChannelUri;
import io.feedhandler.replay.ReplayConfiguration;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where a requester asks a replay server to answer, when the user did not say: this host's address
 * on the interface its routes use to reach the server, so {@code --replay-channel
 * aeron:udp?endpoint=SERVER:PORT} alone works across hosts. A connected (never sending) UDP socket to
 * the server's endpoint asks the kernel's routing table which local address that is. A server on
 * this host is answered through loopback; when no route says, the live channel's {@code interface=}
 * is the host's address on the feed's network.
 *
 * @param channel the response channel: {@link ReplayConfiguration#RESPONSE_CHANNEL} with that address.
 * @param how     how the address was found, for the start-up log.
 */
public record ResponseAddress(String channel, String how)
{
    /**
     * @param replayChannel where the replay server listens ({@code endpoint=host:port}).
     * @param liveChannel   the live channel, whose {@code interface=} is the fallback; may be null.
     */
    public static ResponseAddress derive(final String replayChannel, final String liveChannel)
    {
        final String endpoint = ChannelUri.parse(replayChannel).get("endpoint");
        final String fallback = interfaceOf(liveChannel);
        if (endpoint == null || endpoint.lastIndexOf(':') < 0)
        {
            return fallback(fallback, "the replay channel names no endpoint");
        }
        final String host = endpoint.substring(0, endpoint.lastIndexOf(':')).replace("[", "").replace("]", "");
        final int port;
        final InetAddress server;
        try
        {
            port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
            server = InetAddress.getByName(host);
        }
        catch (final NumberFormatException | UnknownHostException ex)
        {
            return fallback(fallback, "cannot resolve " + host);
        }
        if (server.isLoopbackAddress())
        {
            return new ResponseAddress(ReplayConfiguration.RESPONSE_CHANNEL, "the replay server is on this host");
        }
        try (DatagramSocket probe = new DatagramSocket())
        {
            probe.connect(new InetSocketAddress(server, port)); // a route lookup: nothing is sent
            final InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress())
            {
                return new ResponseAddress(withHost(local.getHostAddress()),
                    "this host's address on the route to " + host);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return fallback(fallback, "no route to " + host + " (" + ex.getMessage() + ")");
        }
        return fallback(fallback, "no route to " + host);
    }

    private static ResponseAddress fallback(final String liveInterface, final String why)
    {
        if (liveInterface != null)
        {
            return new ResponseAddress(withHost(liveInterface), why + "; the live channel's interface");
        }
        return new ResponseAddress(ReplayConfiguration.RESPONSE_CHANNEL, why + "; loopback");
    }

    private static String withHost(final String address)
    {
        final ChannelUri uri = ChannelUri.parse(ReplayConfiguration.RESPONSE_CHANNEL);
        uri.put("endpoint", (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":0");
        return uri.toString();
    }

    /** The live channel's {@code interface=} address (any {@code /mask} or port left off), unless it is loopback. */
    static String interfaceOf(final String liveChannel)
    {
        if (liveChannel == null)
        {
            return null;
        }
        final String value = ChannelUri.parse(liveChannel).get("interface");
        if (value == null)
        {
            return null;
        }
        String address = value.split("/")[0];
        if (address.indexOf(':') == address.lastIndexOf(':') && address.indexOf(':') > 0)
        {
            address = address.substring(0, address.indexOf(':'));
        }
        try
        {
            return InetAddress.getByName(address).isLoopbackAddress() ? null : address;
        }
        catch (final UnknownHostException ex)
        {
            return null;
        }
    }
}
