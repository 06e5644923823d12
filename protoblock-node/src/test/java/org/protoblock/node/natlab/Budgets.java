package org.protoblock.node.natlab;

import java.time.Duration;
import java.time.Instant;

/** Deadlines counted from an event ("within 30 s of its RPC"), for Awaitility's atMost. */
final class Budgets {
    private Budgets() {
    }

    /** What is left of {@code budget} counted from {@code start} (at least a moment, for one last check). */
    static Duration remaining(Instant start, Duration budget) {
        Duration left = Duration.between(Instant.now(), start.plus(budget));
        return left.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : left;
    }
}
