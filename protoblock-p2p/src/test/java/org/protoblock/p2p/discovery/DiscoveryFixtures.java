package org.protoblock.p2p.discovery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.protoblock.p2p.host.P2pConfig;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.peer.PeerInfo;
import org.protoblock.p2p.peer.PeerKind;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.transport.PeerAddress;

/** Fast peer-management settings and graph checks for the discovery integration tests. */
final class DiscoveryFixtures {
    private DiscoveryFixtures() {
    }

    /**
     * Everything in fractions of a second instead of minutes; no LAN, no built-in seeds; few dials
     * in flight per node, since all test nodes share the transport's two event loops.
     */
    static PeerConfig.Builder fast(int outboundTarget, List<PeerAddress> seeds) {
        return PeerConfig.builder()
                .outboundTargets(outboundTarget, 0)
                .seeds(seeds)
                .useBuiltInSeeds(false)
                .lanEnabled(false)
                .tickInterval(Duration.ofMillis(100))
                .maxPendingDials(4)
                .feelerInterval(Duration.ofSeconds(20))
                .flushInterval(Duration.ofSeconds(1))
                .peerRequestInterval(Duration.ofMillis(500))
                .reconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(10))
                .getPeersRate(10, 5.0)
                .advertiseInterval(Duration.ofSeconds(1));
    }

    /**
     * Link settings: a short handshake timeout, so that a handshake that stalls (seen on the
     * in-process transport with many concurrent links, event loops idle) fails fast and the
     * manager moves on to another address.
     */
    static P2pConfig p2p() {
        return TestNetwork.fastP2pConfig().handshakeTimeout(Duration.ofSeconds(5)).build();
    }

    /** Outbound links that count towards the targets (feelers and operator peers do not). */
    static List<PeerInfo> outbound(TestNode node) {
        return node.p2p().peerManager().operator().peers().stream()
                .filter(p -> p.kind() == PeerKind.FULL_RELAY || p.kind() == PeerKind.BLOCK_ONLY).toList();
    }

    static long outboundGroups(TestNode node) {
        return outbound(node).stream().map(PeerInfo::group).distinct().count();
    }

    /** True when the undirected graph of open sessions among {@code nodes} is connected. */
    static boolean connected(Collection<TestNode> nodes) {
        Map<NodeId, Set<NodeId>> edges = new HashMap<>();
        for (TestNode n : nodes) {
            NodeId self = n.p2p().host().nodeId();
            edges.computeIfAbsent(self, k -> new HashSet<>());
            for (Session s : n.p2p().host().sessions()) {
                if (s.isOpen()) {
                    edges.computeIfAbsent(self, k -> new HashSet<>()).add(s.nodeId());
                    edges.computeIfAbsent(s.nodeId(), k -> new HashSet<>()).add(self);
                }
            }
        }
        Set<NodeId> members = new HashSet<>();
        nodes.forEach(n -> members.add(n.p2p().host().nodeId()));
        NodeId start = members.iterator().next();
        Set<NodeId> seen = new HashSet<>(Set.of(start));
        Deque<NodeId> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            for (NodeId next : edges.getOrDefault(queue.poll(), Set.of())) {
                if (members.contains(next) && seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        return seen.containsAll(members);
    }
}
