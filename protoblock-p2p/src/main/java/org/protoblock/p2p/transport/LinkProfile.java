package org.protoblock.p2p.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * What a simulated link does to bytes, the same both ways: each direction delivers a message
 * {@code latency} after its last byte left, and sends at most {@code bytesPerSecond} (0: no limit).
 */
public record LinkProfile(Duration latency, long bytesPerSecond) {
    public LinkProfile {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative() || bytesPerSecond < 0) {
            throw new IllegalArgumentException("bad link profile: " + latency + ", " + bytesPerSecond + " B/s");
        }
    }

    /** Nanoseconds to put {@code bytes} on the link (0 without a bandwidth limit). */
    public long transferNanos(long bytes) {
        return bytesPerSecond == 0 ? 0 : (long) Math.ceil(bytes * 1e9 / bytesPerSecond);
    }
}
