package org.protoblock.p2p.peer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.protoblock.p2p.discovery.AddressRules;
import org.protoblock.p2p.discovery.AddressSource;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound links: records them, tells discovery where the peer says it listens (hearsay, tested
 * before trusted), and past {@code maxInbound} inbound links lets {@link EvictionSelector} pick one
 * to drop (possibly the newcomer). Peers that sent us blocks or announcements recently
 * ({@link #useful}) are protected from eviction.
 *
 * <p>Threads: {@link #admit} and {@link #closed} run on the peer manager's thread (which owns the
 * {@link PeerTable}); {@link #useful} on event loops (a concurrent map, one entry per linked peer).
 */
final class InboundAdmission {
    private static final Logger log = LoggerFactory.getLogger(InboundAdmission.class);

    private final AdmissionConfig config;
    private final PeerTable table;
    private final AddressSource discovery;
    private final P2pMetrics metrics;
    private final String scheme;
    private final long evictionKey;
    private final Map<NodeId, Instant> usefulAt = new ConcurrentHashMap<>();

    InboundAdmission(AdmissionConfig config, PeerTable table, AddressSource discovery, P2pMetrics metrics, String scheme,
                     long evictionKey) {
        this.config = config;
        this.table = table;
        this.discovery = discovery;
        this.metrics = metrics;
        this.scheme = scheme;
        this.evictionKey = evictionKey;
    }

    /** A new inbound session (not banned): record it, learn its listen address, evict if over the cap. */
    void admit(Session session, Hello hello) {
        NodeId id = session.nodeId();
        // A relayed peer's socket address is its relay's: nothing to learn about the peer's own from it.
        for (PeerAddress announced : session.connection() == ConnectionType.RELAYED ? List.<PeerAddress>of() : hello.listenAddresses()) {
            Optional<PeerAddress> a = AddressRules.resolveAnnounced(announced, session.remoteAddress(), scheme);
            if (a.isPresent()) {
                discovery.heard(id, a.get(), session.remoteAddress());
                break;
            }
        }
        table.put(new PeerTable.Peer(session, session.remoteAddress(), PeerKind.INBOUND));
        if (table.count(PeerKind.INBOUND) > config.maxInbound()) {
            evict(id);
        }
    }

    /** {@code id} sent something unsolicited (a block, an announcement): it is useful to us. Any thread. */
    void useful(NodeId id, Instant at) {
        usefulAt.put(id, at);
    }

    void closed(NodeId id) {
        usefulAt.remove(id);
    }

    private void evict(NodeId newcomer) {
        List<EvictionCandidate> candidates = new ArrayList<>();
        for (PeerTable.Peer p : table.all()) {
            if (p.kind == PeerKind.INBOUND) {
                candidates.add(new EvictionCandidate(p.session.nodeId(), p.group, p.session.connectedAt(),
                        p.session.latency(), Optional.ofNullable(usefulAt.get(p.session.nodeId())), false));
            }
        }
        NodeId victim = EvictionSelector.select(candidates, evictionKey).orElse(newcomer);
        table.get(victim).ifPresent(p -> {
            metrics.inboundEvicted.increment();
            log.debug("Inbound slots full ({}): evicting {}", config.maxInbound(), victim.shortForm());
            p.session.disconnect(DisconnectReason.TOO_MANY_PEERS, "inbound slots full");
        });
    }
}
