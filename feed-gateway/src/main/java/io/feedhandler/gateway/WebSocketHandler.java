package io.feedhandler.gateway;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A WebSocket client's messages, once the connection is upgraded: the same quote JSON as SSE goes
 * out (as text frames, framed by the {@link Fanout}); in come
 * <pre>
 * {"type":"subscribe","instruments":["AAPL","MSFT"]}    ("*" or ["*"]: everything entitled)
 *     optional "from": N (resume after N) or "snapshot": true (the latest of each first)
 * {"type":"unsubscribe","instruments":["MSFT"]}         ("*": everything)
 * {"type":"resume","from":N}                             optional "epoch": the stream N counts in
 * </pre>
 * each answered with {@code {"type":"subscribed",...}}, {@code {"type":"resumed","from":N}} (the quotes after
 * it are those after N) or {@code {"type":"error","status":403|404,...}}
 * (refused, counted, the connection stays). A frame that is not such a message is refused with a
 * close code and counted: 1007 (not a message), 1003 (binary, or an unknown type), 1009 (over
 * {@link #MAX_FRAME} bytes) and 1002 (a protocol error: Netty's decoder), and the connection closes.
 */
final class WebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame>
{
    static final int MAX_FRAME = 4096;

    private final Gateway gateway;
    private final Fanout fanout;
    private final StreamClient client;
    private final Entitlements.Grant grant;

    WebSocketHandler(final Gateway gateway, final Fanout fanout, final StreamClient client,
        final Entitlements.Grant grant)
    {
        this.gateway = gateway;
        this.fanout = fanout;
        this.client = client;
        this.grant = grant;
    }

    protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
    {
        if (frame instanceof TextWebSocketFrame)
        {
            if (!frame.isFinalFragment())
            {
                refuse(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "fragmented messages are not taken");
                return;
            }
            onMessage(ctx, ((TextWebSocketFrame)frame).text());
        }
        else if (frame instanceof PingWebSocketFrame)
        {
            if (ctx.channel().isWritable())
            {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            }
            // else unanswered: a client that does not read gets no pongs queued for it (a pong may
            // answer only the latest ping, RFC 6455 5.5.3); reading stops meanwhile (Fanout.writabilityChanged)
        }
        else if (frame instanceof CloseWebSocketFrame)
        {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                .addListener(ChannelFutureListener.CLOSE);
        }
        else if (frame instanceof BinaryWebSocketFrame)
        {
            refuse(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "binary frames are not understood");
        }
        else if (!(frame instanceof PongWebSocketFrame))
        {
            refuse(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "continuation frames are not taken");
        }
    }

    private void onMessage(final ChannelHandlerContext ctx, final String text)
    {
        final ClientMessage message;
        try
        {
            message = ClientMessage.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            refuse(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "not a message: " + ex.getMessage());
            return;
        }
        final String type = message.text("type");
        if ("subscribe".equals(type) || "unsubscribe".equals(type))
        {
            final List<String> symbols = message.symbols("instruments");
            if (symbols == null || symbols.isEmpty())
            {
                refuse(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, type + " needs \"instruments\"");
                return;
            }
            final boolean everything = symbols.size() == 1 && symbols.get(0).equals("*");
            final ClientFilter filter = "subscribe".equals(type) ? subscribe(symbols, everything) :
                unsubscribe(symbols, everything);
            if (filter == null)
            {
                return;
            }
            client.filter = filter;
            filter.resolve(gateway.instruments());
            reply(filter);
            if (message.has("from") || message.flag("snapshot"))
            {
                final long from = message.number("from", -2);
                if (message.has("from") && from < 0)
                {
                    refuse(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "\"from\" is a sequence, 0 or more");
                    return;
                }
                fanout.reposition(client, from < 0 ? -1 : from, message.flag("snapshot"));
            }
        }
        else if ("resume".equals(type))
        {
            final long from = message.number("from", -1);
            if (from < 0)
            {
                refuse(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "resume needs \"from\": a sequence, 0 or more");
                return;
            }
            if (message.has("epoch"))
            {
                final String epoch = message.text("epoch");
                if (epoch == null || !epoch.matches("[0-9a-f]{1,16}-[0-9]{1,9}"))
                {
                    refuse(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "\"epoch\" is as the gateway gives it");
                    return;
                }
                client.epoch = epoch; // another stream's: the reposition resets the client instead
            }
            gateway.counters().resumes.incrementAndGet();
            final String epoch = gateway.streamEpoch();
            fanout.sendControl(client, "{\"type\":\"resumed\",\"from\":" + from +
                (epoch == null ? "" : ",\"epoch\":\"" + epoch + "\"") + "}"); // what follows is after it
            fanout.reposition(client, from, false);
        }
        else
        {
            refuse(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "unknown message type");
        }
    }

    private ClientFilter subscribe(final List<String> symbols, final boolean everything)
    {
        if (everything)
        {
            return grant.all() ? ClientFilter.all() : ClientFilter.of(grant.symbols());
        }
        final String problem = Subscriptions.check(symbols, grant, gateway.instruments());
        if (problem != null)
        {
            final boolean forbidden = problem.startsWith(Subscriptions.NOT_ENTITLED);
            (forbidden ? gateway.counters().forbidden : gateway.counters().badRequests).incrementAndGet();
            fanout.sendControl(client, "{\"type\":\"error\",\"status\":" + (forbidden ? 403 : 404) +
                ",\"error\":\"" + problem + "\"}");
            return null;
        }
        if (client.filter.isAll())
        {
            return client.filter;
        }
        final Set<String> union = new LinkedHashSet<>(client.filter.symbols());
        union.addAll(symbols);
        return ClientFilter.of(union);
    }

    private ClientFilter unsubscribe(final List<String> symbols, final boolean everything)
    {
        if (everything)
        {
            return ClientFilter.of(Set.of());
        }
        final Set<String> remaining = new LinkedHashSet<>(client.filter.isAll() ?
            (grant.all() ? gateway.instruments().definedSymbols() : grant.symbols()) : client.filter.symbols());
        symbols.forEach(remaining::remove);
        return ClientFilter.of(remaining);
    }

    private void reply(final ClientFilter filter)
    {
        final StringBuilder json = new StringBuilder("{\"type\":\"subscribed\",\"instruments\":");
        if (filter.isAll())
        {
            json.append("\"*\"");
        }
        else
        {
            json.append('[');
            boolean first = true;
            for (final String symbol : filter.symbols())
            {
                json.append(first ? "" : ",").append('"').append(Subscriptions.printable(symbol)).append('"');
                first = false;
            }
            json.append(']');
        }
        fanout.sendControl(client, json.append(",\"sequence\":").append(fanout.head()).append('}').toString());
    }

    private void refuse(final ChannelHandlerContext ctx, final WebSocketCloseStatus status, final String reason)
    {
        gateway.counters().badFrames.incrementAndGet();
        final String text = reason.length() > 100 ? reason.substring(0, 100) : reason;
        ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), Subscriptions.printable(text)))
            .addListener(ChannelFutureListener.CLOSE);
    }

    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        fanout.writabilityChanged(client);
        ctx.fireChannelWritabilityChanged();
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof CorruptedWebSocketFrameException)
        {
            gateway.counters().badFrames.incrementAndGet(); // the decoder has sent the close code
        }
        ctx.close();
    }
}
