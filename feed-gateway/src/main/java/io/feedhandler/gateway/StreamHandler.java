package io.feedhandler.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The pipeline's end once a connection is an SSE stream: back-pressure goes to the {@link Fanout};
 * anything the client sends is dropped (SSE is one-way).
 */
final class StreamHandler extends ChannelInboundHandlerAdapter
{
    private final Fanout fanout;
    private final StreamClient client;

    StreamHandler(final Fanout fanout, final StreamClient client)
    {
        this.fanout = fanout;
        this.client = client;
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        ReferenceCountUtil.release(msg);
    }

    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        fanout.writabilityChanged(client);
        ctx.fireChannelWritabilityChanged();
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close(); // a reset connection: the client is gone
    }
}
