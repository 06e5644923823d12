package org.protoblock.p2p.holepunch;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.protoblock.p2p.identity.NodeId;

/**
 * When a peer that could not be punched may be tried again.
 *
 * <p>Rules: a peer with no failure may be punched at once. After the {@code n}-th failed punch in a
 * row (all rounds of one relayed link) the next try waits {@code first × 2^(n-1)}, at most
 * {@code max}; a success forgets the peer. At most {@link #MAX_PEERS} peers are remembered, the one
 * failed least recently forgotten first (it then counts as new: at worst one more punch).
 * Rationale: a peer behind a symmetric NAT fails every time; each relayed link to it would
 * otherwise start three rounds of dials, and a flapping link would do so in a loop.
 *
 * <p>Costs: O(1) per call, O({@link #MAX_PEERS}) memory.
 *
 * <p>Threads: not thread-safe; owned by the {@link HolePunchService}'s thread.
 */
final class PunchBackoff {
    static final int MAX_PEERS = 1_024;

    private record Failures(int count, Instant retryAt) {
    }

    private final Duration first;
    private final Duration max;
    private final Map<NodeId, Failures> failed = new LinkedHashMap<>();

    PunchBackoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
    }

    boolean allowed(NodeId peer, Instant now) {
        Failures f = failed.get(peer);
        return f == null || !now.isBefore(f.retryAt);
    }

    /** When {@code peer} may be punched again (now if it may). */
    Instant retryAt(NodeId peer, Instant now) {
        Failures f = failed.get(peer);
        return f == null || now.isAfter(f.retryAt) ? now : f.retryAt;
    }

    void failed(NodeId peer, Instant now) {
        Failures before = failed.remove(peer);
        int count = before == null ? 1 : before.count + 1;
        Duration wait = first.multipliedBy(1L << Math.min(count - 1, 20));
        failed.put(peer, new Failures(count, now.plus(wait.compareTo(max) > 0 ? max : wait)));
        if (failed.size() > MAX_PEERS) {
            failed.remove(failed.keySet().iterator().next());
        }
    }

    void succeeded(NodeId peer) {
        failed.remove(peer);
    }

    int size() {
        return failed.size();
    }
}
