package org.protoblock.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP request at a time per connection: checks Host and Origin ({@link BrowserGuard}, 403),
 * the token (401) and, for JSON-RPC, the content type (415); routes, and hands the work to the
 * RPC executor (the event loop only copies the body and writes the answer, never waits).
 * Size limits are the aggregator's (HTTP 413 beyond {@link RpcServer#MAX_REQUEST_BYTES}).
 */
final class RpcHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(RpcHttpHandler.class);
    private static final String JSON_TYPE = "application/json";
    private static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpRoutes routes;
    private final BrowserGuard guard;
    private final RpcAuth auth;
    private final Executor executor;
    private final ObjectMapper mapper;

    RpcHttpHandler(HttpRoutes routes, BrowserGuard guard, RpcAuth auth, Executor executor, ObjectMapper mapper) {
        this.routes = routes;
        this.guard = guard;
        this.auth = auth;
        this.executor = executor;
        this.mapper = mapper;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            text(ctx, HttpResponseStatus.BAD_REQUEST, "bad request\n", false);
            return;
        }
        Optional<String> refused = guard.refusal(request.headers(), (InetSocketAddress) ctx.channel().localAddress());
        if (refused.isPresent()) {
            text(ctx, HttpResponseStatus.FORBIDDEN, refused.get() + "\n", false);
            return;
        }
        if (!auth.permits(Optional.ofNullable(request.headers().get(HttpHeaderNames.AUTHORIZATION)))) {
            FullHttpResponse response = response(HttpResponseStatus.UNAUTHORIZED, "token required (Authorization: Bearer <token>)\n",
                    "text/plain; charset=utf-8");
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            send(ctx, response, keepAlive);
            return;
        }
        String path = request.uri().split("\\?", 2)[0];
        if (path.equals("/metrics")) {
            if (!request.method().equals(HttpMethod.GET)) {
                text(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "GET /metrics\n", keepAlive);
                return;
            }
            run(ctx, keepAlive, () -> send(ctx, response(HttpResponseStatus.OK, routes.metrics().get(), PROMETHEUS_TYPE), keepAlive));
            return;
        }
        HttpPage page = routes.pages().get(path);
        if (page != null && request.method().equals(HttpMethod.GET)) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(page.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, page.contentType())
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                    .set("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; "
                            + "script-src 'unsafe-inline'; style-src 'unsafe-inline'");
            send(ctx, response, keepAlive);
            return;
        }
        if (!path.equals("/")) {
            text(ctx, HttpResponseStatus.NOT_FOUND, "JSON-RPC: POST /, metrics: GET /metrics\n", keepAlive);
            return;
        }
        if (!request.method().equals(HttpMethod.POST)) {
            text(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "JSON-RPC 2.0: POST a request to /\n", keepAlive);
            return;
        }
        if (!JSON_TYPE.equalsIgnoreCase(String.valueOf(HttpUtil.getMimeType(request)))) {
            text(ctx, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "JSON-RPC takes Content-Type: application/json\n", keepAlive);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        run(ctx, keepAlive, () -> routes.rpc().handle(body).whenComplete((reply, failure) -> {
            if (failure != null) {
                log.warn("RPC dispatch failed", failure);
                text(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n", false);
            } else if (reply.isEmpty()) {
                send(ctx, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT), keepAlive);
            } else {
                send(ctx, response(HttpResponseStatus.OK, toJson(reply.get()), JSON_TYPE), keepAlive);
            }
        }));
    }

    private void run(ChannelHandlerContext ctx, boolean keepAlive, Runnable work) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("RPC request failed", e);
                    text(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n", false);
                }
            });
        } catch (RejectedExecutionException e) {
            text(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "node busy\n", keepAlive);
        }
    }

    private String toJson(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void text(ChannelHandlerContext ctx, HttpResponseStatus status, String body, boolean keepAlive) {
        send(ctx, response(status, body, "text/plain; charset=utf-8"), keepAlive);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body, String type) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return response;
    }

    /** Thread-safe: Netty hops to the channel's event loop for the write. */
    private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("RPC connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
