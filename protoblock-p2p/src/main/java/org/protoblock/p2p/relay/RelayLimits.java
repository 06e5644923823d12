package org.protoblock.p2p.relay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.protoblock.p2p.identity.NodeId;

/**
 * The relay's books: who holds a reservation, and how many circuits are open per target. No I/O.
 *
 * <p>Rules:
 * <ul>
 *   <li>A reservation is keyed by node id and remembers the host it came from; it lapses at
 *       {@code now + reservationTtl}. A refresh by the same node moves the expiry (it counts once).
 *       A new one is refused when {@code maxReservations} are held, or {@code maxReservationsPerHost}
 *       for its host. Lapsed ones are dropped before any decision. Rationale: go-libp2p's
 *       reservation limits; per host so that one machine cannot hold every slot with many keys.</li>
 *   <li>A circuit needs the target's live reservation; at most {@code maxCircuits} in total and
 *       {@code maxCircuitsPerPeer} per target count, from {@link #openCircuit} to
 *       {@link #circuitClosed} (pending ones included, so unanswered requests use slots too).</li>
 *   <li>Dropping a reservation (its session closed) leaves its open circuits running until they close.</li>
 * </ul>
 * Memory: O(maxReservations + targets with circuits) ≤ 2 × maxReservations entries.
 *
 * <p>Threads: not thread-safe; the relay service calls it under its own lock.
 */
final class RelayLimits {
    /** Why a reservation or circuit was refused, or OK. */
    enum Outcome { OK, NO_RESERVATION, RESOURCE_LIMIT }

    private record Reservation(String host, Instant expires) {
    }

    private final RelayConfig config;
    private final Map<NodeId, Reservation> reservations = new HashMap<>();
    private final Map<NodeId, Integer> circuitsPerTarget = new HashMap<>();
    private int circuits;

    RelayLimits(RelayConfig config) {
        this.config = config;
    }

    /** Reserves, or refreshes, a slot for {@code node} from {@code host}; on OK the expiry is {@link #expiry}. */
    Outcome reserve(NodeId node, String host, Instant now) {
        expire(now);
        Reservation held = reservations.get(node);
        if (held == null) {
            long fromHost = reservations.values().stream().filter(r -> r.host.equals(host)).count();
            if (reservations.size() >= config.maxReservations() || fromHost >= config.maxReservationsPerHost()) {
                return Outcome.RESOURCE_LIMIT;
            }
        }
        reservations.put(node, new Reservation(host, now.plus(config.reservationTtl())));
        return Outcome.OK;
    }

    Optional<Instant> expiry(NodeId node) {
        return Optional.ofNullable(reservations.get(node)).map(Reservation::expires);
    }

    void drop(NodeId node) {
        reservations.remove(node);
    }

    /** Takes a circuit slot towards {@code target}: OK, or why not. */
    Outcome openCircuit(NodeId target, Instant now) {
        expire(now);
        if (!reservations.containsKey(target)) {
            return Outcome.NO_RESERVATION;
        }
        int forTarget = circuitsPerTarget.getOrDefault(target, 0);
        if (circuits >= config.maxCircuits() || forTarget >= config.maxCircuitsPerPeer()) {
            return Outcome.RESOURCE_LIMIT;
        }
        circuits++;
        circuitsPerTarget.put(target, forTarget + 1);
        return Outcome.OK;
    }

    /** Gives back a slot taken by {@link #openCircuit} (exactly once per OK). */
    void circuitClosed(NodeId target) {
        Integer n = circuitsPerTarget.get(target);
        if (n == null) {
            throw new IllegalStateException("no circuit to " + target.shortForm());
        }
        circuits--;
        if (n == 1) {
            circuitsPerTarget.remove(target);
        } else {
            circuitsPerTarget.put(target, n - 1);
        }
    }

    int reservations() {
        return reservations.size();
    }

    int circuits() {
        return circuits;
    }

    private void expire(Instant now) {
        reservations.values().removeIf(r -> !r.expires.isAfter(now));
    }

    /** Broken invariants, for tests: empty when the books agree with each other and the bounds. */
    List<String> sanityCheck() {
        List<String> broken = new ArrayList<>();
        int sum = circuitsPerTarget.values().stream().mapToInt(Integer::intValue).sum();
        if (sum != circuits) {
            broken.add("circuits " + circuits + " != sum per target " + sum);
        }
        if (circuits > config.maxCircuits() || reservations.size() > config.maxReservations()) {
            broken.add("over a total bound");
        }
        circuitsPerTarget.forEach((t, n) -> {
            if (n < 1 || n > config.maxCircuitsPerPeer()) {
                broken.add("circuits to " + t.shortForm() + ": " + n);
            }
        });
        return broken;
    }
}
