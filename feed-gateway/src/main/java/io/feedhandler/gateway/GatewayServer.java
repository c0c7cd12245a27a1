package io.feedhandler.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side: Netty, with the native epoll transport where it loads (NIO otherwise), one acceptor
 * thread and {@code --io-threads} event loops. Every connection starts as HTTP/1.1 with small limits
 * (4 KiB request line, 8 KiB headers, no body), a request timeout and per-connection back-pressure
 * (the write buffer water marks that drive conflation).
 */
final class GatewayServer implements AutoCloseable
{
    static final String IDLE = "idle";
    static final String CODEC = "http";
    static final String AGGREGATOR = "aggregator";
    static final String HANDLER = "handler";
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADERS = 8192;
    static final int MAX_REQUEST = 8192;

    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private Channel server;

    GatewayServer(final int ioThreads)
    {
        acceptor = epoll ? new EpollEventLoopGroup(1, new DefaultThreadFactory("feed-gateway-accept")) :
            new NioEventLoopGroup(1, new DefaultThreadFactory("feed-gateway-accept"));
        workers = epoll ? new EpollEventLoopGroup(ioThreads, new DefaultThreadFactory("feed-gateway-io")) :
            new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("feed-gateway-io"));
    }

    /** The event loops clients are served on: one {@link Fanout} each. */
    EventLoopGroup workers()
    {
        return workers;
    }

    String transport()
    {
        return epoll ? "epoll" : "nio";
    }

    void bind(final Gateway gateway) throws InterruptedException
    {
        final GatewayContext context = gateway.context();
        final Class<? extends ServerChannel> channelClass =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(acceptor, workers)
            .channel(channelClass)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_SNDBUF, GatewayConfiguration.SOCKET_SEND_BUFFER)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(context.writeBufferLow(), context.writeBufferHigh()))
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel channel)
                {
                    channel.pipeline()
                        .addLast(IDLE, new IdleStateHandler(context.requestTimeoutNanos(), 0, 0, TimeUnit.NANOSECONDS))
                        .addLast(CODEC, new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_REQUEST))
                        .addLast(AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST))
                        .addLast(HANDLER, new HttpHandler(gateway));
                }
            });
        server = bootstrap.bind(context.bindAddress(), context.port()).sync().channel();
    }

    int port()
    {
        return ((InetSocketAddress)server.localAddress()).getPort();
    }

    /** Stop accepting; clients already connected are the fanouts' to tell. */
    void stopAccepting()
    {
        if (server != null)
        {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    public void close()
    {
        stopAccepting();
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
