package org.protoblock.p2p.relay;

import java.time.Duration;

/**
 * Circuit relay settings, for the relay side (reservations and circuits we serve) and the client
 * side (reservations we keep). Defaults after go-libp2p's relay v2 resources.
 *
 * @param serve                  offer RELAY and serve reservations (when our reachability is public)
 * @param requirePublic          serve only while our reachability is PUBLIC (false: single-host tests)
 * @param reservationTtl         a reservation lapses after this unless refreshed (clients refresh at half)
 * @param maxReservations        reservations held for others, in total
 * @param maxReservationsPerHost … per remote host (an IPv6 /64 as one)
 * @param maxCircuits            circuits open or pending at a time, in total
 * @param maxCircuitsPerPeer     … per reserving target
 * @param circuitBudget          duration and bytes each way of one circuit
 * @param pendingTimeout         how long a circuit's first connection waits for the second
 * @param keepReservations       reservations a private (or unknown) node keeps on relays (client side)
 * @param clientTick             how often the client checks its reservations
 */
public record RelayConfig(boolean serve, boolean requirePublic, Duration reservationTtl, int maxReservations,
                          int maxReservationsPerHost, int maxCircuits, int maxCircuitsPerPeer, CircuitBudget circuitBudget,
                          Duration pendingTimeout, int keepReservations, Duration clientTick) {
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    public RelayConfig {
        if (maxReservations < 1 || maxReservationsPerHost < 1 || maxCircuits < 1 || maxCircuitsPerPeer < 1
                || keepReservations < 0 || reservationTtl.isZero() || pendingTimeout.isZero() || clientTick.isZero()) {
            throw new IllegalArgumentException("relay limits must be positive");
        }
    }

    public static RelayConfig defaults() {
        return new RelayConfig(true, true, Duration.ofHours(1), 128, 4, 16, 4, CircuitBudget.RELAYED_LINK,
                Duration.ofSeconds(10), 2, Duration.ofSeconds(15));
    }

    /** Neither serving nor reserving: nodes of tests that build topologies by hand. */
    public static RelayConfig off() {
        return defaults().withServe(false).withKeepReservations(0);
    }

    public RelayConfig withServe(boolean on) {
        return new RelayConfig(on, requirePublic, reservationTtl, maxReservations, maxReservationsPerHost, maxCircuits,
                maxCircuitsPerPeer, circuitBudget, pendingTimeout, keepReservations, clientTick);
    }

    public RelayConfig withRequirePublic(boolean on) {
        return new RelayConfig(serve, on, reservationTtl, maxReservations, maxReservationsPerHost, maxCircuits,
                maxCircuitsPerPeer, circuitBudget, pendingTimeout, keepReservations, clientTick);
    }

    public RelayConfig withCircuitBudget(CircuitBudget budget) {
        return new RelayConfig(serve, requirePublic, reservationTtl, maxReservations, maxReservationsPerHost, maxCircuits,
                maxCircuitsPerPeer, budget, pendingTimeout, keepReservations, clientTick);
    }

    public RelayConfig withKeepReservations(int n) {
        return new RelayConfig(serve, requirePublic, reservationTtl, maxReservations, maxReservationsPerHost, maxCircuits,
                maxCircuitsPerPeer, circuitBudget, pendingTimeout, n, clientTick);
    }

    public RelayConfig withClientTick(Duration tick) {
        return new RelayConfig(serve, requirePublic, reservationTtl, maxReservations, maxReservationsPerHost, maxCircuits,
                maxCircuitsPerPeer, circuitBudget, pendingTimeout, keepReservations, tick);
    }
}
