package org.protoblock.p2p.peer;

import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Told when a peer's misbehaviour score crosses the threshold. The discovery layer implements it
 * with a persisted, timed ban list; until then the default only disconnects.
 */
@FunctionalInterface
public interface BanHook {
    BanHook NONE = (node, address, reason) -> { };

    void ban(NodeId node, PeerAddress address, String reason);
}
