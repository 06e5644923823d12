package org.protoblock.node.sp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REP side of one connection, whatever its transport: takes each request message, keeps its
 * backtrace, asks the {@link SpService} and writes backtrace + reply back. Requests without a
 * request id, over the host's rate or beyond {@value #MAX_IN_FLIGHT} unanswered ones on this
 * connection are dropped, as nng's REP drops what it cannot answer (the REQ resends later).
 *
 * <p>Threads: the channel's event loop; replies are written from the service's thread through
 * the channel, which hands them to the event loop.
 */
public final class SpRepHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private static final Logger log = LoggerFactory.getLogger(SpRepHandler.class);
    public static final int MAX_IN_FLIGHT = 4;

    private final SpService service;
    private final HostRateLimiter limiter;
    private int inFlight;

    public SpRepHandler(SpService service, HostRateLimiter limiter) {
        this.service = service;
        this.limiter = limiter;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf message) {
        Optional<SpRequest> parsed = SpRequest.parse(message, SpRequest.MAX_HOPS);
        InetAddress from = remoteHost(ctx);
        if (parsed.isEmpty() || inFlight >= MAX_IN_FLIGHT || !limiter.tryAcquire(from)) {
            log.debug("SP REP: dropped a request from {} ({})", from,
                    parsed.isEmpty() ? "no request id" : inFlight >= MAX_IN_FLIGHT ? "too many in flight" : "rate");
            return;
        }
        byte[] backtrace = ByteBufUtil.getBytes(parsed.get().backtrace());
        byte[] body = ByteBufUtil.getBytes(parsed.get().body());
        inFlight++;
        CompletableFuture<byte[]> answer;
        try {
            answer = service.handle(body, from);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((reply, error) -> ctx.executor().execute(() -> {
            inFlight--;
            if (error != null) {
                log.debug("SP REP: request from {} failed: {}", from, error.toString());
                return;
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(backtrace, reply));
        }));
    }

    /** The remote host (loopback for a Unix domain socket, whose peer is the same machine). */
    static InetAddress remoteHost(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress() : InetAddress.getLoopbackAddress();
    }
}
