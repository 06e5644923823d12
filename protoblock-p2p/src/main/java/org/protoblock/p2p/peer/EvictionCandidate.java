package org.protoblock.p2p.peer;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.protoblock.p2p.discovery.AddressGroup;
import org.protoblock.p2p.identity.NodeId;

/**
 * An inbound peer as eviction sees it.
 *
 * @param lastUseful when it last announced a block or transactions to us
 * @param exempt     never evicted (operator-added)
 */
public record EvictionCandidate(NodeId nodeId, AddressGroup group, Instant connectedAt, Optional<Duration> latency,
                                Optional<Instant> lastUseful, boolean exempt) {
    public EvictionCandidate {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(connectedAt, "connectedAt");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(lastUseful, "lastUseful");
    }
}
