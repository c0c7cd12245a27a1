package io.feedhandler.transport;

/**
 * Defaults of the transport every feed process shares, in one place: the contexts start from them
 * and the command line shows them.
 */
public final class TransportConfiguration
{
    /**
     * Default live channel: UDP multicast bound to loopback, so a default run never sends a packet
     * off the host. Name a real interface with {@code --channel} to go across hosts.
     */
    public static final String CHANNEL = "aeron:udp?endpoint=239.255.77.1:40456|interface=127.0.0.1";
    public static final int STREAM_ID = 1001;
    public static final FeedProfile PROFILE = FeedProfile.DEFAULT;

    private TransportConfiguration()
    {
    }
}
