package org.protoblock.p2p.peer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Misbehaviour scores per node id. Each offence adds its {@link Misbehaviour#penalty()}; at
 * {@link #DISCONNECT_THRESHOLD} the session is disconnected with MISBEHAVIOUR and the
 * {@link BanHook} is told. Scores outlive the session (a peer cannot reset its score by
 * reconnecting) but the table is bounded: the least recently penalized node is forgotten first.
 *
 * <p>Scores decay: a score halves every {@code halfLife} ({@link #DEFAULT_HALF_LIFE}, 10 min).
 * Rationale: only sustained misbehaviour should ban. An honest peer that times out now and then
 * (10 lifetime stalls of 10 points each banned it for a day) stays below the threshold: one offence
 * of 10 every 2 minutes settles near 77; a hostile rate of one a minute passes 100 within minutes,
 * and a single 100-point offence (an invalid block) still bans at once.
 *
 * <p>Thread-safe (one lock, held for map updates only).
 */
public final class PeerScores {
    public static final int DISCONNECT_THRESHOLD = 100;
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(PeerScores.class);
    private static final int MAX_TRACKED = 4_096;

    /** A score as of {@code at}. */
    private record Score(double value, Instant at) {
    }

    private final BanHook banHook;
    private final Clock clock;
    private final double halfLifeMillis;
    private final Map<NodeId, Score> scores = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, Score> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    public PeerScores(BanHook banHook) {
        this(banHook, Clock.systemUTC(), DEFAULT_HALF_LIFE);
    }

    public PeerScores(BanHook banHook, Clock clock, Duration halfLife) {
        if (halfLife.isZero() || halfLife.isNegative()) {
            throw new IllegalArgumentException("halfLife must be positive");
        }
        this.banHook = banHook;
        this.clock = clock;
        this.halfLifeMillis = halfLife.toMillis();
    }

    /** Records an offence; returns true if the peer was disconnected for it. */
    public boolean penalize(Session session, Misbehaviour offence, String detail) {
        int score = add(session.nodeId(), offence.penalty());
        log.info("Peer {} misbehaved: {} ({}), score {}", session.nodeId().shortForm(), offence, detail, score);
        if (score < DISCONNECT_THRESHOLD) {
            return false;
        }
        session.disconnect(DisconnectReason.MISBEHAVIOUR, offence + ": " + detail);
        // Over a relayed link the address is the relay's: ban the node only.
        banHook.ban(session.nodeId(), session.connection() == ConnectionType.RELAYED ? Optional.empty()
                : Optional.of(session.remoteAddress()), offence + ": " + detail);
        return true;
    }

    /** Adds {@code penalty} to the node's decayed score; returns the new score. */
    int add(NodeId node, int penalty) {
        Instant now = clock.instant();
        synchronized (scores) {
            Score s = scores.merge(node, new Score(penalty, now), (old, fresh) -> new Score(decayed(old, now) + penalty, now));
            return (int) s.value();
        }
    }

    /** The node's score now (decayed). */
    public int score(NodeId node) {
        Instant now = clock.instant();
        synchronized (scores) {
            Score s = scores.get(node);
            return s == null ? 0 : (int) decayed(s, now);
        }
    }

    private double decayed(Score s, Instant now) {
        long elapsed = Math.max(0, Duration.between(s.at(), now).toMillis());
        return s.value() * Math.pow(0.5, elapsed / halfLifeMillis);
    }
}
