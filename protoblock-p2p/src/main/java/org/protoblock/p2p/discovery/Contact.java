package org.protoblock.p2p.discovery;

import java.util.Objects;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;

/** A node and the address we reached it at (an anchor). */
public record Contact(NodeId nodeId, PeerAddress address) {
    public Contact {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(address, "address");
    }
}
