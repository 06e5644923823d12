package org.protoblock.p2p.handshake;

import io.netty.channel.ChannelHandlerContext;
import java.util.Optional;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.LinkClosed;
import org.protoblock.p2p.link.LinkException;

/** Where {@link HelloHandler} reports the end of a handshake. Called on the link's event loop. */
public interface HandshakeListener {
    /**
     * Noise authenticated {@code remote}; before we send our Hello. Return the refusal to end the
     * link now (a banned node learns nothing more), or empty to go on with the Hello exchange.
     */
    default Optional<LinkException> authenticated(NodeId remote) {
        return Optional.empty();
    }

    /**
     * The peer is authenticated and compatible. Admit it by installing the session stage after
     * {@code ctx} and return empty, or return the refusal (e.g. TOO_MANY_PEERS) to send.
     */
    Optional<LinkException> established(ChannelHandlerContext ctx, NodeId remote, Hello remoteHello);

    /**
     * The peer sent a DialBack in place of its Hello: it dialed us to prove we are reachable (see
     * {@code DialBackRequest}). The listener takes the nonce and ends the link; it never becomes a session.
     */
    void dialBack(ChannelHandlerContext ctx, NodeId remote, long nonce);

    /** The link closed before it was established. */
    void failed(ChannelHandlerContext ctx, Optional<NodeId> remote, LinkClosed closed);
}
