package org.protoblock.p2p.reachability;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of port mapping and of the dial-back reachability checks.
 *
 * @param portMapping          ask the gateway for a port (PCP, NAT-PMP, UPnP-IGD): {@code --nat auto}
 * @param mappingGrace         how long checks of addresses heard from peers wait for a first mapping,
 *                             so a node behind a mapping gateway is not judged before it has one
 * @param confirmations        distinct peers (by IP) whose dial-backs must succeed for an address to be
 *                             verified, or fail for it to be refuted
 * @param recheckInterval      how long a verdict stands before the address is checked again
 * @param dialBackTimeout      a whole dial-back: connect, Noise, the nonce (server side), and the
 *                             client's wait for the answer and nonce
 * @param serverBurst          dial-back requests one peer may make at once ...
 * @param serverRefillPerSecond ... and per second after that
 * @param maxConcurrentDialBacks dial-backs this node runs for others at once (beyond: BUSY)
 * @param checkLoopback        also check loopback addresses: for networks on one host only (tests),
 *                             where every peer sees us on loopback; off, loopback is never a candidate
 */
public record ReachabilityConfig(boolean portMapping, Duration mappingGrace, int confirmations,
                                 Duration recheckInterval, Duration dialBackTimeout, int serverBurst,
                                 double serverRefillPerSecond, int maxConcurrentDialBacks, boolean checkLoopback) {
    public ReachabilityConfig {
        Objects.requireNonNull(mappingGrace, "mappingGrace");
        Objects.requireNonNull(recheckInterval, "recheckInterval");
        Objects.requireNonNull(dialBackTimeout, "dialBackTimeout");
        if (confirmations < 1 || serverBurst < 1 || serverRefillPerSecond < 0 || maxConcurrentDialBacks < 1) {
            throw new IllegalArgumentException("confirmations, burst and concurrency must be ≥ 1, refill ≥ 0");
        }
    }

    /** A public node: port mapping on, two confirmations, verdicts re-checked every 30 minutes. */
    public static ReachabilityConfig defaults() {
        return new ReachabilityConfig(true, Duration.ofSeconds(8), 2,
                Duration.ofMinutes(30), Duration.ofSeconds(5), 4, 1.0 / 30, 4, false);
    }

    public ReachabilityConfig withPortMapping(boolean on) {
        return new ReachabilityConfig(on, mappingGrace, confirmations, recheckInterval, dialBackTimeout,
                serverBurst, serverRefillPerSecond, maxConcurrentDialBacks, checkLoopback);
    }

    /** A one-host network's checks: loopback addresses are candidates, {@code confirmations} peers decide. */
    public ReachabilityConfig onOneHost(int confirmations) {
        return new ReachabilityConfig(portMapping, mappingGrace, confirmations, recheckInterval, dialBackTimeout,
                serverBurst, serverRefillPerSecond, maxConcurrentDialBacks, true);
    }
}
