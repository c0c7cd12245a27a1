package io.feedhandler.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One connection's requests: admission first (connections, reconnect rate: decided when it
 * connects, answered with its first request), then the route. {@code /stream} turns the connection
 * into an SSE stream handed to its event loop's {@link Fanout}; {@code /book} and {@code /health}
 * answer and keep the connection; anything refused is answered with a status, a one-line JSON
 * reason, and counted.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    static final String SSE_HANDLER = "sse";

    private final Gateway gateway;
    private HttpResponseStatus refusal;

    HttpHandler(final Gateway gateway)
    {
        this.gateway = gateway;
    }

    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        final GatewayCounters counters = gateway.counters();
        counters.accepted.incrementAndGet();
        final long open = counters.connections.incrementAndGet();
        ctx.channel().closeFuture().addListener(f -> counters.connections.decrementAndGet());
        if (open > gateway.context().maxConnections())
        {
            refusal = HttpResponseStatus.SERVICE_UNAVAILABLE;
        }
        else if (!gateway.reconnectLimit().allow(((InetSocketAddress)ctx.channel().remoteAddress()).getAddress(),
            System.nanoTime()))
        {
            refusal = HttpResponseStatus.TOO_MANY_REQUESTS;
        }
        super.channelActive(ctx);
    }

    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (event instanceof IdleStateEvent)
        {
            gateway.counters().requestTimeouts.incrementAndGet();
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final GatewayCounters counters = gateway.counters();
        if (!request.decoderResult().isSuccess())
        {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request", counters.badRequests);
            return;
        }
        if (refusal == HttpResponseStatus.SERVICE_UNAVAILABLE)
        {
            refuse(ctx, refusal, "too many connections (--max-connections " + gateway.context().maxConnections() + ")",
                counters.refusedBusy);
            return;
        }
        if (refusal == HttpResponseStatus.TOO_MANY_REQUESTS)
        {
            refuse(ctx, refusal, "this address reconnects too often", counters.refusedRate);
            return;
        }
        final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        final String path = uri.path();
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method()))
        {
            refuse(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET", counters.badRequests);
            return;
        }
        switch (path)
        {
            case "/health" -> respond(ctx, request, HttpResponseStatus.valueOf(gateway.isReady() ? 200 : 503),
                "application/json", gateway.health().getBytes(StandardCharsets.UTF_8));
            case "/book" -> book(ctx, request, uri);
            case "/stream" -> stream(ctx, request, uri);
            case "/ws" -> webSocket(ctx, request, uri);
            default ->
            {
                final Dashboard.Resource resource = Dashboard.resource(path);
                if (resource == null)
                {
                    refuse(ctx, HttpResponseStatus.NOT_FOUND, "no such path: " + path, counters.badRequests);
                }
                else
                {
                    respond(ctx, request, HttpResponseStatus.OK, resource.contentType(), resource.bytes());
                }
            }
        }
    }

    /**
     * What the request's token entitles it to ({@link Entitlements.Grant#EVERYTHING} without
     * {@code --tokens}); null when it has no valid token (answered 401 and counted already).
     */
    private Entitlements.Grant authorize(final ChannelHandlerContext ctx, final FullHttpRequest request,
        final QueryStringDecoder uri)
    {
        final Entitlements entitlements = gateway.context().entitlements();
        if (entitlements == null)
        {
            return Entitlements.Grant.EVERYTHING;
        }
        final Entitlements.Grant grant = entitlements.grant(token(request, uri));
        if (grant == null)
        {
            final FullHttpResponse response = response(HttpResponseStatus.UNAUTHORIZED,
                "a valid token is needed: Authorization: Bearer TOKEN, or ?token=TOKEN");
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            gateway.counters().unauthorized.incrementAndGet();
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
        return grant;
    }

    /**
     * The instruments a request may get: what it asked for ({@code ?instrument=}), all of which the
     * grant must allow, or everything the grant allows. Null when it was refused (answered and counted).
     *
     * @param none what to give when the request names no instrument: everything granted, or nothing.
     */
    private ClientFilter filter(final ChannelHandlerContext ctx, final Entitlements.Grant grant,
        final QueryStringDecoder uri, final boolean none)
    {
        final GatewayCounters counters = gateway.counters();
        final List<String> asked = uri.parameters().get("instrument");
        if (asked == null || asked.isEmpty())
        {
            return none ? ClientFilter.of(Set.of()) : grant.all() ? ClientFilter.all() : ClientFilter.of(grant.symbols());
        }
        final Set<String> symbols = new LinkedHashSet<>();
        for (final String list : asked)
        {
            for (final String symbol : list.split(","))
            {
                if (!symbol.isBlank())
                {
                    symbols.add(symbol.strip());
                }
            }
        }
        if (symbols.isEmpty())
        {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "instrument= names no symbol", counters.badRequests);
            return null;
        }
        final String problem = Subscriptions.check(symbols, grant, gateway.instruments());
        if (problem != null)
        {
            final boolean forbidden = problem.startsWith(Subscriptions.NOT_ENTITLED);
            refuse(ctx, forbidden ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.NOT_FOUND, problem,
                forbidden ? counters.forbidden : counters.badRequests);
            return null;
        }
        return ClientFilter.of(symbols);
    }

    private static String token(final FullHttpRequest request, final QueryStringDecoder uri)
    {
        final String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7))
        {
            return authorization.substring(7).strip();
        }
        final List<String> token = uri.parameters().get("token");
        return token == null || token.isEmpty() ? null : token.get(0);
    }

    private void book(final ChannelHandlerContext ctx, final FullHttpRequest request, final QueryStringDecoder uri)
    {
        if (notReady(ctx))
        {
            return;
        }
        final Entitlements.Grant grant = authorize(ctx, request, uri);
        final ClientFilter filter = grant == null ? null : filter(ctx, grant, uri, false);
        if (filter == null)
        {
            return;
        }
        filter.resolve(gateway.instruments());
        final ByteBuf body = gateway.bookJson(ctx.alloc(), filter);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        setEpochHeader(response);
        send(ctx, request, response);
    }

    private boolean notReady(final ChannelHandlerContext ctx)
    {
        if (gateway.isReady())
        {
            return false;
        }
        refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "starting: no quote yet", gateway.counters().refusedBusy);
        return true;
    }

    private void stream(final ChannelHandlerContext ctx, final FullHttpRequest request, final QueryStringDecoder uri)
    {
        final GatewayCounters counters = gateway.counters();
        if (notReady(ctx))
        {
            return;
        }
        long lastEventId = -1;
        String resumeText = request.headers().get("Last-Event-ID");
        if (resumeText == null)
        {
            final List<String> from = uri.parameters().get("from");
            resumeText = from == null || from.isEmpty() ? null : from.get(0);
        }
        if (resumeText != null)
        {
            lastEventId = parseSequence(resumeText.strip());
            if (lastEventId < 0)
            {
                refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad Last-Event-ID or from '" + printable(resumeText) +
                    "': a sequence, 0 or more", counters.badRequests);
                return;
            }
        }
        final String epoch = epoch(ctx, uri);
        if (EPOCH_REFUSED.equals(epoch))
        {
            return;
        }
        final Entitlements.Grant grant = authorize(ctx, request, uri);
        final ClientFilter filter = grant == null ? null : filter(ctx, grant, uri, false);
        if (filter == null)
        {
            return;
        }
        final List<String> snapshotParameter = uri.parameters().get("snapshot");
        final boolean snapshot = snapshotParameter != null && !snapshotParameter.isEmpty() &&
            (snapshotParameter.get(0).equals("true") || snapshotParameter.get(0).equals("1"));

        final HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        response.headers().set("X-Accel-Buffering", "no");
        setEpochHeader(response);
        ctx.write(response);
        // From here on the connection carries only the event stream: no more HTTP in either direction.
        final ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove(GatewayServer.IDLE);
        pipeline.remove(GatewayServer.AGGREGATOR);
        pipeline.remove(GatewayServer.CODEC);
        ctx.write(Unpooled.copiedBuffer("retry: " + GatewayConfiguration.RETRY_MILLIS + "\n\n", StandardCharsets.US_ASCII));
        final StreamClient client = new StreamClient(ctx.channel(), EventSlots.SSE, filter,
            String.valueOf(ctx.channel().remoteAddress()));
        client.epoch = epoch;
        final Fanout fanout = gateway.fanout(ctx.channel().eventLoop());
        pipeline.replace(this, SSE_HANDLER, new StreamHandler(fanout, client));
        counters.clients.incrementAndGet();
        fanout.open(client, lastEventId, snapshot);
        ctx.channel().flush();
    }

    /**
     * Upgrade to a WebSocket, after the same checks as a stream. The client gets what {@code ?instrument=}
     * names (entitled, known), else nothing until it subscribes; {@code ?from=} resumes as for SSE.
     */
    private void webSocket(final ChannelHandlerContext ctx, final FullHttpRequest request, final QueryStringDecoder uri)
    {
        final GatewayCounters counters = gateway.counters();
        if (notReady(ctx))
        {
            return;
        }
        long from = -1;
        final List<String> fromParameter = uri.parameters().get("from");
        if (fromParameter != null && !fromParameter.isEmpty())
        {
            from = parseSequence(fromParameter.get(0).strip());
            if (from < 0)
            {
                refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad from '" + printable(fromParameter.get(0)) +
                    "': a sequence, 0 or more", counters.badRequests);
                return;
            }
        }
        final String epoch = epoch(ctx, uri);
        if (EPOCH_REFUSED.equals(epoch))
        {
            return;
        }
        final Entitlements.Grant grant = authorize(ctx, request, uri);
        final ClientFilter filter = grant == null ? null : filter(ctx, grant, uri, true);
        if (filter == null)
        {
            return;
        }
        final WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
            "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + "/ws", null, false,
            WebSocketHandler.MAX_FRAME).newHandshaker(request);
        if (handshaker == null)
        {
            counters.badRequests.incrementAndGet();
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        final long resumeFrom = from;
        final StreamClient client = new StreamClient(ctx.channel(), EventSlots.WEBSOCKET, filter,
            String.valueOf(ctx.channel().remoteAddress()));
        client.epoch = epoch;
        final Fanout fanout = gateway.fanout(ctx.channel().eventLoop());
        final ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove(GatewayServer.IDLE);
        final io.netty.handler.codec.http.HttpHeaders epochHeader = new io.netty.handler.codec.http.DefaultHttpHeaders();
        if (gateway.streamEpoch() != null)
        {
            epochHeader.set(EPOCH_HEADER, gateway.streamEpoch());
        }
        handshaker.handshake(ctx.channel(), request, epochHeader, ctx.channel().newPromise()).addListener(done ->
        {
            if (!done.isSuccess())
            {
                counters.badRequests.incrementAndGet();
                ctx.close();
                return;
            }
            pipeline.replace(this, SSE_HANDLER, new WebSocketHandler(gateway, fanout, client, grant));
            counters.clients.incrementAndGet();
            fanout.open(client, resumeFrom, false);
        });
    }

    /** {@link #epoch}'s answer when it refused the request (answered and counted). */
    private static final String EPOCH_REFUSED = new String("refused");

    /**
     * The stream epoch a resuming client names ({@code ?epoch=}, as {@code /book}, the stream's
     * {@code X-Stream-Epoch} header and reset events give it), null when it names none.
     */
    private String epoch(final ChannelHandlerContext ctx, final QueryStringDecoder uri)
    {
        final List<String> epoch = uri.parameters().get("epoch");
        if (epoch == null || epoch.isEmpty())
        {
            return null;
        }
        final String text = epoch.get(0).strip();
        if (!text.matches("[0-9a-f]{1,16}-[0-9]{1,9}"))
        {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad epoch '" + printable(text) +
                "': as the gateway gives it, e.g. 3f2a9c01d4e5b6a7-0", gateway.counters().badRequests);
            return EPOCH_REFUSED;
        }
        return text;
    }

    private void setEpochHeader(final HttpResponse response)
    {
        final String epoch = gateway.streamEpoch();
        if (epoch != null)
        {
            response.headers().set(EPOCH_HEADER, epoch);
        }
    }

    static final String EPOCH_HEADER = "X-Stream-Epoch";

    /** A sequence as a client writes it: digits only, at most 18 of them; -1 when it is not one. */
    static long parseSequence(final String text)
    {
        if (text.isEmpty() || text.length() > 18)
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String printable(final String text)
    {
        final String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?").replace('"', '\'').replace('\\', '/');
    }

    private static FullHttpResponse response(final HttpResponseStatus status, final String reason)
    {
        final byte[] body = ("{\"error\":\"" + reason.replace("\"", "'") + "\",\"status\":" + status.code() + "}\n")
            .getBytes(StandardCharsets.UTF_8);
        final FullHttpResponse response =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    /** Answer with an error status, count it, and close: a refused client has no business staying. */
    private static void refuse(final ChannelHandlerContext ctx, final HttpResponseStatus status, final String reason,
        final java.util.concurrent.atomic.AtomicLong counter)
    {
        counter.incrementAndGet();
        final FullHttpResponse response = response(status, reason);
        if (status.code() == 503 || status.code() == 429)
        {
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, GatewayConfiguration.RETRY_AFTER_SECONDS);
        }
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static void respond(final ChannelHandlerContext ctx, final FullHttpRequest request,
        final HttpResponseStatus status, final String contentType, final byte[] body)
    {
        final FullHttpResponse response =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        send(ctx, request, response);
    }

    private static void send(final ChannelHandlerContext ctx, final FullHttpRequest request,
        final FullHttpResponse response)
    {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (HttpMethod.HEAD.equals(request.method()))
        {
            response.content().clear();
        }
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive)
        {
            ctx.writeAndFlush(response, ctx.voidPromise());
        }
        else
        {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }

    static Map<String, List<String>> parameters(final String uri)
    {
        return new QueryStringDecoder(uri).parameters();
    }
}
