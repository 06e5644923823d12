package org.protoblock.p2p.session;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Pong;

/**
 * One job: keep the link alive and its latency measured. Every
 * {@link SessionLimits#pingInterval()} it pings the peer through {@link Session#ping()} (which
 * records the round trip in {@link Session#latency()}), unless our requests are at their cap; it
 * answers the peer's Ping requests with a Pong of the same nonce, and they go no further.
 *
 * <p>Threads: the timer is owned by the channel's event loop.
 */
public final class PingHandler extends SessionStageHandler {
    public static final String NAME = "ping";

    private final Session session;
    private Future<?> ticker;

    PingHandler(Session session) {
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long every = session.limits().pingInterval().toNanos();
        ticker = ctx.executor().scheduleAtFixedRate(this::tick, every, every, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        if (session.requestsInFlight() < session.limits().maxRequestsInFlight() && session.isOpen()) {
            session.ping();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Envelope ping && ping.getBodyCase() == Envelope.BodyCase.PING
                && ping.getRequestId() != 0 && !ping.getIsResponse()) {
            session.respond(ping, Envelope.newBuilder()
                    .setPong(Pong.newBuilder().setNonce(ping.getPing().getNonce())).build());
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    void linkEnded(ChannelHandlerContext ctx) {
        if (ticker != null) {
            ticker.cancel(false);
        }
    }
}
