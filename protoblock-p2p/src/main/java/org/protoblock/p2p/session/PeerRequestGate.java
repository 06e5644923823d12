package org.protoblock.p2p.session;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.link.LinkException;
import org.protoblock.p2p.wire.proto.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job: bound the peer's requests to us. Each inbound request opens its id in
 * {@link InboundRequests} on its way up; its response closes it on the way down. A peer that
 * exceeds {@link SessionLimits#maxInboundRequests()} unanswered requests is disconnected as
 * MISBEHAVIOUR; reusing an open id is a PROTOCOL_ERROR. A response to an id that is not open
 * (answered twice, or expired after the request timeout) is not sent: its write fails.
 *
 * <p>Threads: all state is owned by the channel's event loop.
 */
public final class PeerRequestGate extends ChannelDuplexHandler {
    public static final String NAME = "peer-requests";
    private static final Logger log = LoggerFactory.getLogger(PeerRequestGate.class);

    private final int maxInboundRequests;
    private final InboundRequests open;

    PeerRequestGate(SessionLimits limits) {
        this.maxInboundRequests = limits.maxInboundRequests();
        this.open = new InboundRequests(limits.maxInboundRequests(), limits.requestTimeout().toNanos());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Envelope request && !request.getIsResponse() && request.getRequestId() != 0) {
            switch (open.open(request.getRequestId(), ctx.executor().ticker().nanoTime())) {
                case DUPLICATE -> throw new LinkException(DisconnectReason.PROTOCOL_ERROR,
                        "request id " + request.getRequestId() + " reused while open");
                case FULL -> {
                    LinkCloser.close(ctx.channel(), DisconnectReason.MISBEHAVIOUR,
                            "more than " + maxInboundRequests + " unanswered requests");
                    return;
                }
                case OPENED -> { }
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Envelope response && response.getIsResponse() && !open.close(response.getRequestId())) {
            log.debug("{}: request {} already answered or expired", LinkCloser.describe(ctx.channel()),
                    response.getRequestId());
            promise.tryFailure(new IllegalStateException("request " + response.getRequestId() + " is not open"));
            return;
        }
        ctx.write(msg, promise);
    }

    /** For tests: requests of the peer we have not answered yet. */
    int openRequests() {
        return open.size();
    }
}
