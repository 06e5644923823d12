package org.protoblock.p2p.session;

import java.util.Optional;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.LinkClosed;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * A link that closed before it became a session (Noise or Hello failed, refused, timed out).
 *
 * @param nodeId known when the Noise handshake got far enough to authenticate the peer
 */
public record LinkFailure(Optional<PeerAddress> remoteAddress, Direction direction, Optional<NodeId> nodeId,
                          LinkClosed closed) {
}
