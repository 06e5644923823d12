package org.protoblock.p2p.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Pong;

/**
 * One job: keep the link alive and its latency measured. Every
 * {@link SessionLimits#pingInterval()} it pings the peer through {@link Session#ping()} (which
 * records the round trip in {@link Session#latency()}), one ping outstanding at a time, unless our
 * requests are at their cap; it answers the peer's Ping requests with a Pong of the same nonce, and
 * they go no further.
 *
 * <p>A peer that leaves our ping unanswered for {@link #MAX_MISSED_TICKS} ticks in a row is closed
 * with IDLE_TIMEOUT: any byte resets the idle timer, so a peer sending small envelopes forever would
 * otherwise never be found dead or hostile. Ticks while we paused reading (backpressure) do not count:
 * the pong may be waiting in our own socket.
 *
 * <p>Threads: the timer and the outstanding ping are owned by the channel's event loop.
 */
public final class PingHandler extends SessionStageHandler {
    public static final String NAME = "ping";
    /** Ticks in a row that may pass with our ping unanswered; one more ends the link. */
    public static final int MAX_MISSED_TICKS = 3;

    private final Session session;
    private Future<?> ticker;
    private CompletableFuture<Duration> outstanding;
    private int missedTicks;

    PingHandler(Session session) {
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long every = session.limits().pingInterval().toNanos();
        ticker = ctx.executor().scheduleAtFixedRate(() -> tick(ctx.channel()), every, every, TimeUnit.NANOSECONDS);
    }

    private void tick(Channel channel) {
        if (!session.isOpen() || !channel.config().isAutoRead()) {
            return;
        }
        if (outstanding != null && (!outstanding.isDone() || outstanding.isCompletedExceptionally())) {
            if (++missedTicks > MAX_MISSED_TICKS) {
                LinkCloser.close(channel, DisconnectReason.IDLE_TIMEOUT,
                        "no pong for " + missedTicks + " ping intervals");
                return;
            }
        } else {
            missedTicks = 0;
        }
        boolean waiting = outstanding != null && !outstanding.isDone();
        if (!waiting && session.requestsInFlight() < session.limits().maxRequestsInFlight()) {
            outstanding = session.ping();
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
