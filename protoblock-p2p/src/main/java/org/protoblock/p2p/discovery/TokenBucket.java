package org.protoblock.p2p.discovery;

/**
 * A token bucket: holds at most {@code capacity} tokens, refilled at {@code refillPerSecond}; each
 * admitted item takes one. Time is passed in (monotonic nanoseconds) so tests drive it. Not
 * thread-safe: guard it with the state it belongs to.
 */
public final class TokenBucket {
    private final double capacity;
    private final double refillPerNano;
    private double tokens;
    private long lastNanos;

    /** Starts full. */
    public TokenBucket(double capacity, double refillPerSecond, long nowNanos) {
        if (capacity < 1 || refillPerSecond < 0) {
            throw new IllegalArgumentException("capacity must be ≥ 1 and refill ≥ 0");
        }
        this.capacity = capacity;
        this.refillPerNano = refillPerSecond / 1e9;
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowNanos) {
        return take(1, nowNanos) == 1;
    }

    /** Takes up to {@code wanted} whole tokens; returns how many it took (the rest is over the limit). */
    public int take(int wanted, long nowNanos) {
        refill(nowNanos);
        int granted = (int) Math.min(wanted, Math.floor(tokens));
        if (granted > 0) {
            tokens -= granted;
        }
        return Math.max(granted, 0);
    }

    /** Adds tokens beyond the refill (up to capacity), e.g. when we asked the peer for data. */
    public void credit(double amount, long nowNanos) {
        refill(nowNanos);
        tokens = Math.min(capacity, tokens + amount);
    }

    public double available(long nowNanos) {
        refill(nowNanos);
        return tokens;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * refillPerNano);
            lastNanos = nowNanos;
        }
    }
}
