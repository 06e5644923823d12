package org.protoblock.p2p.peer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Misbehaviour scores per node id. Each offence adds its {@link Misbehaviour#penalty()}; at
 * {@link #DISCONNECT_THRESHOLD} the session is disconnected with MISBEHAVIOUR and the
 * {@link BanHook} is told. Scores outlive the session (a peer cannot reset its score by
 * reconnecting) but the table is bounded: the least recently penalized node is forgotten first.
 * Thread-safe (one lock, held for map updates only).
 */
public final class PeerScores {
    public static final int DISCONNECT_THRESHOLD = 100;
    private static final Logger log = LoggerFactory.getLogger(PeerScores.class);
    private static final int MAX_TRACKED = 4_096;

    private final BanHook banHook;
    private final Map<NodeId, Integer> scores = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, Integer> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    public PeerScores(BanHook banHook) {
        this.banHook = banHook;
    }

    /** Records an offence; returns true if the peer was disconnected for it. */
    public boolean penalize(Session session, Misbehaviour offence, String detail) {
        int score;
        synchronized (scores) {
            score = scores.merge(session.nodeId(), offence.penalty(), Integer::sum);
        }
        log.info("Peer {} misbehaved: {} ({}), score {}", session.nodeId().shortForm(), offence, detail, score);
        if (score < DISCONNECT_THRESHOLD) {
            return false;
        }
        session.disconnect(DisconnectReason.MISBEHAVIOUR, offence + ": " + detail);
        banHook.ban(session.nodeId(), session.remoteAddress(), offence + ": " + detail);
        return true;
    }

    public int score(NodeId node) {
        synchronized (scores) {
            return scores.getOrDefault(node, 0);
        }
    }
}
