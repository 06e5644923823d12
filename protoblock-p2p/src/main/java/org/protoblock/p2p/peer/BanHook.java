package org.protoblock.p2p.peer;

import java.util.Optional;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Told when a peer's misbehaviour score crosses the threshold. The discovery layer implements it
 * with a persisted, timed ban list; until then the default only disconnects.
 */
@FunctionalInterface
public interface BanHook {
    BanHook NONE = (node, address, reason) -> { };

    /** @param address the peer's own address, whose host is banned too; empty over a relayed link (it is the relay's) */
    void ban(NodeId node, Optional<PeerAddress> address, String reason);
}
