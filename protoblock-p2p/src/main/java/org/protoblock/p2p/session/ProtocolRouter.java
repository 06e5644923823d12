package org.protoblock.p2p.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkClosed;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job: hand the session's life and messages to the protocol components, through
 * {@link PeerEvents}: {@code connected} when the session stage is in place, each request or
 * one-way message to the components registered for its type, {@code disconnected} once at the end
 * (after the session's own requests have failed and the host forgot it). A peer's Disconnect ends
 * the link with its reason; a request no component handles is answered UNSUPPORTED (a second Hello,
 * BAD_REQUEST); a one-way message no component handles is ignored. Last of the session stage:
 * responses and pings were consumed below.
 *
 * <p>Threads: all state is owned by the channel's event loop, which is where components are called.
 */
public final class ProtocolRouter extends SessionStageHandler {
    public static final String NAME = "router";
    private static final Logger log = LoggerFactory.getLogger(ProtocolRouter.class);

    private final Session session;
    private final PeerEvents events;
    private final Consumer<Session> onClosed;

    ProtocolRouter(Session session, PeerEvents events, Consumer<Session> onClosed) {
        this.session = session;
        this.events = events;
        this.onClosed = onClosed;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        events.connected(session, session.remoteHello());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Envelope envelope)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (envelope.getBodyCase() == Envelope.BodyCase.DISCONNECT) {
            var d = envelope.getDisconnect();
            LinkCloser.closedByPeer(ctx.channel(), DisconnectReason.fromCode(d.getReasonValue()), d.getDetail());
        } else if (envelope.getRequestId() != 0) {
            routeRequest(envelope);
        } else if (events.handles(envelope.getBodyCase())) {
            events.message(session, envelope);
        } else {
            log.debug("{}: ignored one-way {}", session, envelope.getBodyCase());
        }
    }

    private void routeRequest(Envelope request) {
        if (request.getBodyCase() == Envelope.BodyCase.HELLO) {
            session.respondError(request, ErrorResponse.Code.BAD_REQUEST, "already said hello");
        } else if (events.handles(request.getBodyCase())) {
            events.message(session, request);
        } else {
            session.respondError(request, ErrorResponse.Code.UNSUPPORTED, "unsupported " + request.getBodyCase());
        }
    }

    @Override
    void linkEnded(ChannelHandlerContext ctx) {
        LinkClosed how = LinkCloser.recordHangUp(ctx.channel());
        session.markClosed(how);
        onClosed.accept(session);
        events.disconnected(session, how);
    }
}
