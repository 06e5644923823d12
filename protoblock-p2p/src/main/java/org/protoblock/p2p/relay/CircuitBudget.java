package org.protoblock.p2p.relay;

import java.time.Duration;

/**
 * What one relayed circuit may use before the relay closes both of its connections: a lifetime and
 * a byte count in each direction (go-libp2p's circuit limits).
 */
public record CircuitBudget(Duration duration, long bytesEachWay) {
    /** A relayed link between nodes that cannot reach each other otherwise: 10 min and 8 MiB each way. */
    public static final CircuitBudget RELAYED_LINK = new CircuitBudget(Duration.ofMinutes(10), 8L << 20);
    /**
     * Hole-punch coordination only (go-libp2p's defaults, 2 min and 128 KiB): what a relay will
     * grant once the direct-connection upgrade exists; not used yet.
     */
    public static final CircuitBudget HOLE_PUNCH = new CircuitBudget(Duration.ofMinutes(2), 128L << 10);

    public CircuitBudget {
        if (duration.isNegative() || duration.isZero() || bytesEachWay <= 0) {
            throw new IllegalArgumentException("a circuit budget must be positive: " + duration + ", " + bytesEachWay);
        }
    }
}
