package org.protoblock.p2p.transport;

/**
 * One direction of a simulated link as a pure schedule (no I/O, no clock of its own): a message
 * starts on the wire when the link finished the previous one (or now, if idle), takes
 * {@code size / bandwidth} to send, and arrives {@code latency} after its last byte left.
 *
 * <p>Rules: arrival times never decrease (first in, first out, like a TCP stream); an idle link
 * delivers after exactly latency + transfer time. Rationale: a queue of bytes behind a bottleneck
 * is what makes a large block delay the messages behind it.
 *
 * <p>Threads: not thread-safe; owned by its link's event loop.
 */
final class TransmissionSchedule {
    private final long latencyNanos;
    private final LinkProfile profile;
    /** When the link has sent everything accepted so far. */
    private long wireFreeAt = Long.MIN_VALUE;

    TransmissionSchedule(LinkProfile profile) {
        this.profile = profile;
        this.latencyNanos = profile.latency().toNanos();
    }

    /** Accepts {@code bytes} at {@code nowNanos}; returns when they arrive at the other end. */
    long arrival(long nowNanos, long bytes) {
        long start = Math.max(nowNanos, wireFreeAt);
        wireFreeAt = start + profile.transferNanos(bytes);
        return wireFreeAt + latencyNanos;
    }
}
