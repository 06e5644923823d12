package org.protoblock.p2p.holepunch;

import java.time.Duration;

/**
 * Hole-punch settings (DCUtR's where it has them).
 *
 * @param enabled            coordinate punches on relayed links we took, and answer the peer's
 * @param maxAttempts        Connect/Sync rounds per relayed link before giving up (DCUtR: 3)
 * @param answerTimeout      how long the coordinator waits for the peer's HolePunchConnect
 * @param dialTimeout        each simultaneous dial's connect timeout
 * @param retryDelay         pause between failed rounds
 * @param syncTimeout        how long the answering side keeps the coordinator's addresses for its Sync
 * @param backoff            after all rounds failed, the peer is not punched again for this long,
 *                           doubling with each further failure up to {@code maxBackoff}
 * @param maxBackoff         the longest pause between punch tries of one peer
 * @param maxConcurrent      punches in progress at once (either role)
 * @param loopbackCandidates offer and accept loopback addresses (single-host tests only)
 */
public record HolePunchConfig(boolean enabled, int maxAttempts, Duration answerTimeout, Duration dialTimeout,
                              Duration retryDelay, Duration syncTimeout, Duration backoff, Duration maxBackoff,
                              int maxConcurrent, boolean loopbackCandidates) {
    public HolePunchConfig {
        if (maxAttempts < 1 || maxConcurrent < 1 || answerTimeout.isZero() || dialTimeout.isZero() || syncTimeout.isZero()
                || backoff.isZero() || maxBackoff.compareTo(backoff) < 0 || retryDelay.isNegative()) {
            throw new IllegalArgumentException("hole-punch limits must be positive");
        }
    }

    public static HolePunchConfig defaults() {
        return new HolePunchConfig(true, 3, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(500),
                Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofHours(1), 16, false);
    }

    public static HolePunchConfig off() {
        return defaults().withEnabled(false);
    }

    public HolePunchConfig withEnabled(boolean on) {
        return new HolePunchConfig(on, maxAttempts, answerTimeout, dialTimeout, retryDelay, syncTimeout, backoff, maxBackoff,
                maxConcurrent, loopbackCandidates);
    }

    /** For single-host tests: loopback addresses offered and accepted. */
    public HolePunchConfig withLoopbackCandidates(boolean on) {
        return new HolePunchConfig(enabled, maxAttempts, answerTimeout, dialTimeout, retryDelay, syncTimeout, backoff, maxBackoff,
                maxConcurrent, on);
    }

    public HolePunchConfig withBackoff(Duration first, Duration max) {
        return new HolePunchConfig(enabled, maxAttempts, answerTimeout, dialTimeout, retryDelay, syncTimeout, first, max,
                maxConcurrent, loopbackCandidates);
    }
}
