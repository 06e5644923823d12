package org.protoblock.node.wallet;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Version-4 nonces: nanoseconds since the epoch (the chain checks them against the block time),
 * strictly increasing per source so two transactions made in the same nanosecond still get
 * different ids. Thread-safe.
 */
public final class NonceSource {
    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    public NonceSource(Clock clock) {
        this.clock = clock;
    }

    public static NonceSource system() {
        return new NonceSource(Clock.systemUTC());
    }

    public long next() {
        java.time.Instant now = clock.instant();
        long nanos = Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L) + now.getNano();
        return last.updateAndGet(prev -> Math.max(prev + 1, nanos));
    }
}
