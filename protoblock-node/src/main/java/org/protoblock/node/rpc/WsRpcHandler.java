package org.protoblock.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC over one WebSocket connection: every method of the HTTP endpoint, plus this
 * connection's {@code subscribe}/{@code unsubscribe} (and geth's {@code eth_subscribe}/
 * {@code eth_unsubscribe}) on {@link LiveEvents}. One text frame per request or batch, one per
 * response; notifications arrive as frames of their own. Requests run on the RPC executor; when its
 * queue is full, or {@value #MAX_IN_FLIGHT} requests of the connection are still unanswered, the
 * answer is an error (code -1).
 *
 * <p>Threads: the channel's event loop reads; the RPC executor runs methods and writes answers
 * (Netty hands the write to the event loop).
 */
public final class WsRpcHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(WsRpcHandler.class);
    /** Requests of one connection waiting or running at a time; more are answered with an error. */
    public static final int MAX_IN_FLIGHT = 16;

    private final JsonRpcDispatcher shared;
    private final LiveEvents events;
    private final Executor executor;
    private final ObjectMapper mapper;
    private JsonRpcDispatcher dispatcher;
    /** Requests of this connection queued or running (the executor's threads finish them). */
    private final AtomicInteger inFlight = new AtomicInteger();

    WsRpcHandler(JsonRpcDispatcher shared, LiveEvents events, Executor executor, ObjectMapper mapper) {
        this.shared = shared;
        this.events = events;
        this.executor = executor;
        this.mapper = mapper;
    }

    /** The route of {@code /ws}: needs the token like HTTP JSON-RPC. */
    public static WebSocketRoute route(JsonRpcDispatcher shared, LiveEvents events, Executor executor, ObjectMapper mapper) {
        return new WebSocketRoute(java.util.Optional.empty(), RpcServer.MAX_REQUEST_BYTES, true, pipeline -> pipeline
                .addLast(new WsRpcHandler(shared, events, executor, mapper))
                .addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        log.debug("WebSocket JSON-RPC {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
                        ctx.close();
                    }
                }));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        dispatcher = shared.withMethods(Map.of(
                "subscribe", p -> subscribe(ctx, p, "subscription"),
                "eth_subscribe", p -> subscribe(ctx, p, "eth_subscription"),
                "unsubscribe", p -> unsubscribe(ctx, p),
                "eth_unsubscribe", p -> unsubscribe(ctx, p)));
    }

    private CompletableFuture<JsonNode> subscribe(ChannelHandlerContext ctx, RpcParams p, String method) throws RpcException {
        p.expect(List.of("kind"));
        String name = p.string(0, "kind");
        LiveEvents.Kind kind = LiveEvents.Kind.parse(name).orElseThrow(() -> RpcException.invalidParams(
                "unknown subscription " + name + ": newHeads, newTransactions, peers or syncProgress"));
        String id = events.subscribe(ctx.channel(), kind, method).orElseThrow(() -> RpcException.invalidParams(
                "at most " + LiveEvents.MAX_PER_CONNECTION + " subscriptions per connection"));
        return CompletableFuture.completedFuture(TextNode.valueOf(id));
    }

    private CompletableFuture<JsonNode> unsubscribe(ChannelHandlerContext ctx, RpcParams p) throws RpcException {
        p.expect(List.of("id"));
        return CompletableFuture.completedFuture(BooleanNode.valueOf(events.unsubscribe(ctx.channel(), p.string(0, "id"))));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame)) {
            throw new CorruptedFrameException("JSON-RPC over WebSocket takes text frames");
        }
        byte[] body = ByteBufUtil.getBytes(frame.content());
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            write(ctx, JsonRpcDispatcher.error(com.fasterxml.jackson.databind.node.NullNode.instance,
                    RpcException.MISC_ERROR, "more than " + MAX_IN_FLIGHT + " requests in flight on this connection"));
            return;
        }
        try {
            executor.execute(() -> dispatcher.handle(body).whenComplete((reply, failure) -> {
                inFlight.decrementAndGet();
                if (failure != null) {
                    log.warn("WebSocket RPC dispatch failed", failure);
                    ctx.close();
                } else {
                    reply.ifPresent(r -> write(ctx, r));
                }
            }));
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            write(ctx, JsonRpcDispatcher.error(com.fasterxml.jackson.databind.node.NullNode.instance,
                    RpcException.MISC_ERROR, "node busy, try again"));
        }
    }

    private void write(ChannelHandlerContext ctx, JsonNode reply) {
        try {
            ctx.writeAndFlush(new TextWebSocketFrame(mapper.writeValueAsString(reply)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
