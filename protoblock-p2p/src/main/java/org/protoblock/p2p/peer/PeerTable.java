package org.protoblock.p2p.peer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.protoblock.p2p.discovery.AddressGroup;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * The peers we are linked to, by node id, with what kind of link each is. Threads: not
 * thread-safe; the peer manager's thread owns it (dialer, admission and operator run there).
 * Bounds: follows the host's sessions (one entry per open session).
 */
final class PeerTable {
    /** One linked peer; its kind is set once the dial that made it is known. */
    static final class Peer {
        final Session session;
        final PeerAddress address;
        final AddressGroup group;
        PeerKind kind;

        Peer(Session session, PeerAddress address, PeerKind kind) {
            this.session = session;
            this.address = address;
            this.group = AddressGroup.of(address);
            this.kind = kind;
        }
    }

    private final Map<NodeId, Peer> peers = new HashMap<>();

    void put(Peer p) {
        peers.put(p.session.nodeId(), p);
    }

    Optional<Peer> get(NodeId id) {
        return Optional.ofNullable(peers.get(id));
    }

    boolean contains(NodeId id) {
        return peers.containsKey(id);
    }

    /** Removes the entry of {@code session} (not a newer session of the same node). */
    Optional<Peer> remove(Session session) {
        Peer p = peers.get(session.nodeId());
        if (p == null || p.session != session) {
            return Optional.empty();
        }
        peers.remove(session.nodeId());
        return Optional.of(p);
    }

    Collection<Peer> all() {
        return peers.values();
    }

    boolean isEmpty() {
        return peers.isEmpty();
    }

    int count(PeerKind kind) {
        return (int) peers.values().stream().filter(p -> p.kind == kind).count();
    }

    boolean connectedTo(PeerAddress address) {
        return peers.values().stream().anyMatch(p -> p.address.equals(address));
    }

    /** {@code getpeerinfo}: oldest link first. */
    List<PeerInfo> infos() {
        List<PeerInfo> out = new ArrayList<>();
        for (Peer p : peers.values()) {
            out.add(new PeerInfo(p.session.nodeId(), p.address, p.group, p.kind, p.session.connectedAt(),
                    p.session.latency(), p.session.remoteHello().agent()));
        }
        out.sort(Comparator.comparing(PeerInfo::connectedAt));
        return out;
    }
}
