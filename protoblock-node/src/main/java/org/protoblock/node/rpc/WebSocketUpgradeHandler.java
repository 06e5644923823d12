package org.protoblock.node.rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an HTTP connection of the RPC port into a WebSocket when the request asks for an upgrade
 * on one of the {@link WebSocketRoute} paths: checks Host and Origin ({@link BrowserGuard}), the token where the route needs it, answers
 * the handshake (echoing the route's subprotocol), then replaces the HTTP handlers by frame
 * aggregation (bounded by the route), control frames and the route's own handlers. The idle
 * timeout of HTTP goes too: a subscriber may legitimately hear nothing for minutes. Any other
 * request passes on to the HTTP handler.
 *
 * <p>Threads: the channel's event loop.
 */
final class WebSocketUpgradeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgradeHandler.class);

    private final Map<String, WebSocketRoute> routes;
    private final BrowserGuard guard;
    private final RpcAuth auth;
    private final BooleanSupplier takeWebSocketSlot;

    /** @param takeWebSocketSlot moves the connection to the WebSocket budget; false when that is full */
    WebSocketUpgradeHandler(Map<String, WebSocketRoute> routes, BrowserGuard guard, RpcAuth auth,
                            BooleanSupplier takeWebSocketSlot) {
        this.routes = routes;
        this.guard = guard;
        this.auth = auth;
        this.takeWebSocketSlot = takeWebSocketSlot;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)
                || !request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            upgrade(ctx, request);
        } finally {
            request.release();
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (guard.refusal(request.headers(), (InetSocketAddress) ctx.channel().localAddress()).isPresent()) {
            reject(ctx, HttpResponseStatus.FORBIDDEN); // browsers send Origin on WebSocket upgrades too
            return;
        }
        String path = request.uri().split("\\?", 2)[0];
        WebSocketRoute route = routes.get(path);
        if (route == null) {
            reject(ctx, HttpResponseStatus.NOT_FOUND);
            return;
        }
        if (route.needsToken() && !auth.permits(authorization(request))) {
            reject(ctx, HttpResponseStatus.UNAUTHORIZED);
            return;
        }
        if (!takeWebSocketSlot.getAsBoolean()) {
            reject(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE);
            return;
        }
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("ws://localhost" + path,
                route.subprotocol().orElse(null), false, route.maxMessageBytes()).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        handshaker.handshake(ctx.channel(), request).addListener(done -> {
            if (!done.isSuccess()) {
                log.debug("WebSocket handshake on {} with {} failed: {}", path, ctx.channel().remoteAddress(), done.cause().toString());
                ctx.close();
                return;
            }
            pipeline.remove(RpcServer.IDLE);
            pipeline.remove(RpcServer.HTTP_HANDLER);
            pipeline.remove(RpcServer.ERRORS);
            pipeline.addLast(new WebSocketFrameAggregator(route.maxMessageBytes()))
                    .addLast(new WebSocketControlHandler(handshaker));
            route.install().accept(pipeline);
            pipeline.remove(this);
        });
    }

    /**
     * The Authorization header, or else a {@code token} query parameter: a browser's WebSocket
     * cannot set headers (the dashboard passes the token it was given in its URL's fragment).
     */
    private static Optional<String> authorization(FullHttpRequest request) {
        Optional<String> header = Optional.ofNullable(request.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (header.isPresent()) {
            return header;
        }
        return new QueryStringDecoder(request.uri()).parameters().getOrDefault("token", java.util.List.of()).stream()
                .findFirst().map(t -> "Bearer " + t);
    }

    private static void reject(ChannelHandlerContext ctx, HttpResponseStatus status) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(f -> ctx.close());
    }
}
