package org.protoblock.p2p.host;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkException;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;

/**
 * The established sessions of one host, at most one per peer and at most {@code capacity}.
 *
 * <p>Rules: a link to ourselves is refused (SELF_CONNECTION). A direct link (DIRECT or
 * HOLEPUNCHED) replaces a RELAYED one to the same peer and a relayed one never replaces a direct
 * one, whoever dialed each: both ends see the same connection types, so they agree, and a
 * hole-punched link takes over from the relayed link that coordinated it. Otherwise, when two links to the same peer meet
 * (both sides dialed at once), both nodes keep the one dialed by the smaller node id, so they agree
 * without talking; a new link from the same dialer replaces the old one (the old one is likely dead).
 * The loser is closed with DUPLICATE_CONNECTION. A full table refuses with TOO_MANY_PEERS.
 *
 * <p>Thread-safe: admissions come from many event loops and are serialized on this object (rare,
 * cheap); lookups are lock-free.
 */
final class SessionTable {
    /** Outcome of an admission: a refusal, or the session that the new one displaced. */
    record Admission(Optional<LinkException> refusal, Optional<Session> displaced) {
    }

    private final NodeId self;
    private final int capacity;
    private final Map<NodeId, Session> sessions = new ConcurrentHashMap<>();

    SessionTable(NodeId self, int capacity) {
        this.self = self;
        this.capacity = capacity;
    }

    static Optional<LinkException> checkNotSelf(NodeId self, NodeId remote) {
        return self.equals(remote)
                ? Optional.of(new LinkException(DisconnectReason.SELF_CONNECTION, "connected to ourselves"))
                : Optional.empty();
    }

    synchronized Admission admit(Session candidate) {
        NodeId remote = candidate.nodeId();
        Optional<LinkException> self = checkNotSelf(this.self, remote);
        if (self.isPresent()) {
            return new Admission(self, Optional.empty());
        }
        Session existing = sessions.get(remote);
        if (existing != null) {
            if (!newWins(existing, candidate)) {
                return new Admission(Optional.of(new LinkException(DisconnectReason.DUPLICATE_CONNECTION,
                        "already linked to " + remote.shortForm())), Optional.empty());
            }
            sessions.put(remote, candidate);
            return new Admission(Optional.empty(), Optional.of(existing));
        }
        if (sessions.size() >= capacity) {
            return new Admission(Optional.of(new LinkException(DisconnectReason.TOO_MANY_PEERS,
                    capacity + " sessions")), Optional.empty());
        }
        sessions.put(remote, candidate);
        return new Admission(Optional.empty(), Optional.empty());
    }

    private boolean newWins(Session existing, Session candidate) {
        boolean existingRelayed = existing.connection() == ConnectionType.RELAYED;
        if (existingRelayed != (candidate.connection() == ConnectionType.RELAYED)) {
            return existingRelayed; // a direct path beats a relay, whoever dialed it (both ends see the same types)
        }
        NodeId existingDialer = dialer(existing);
        NodeId candidateDialer = dialer(candidate);
        if (existingDialer.equals(candidateDialer)) {
            return true;
        }
        return candidateDialer.compareTo(existingDialer) < 0;
    }

    private NodeId dialer(Session s) {
        return s.direction() == Direction.OUTBOUND ? self : s.nodeId();
    }

    void remove(Session session) {
        sessions.remove(session.nodeId(), session);
    }

    Optional<Session> get(NodeId id) {
        return Optional.ofNullable(sessions.get(id));
    }

    Collection<Session> all() {
        return List.copyOf(sessions.values());
    }

    int size() {
        return sessions.size();
    }
}
