package org.protoblock.p2p.discovery;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * A snapshot of one address book entry.
 *
 * @param sourceGroup group of whoever told us (ourselves, for seeds, LAN and verified links)
 * @param lastSeen    when the node was last known to be up (claimed by peers, capped at our clock)
 * @param lastTry     our last dial attempt, successful or not
 * @param lastSuccess our last successful outbound handshake
 * @param attempts    failed attempts since the last success
 * @param tried       true when we verified the address ourselves (tried table)
 */
public record KnownPeer(NodeId nodeId, PeerAddress address, AddressGroup sourceGroup, Instant lastSeen,
                        Optional<Instant> lastTry, Optional<Instant> lastSuccess, int attempts, boolean tried) {
    public KnownPeer {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(sourceGroup, "sourceGroup");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(lastTry, "lastTry");
        Objects.requireNonNull(lastSuccess, "lastSuccess");
    }

    public AddressGroup group() {
        return AddressGroup.of(address);
    }
}
