package org.protoblock.p2p.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.protoblock.p2p.handshake.HandshakeListener;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkAttributes;
import org.protoblock.p2p.link.LinkClosed;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.link.LinkException;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.LinkFailure;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.session.SessionStage;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.EnvelopeDecoder;

/**
 * Settles one link's handshake exactly once: admitted as a session (the dial future completes) or
 * failed (the dial future fails, listeners get {@code linkFailed}). Owned by the link's event loop.
 */
final class LinkOutcome implements HandshakeListener {
    private final PeerHost host;
    private final Direction direction;
    private final Optional<CompletableFuture<Session>> dialResult;
    /** Where the handshake slot this link holds counts (inbound links). */
    private final Optional<HandshakeSlots.Inbound> slotHost;
    private boolean settled;

    LinkOutcome(PeerHost host, Direction direction, Optional<CompletableFuture<Session>> dialResult,
                Optional<HandshakeSlots.Inbound> slotHost) {
        this.host = host;
        this.direction = direction;
        this.dialResult = dialResult;
        this.slotHost = slotHost;
    }

    @Override
    public Optional<LinkException> authenticated(NodeId remote) {
        return host.refusesNode(remote)
                ? Optional.of(new LinkException(DisconnectReason.MISBEHAVIOUR, "banned"))
                : Optional.empty();
    }

    @Override
    public Optional<LinkException> established(ChannelHandlerContext ctx, NodeId remote, Hello remoteHello) {
        Channel ch = ctx.channel();
        Optional<LinkException> self = SessionTable.checkNotSelf(host.nodeId(), remote);
        if (self.isPresent()) {
            return self;
        }

        SessionStage stage = new SessionStage(ch, remote, remoteHello, direction,
                host.transport().addressOf(ch.remoteAddress()), host.config().session(),
                host.config().maxEnvelopeBytes(), host.outboundBudget(), host.events(), host::sessionClosed);
        Session session = stage.session();
        SessionTable.Admission admission = host.table().admit(session);
        if (admission.refusal().isPresent()) {
            return admission.refusal();
        }
        settled = true;
        host.handshakeSettled(slotHost);
        admission.displaced().ifPresent(old -> old.disconnect(DisconnectReason.DUPLICATE_CONNECTION,
                old.connection() == ConnectionType.RELAYED && session.connection() != ConnectionType.RELAYED
                        ? "replaced by a " + session.connection().wireName() + " link" : "replaced by a newer link"));
        ctx.pipeline().get(EnvelopeDecoder.class).helloDone(); // before the decoder reads the next length
        LinkInitializer.addSessionStage(ctx.pipeline(), ctx.name(), stage);
        dialResult.ifPresent(f -> f.complete(session));
        return Optional.empty();
    }

    @Override
    public void dialBack(ChannelHandlerContext ctx, NodeId remote, long nonce) {
        if (direction != Direction.INBOUND || ctx.channel().attr(LinkAttributes.CONNECTION).get() == ConnectionType.RELAYED) {
            LinkCloser.close(ctx.channel(), DisconnectReason.PROTOCOL_ERROR, "DialBack on a link we dialed or a relayed one");
            return;
        }
        settled = true; // a probe, not a failed peer link: no linkFailed event
        host.handshakeSettled(slotHost);
        host.dialBackReceived(remote, nonce);
        LinkCloser.close(ctx.channel(), DisconnectReason.REQUESTED, "dial-back received");
    }

    @Override
    public void failed(ChannelHandlerContext ctx, Optional<NodeId> remote, LinkClosed closed) {
        fail(ctx.channel(), remote, closed);
    }

    /** Close-future hook: covers links that closed before their handshake handlers ran. */
    void channelClosed(Channel ch) {
        fail(ch, Optional.ofNullable(ch.attr(LinkAttributes.REMOTE_NODE).get()), LinkCloser.recordHangUp(ch));
    }

    private void fail(Channel ch, Optional<NodeId> remote, LinkClosed closed) {
        if (settled) {
            return;
        }
        settled = true;
        host.handshakeSettled(slotHost);
        dialResult.ifPresent(f -> f.completeExceptionally(new LinkClosedException(closed)));
        Optional<PeerAddress> address = Optional.ofNullable(ch.remoteAddress()).map(host.transport()::addressOf);
        host.events().linkFailed(new LinkFailure(address, direction, remote, closed));
    }
}
