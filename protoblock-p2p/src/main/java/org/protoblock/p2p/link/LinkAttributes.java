package org.protoblock.p2p.link;

import io.netty.util.AttributeKey;
import org.protoblock.p2p.identity.NodeId;

/** Per-channel state shared by the handlers of one link (all touched on its event loop). */
public final class LinkAttributes {
    /** First close reason wins; later ones (e.g. the inactive event after our own close) are ignored. */
    public static final AttributeKey<LinkClosed> CLOSED = AttributeKey.valueOf("protoblock.closed");
    /** Set once Noise transport keys exist, so a Disconnect can be sent encrypted. */
    public static final AttributeKey<Boolean> SECURE = AttributeKey.valueOf("protoblock.secure");

    /** How the link reaches the peer; absent means {@link ConnectionType#DIRECT}. Set before the handshake. */
    public static final AttributeKey<ConnectionType> CONNECTION = AttributeKey.valueOf("protoblock.connection");

    /** The authenticated remote identity, set when the Noise handshake completes. */
    public static final AttributeKey<NodeId> REMOTE_NODE = AttributeKey.valueOf("protoblock.remoteNode");

    private LinkAttributes() {
    }
}
