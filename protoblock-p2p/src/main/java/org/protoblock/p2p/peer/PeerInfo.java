package org.protoblock.p2p.peer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.protoblock.p2p.discovery.AddressGroup;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;

/** One connected peer as the node program's {@code getpeerinfo} shows it. */
public record PeerInfo(NodeId nodeId, PeerAddress address, AddressGroup group, PeerKind kind, Instant connectedAt,
                       Optional<Duration> latency, String agent) {
}
