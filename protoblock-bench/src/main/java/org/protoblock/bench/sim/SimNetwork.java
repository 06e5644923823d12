package org.protoblock.bench.sim;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.protoblock.p2p.transport.LinkModel;
import org.protoblock.p2p.transport.LinkProfile;

/**
 * The simulated network: which node is which (by listen name), each link's latency and
 * bandwidth, an optional partition into two sides, and the bytes each node received off the wire
 * (Noise frames as sent, handshakes and all).
 *
 * <p>Latency of the pair (a, b) is {@code base × (1 + jitter × u)} with u in [-1, 1] fixed per
 * unordered pair, so both ends and every re-dial see the same link.
 *
 * <p>Threads: thread-safe (dials and meters run on the transport's event loops; the simulator
 * registers nodes and sets the partition from its own thread).
 */
public final class SimNetwork implements LinkModel {
    private final Duration baseLatency;
    private final double jitter;
    private final long bytesPerSecond;
    private final Map<String, Integer> indexByName = new ConcurrentHashMap<>();
    private final AtomicLongArray wireBytesIn;
    /** Side of each node while partitioned (0 or 1); empty when whole. */
    private volatile Optional<int[]> sides = Optional.empty();

    /** Room for {@code capacity} node incarnations (churn adds new ones). */
    public SimNetwork(Duration baseLatency, double jitter, long bytesPerSecond, int capacity) {
        this.baseLatency = baseLatency;
        this.jitter = jitter;
        this.bytesPerSecond = bytesPerSecond;
        this.wireBytesIn = new AtomicLongArray(capacity);
    }

    public void register(String name, int index) {
        indexByName.put(name, index);
    }

    public int capacity() {
        return wireBytesIn.length();
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** The link between nodes a and b. */
    public LinkProfile profile(int a, int b) {
        if (jitter == 0) {
            return new LinkProfile(baseLatency, bytesPerSecond);
        }
        long lo = Math.min(a, b);
        long hi = Math.max(a, b);
        long mix = (lo * 0x9E3779B97F4A7C15L) ^ (hi * 0xC2B2AE3D27D4EB4FL);
        mix ^= mix >>> 31;
        mix *= 0x94D049BB133111EBL;
        mix ^= mix >>> 29;
        double u = ((mix >>> 11) / (double) (1L << 53)) * 2 - 1;
        long nanos = Math.round(baseLatency.toNanos() * (1 + jitter * u));
        return new LinkProfile(Duration.ofNanos(Math.max(0, nanos)), bytesPerSecond);
    }

    @Override
    public Optional<LinkProfile> profile(String dialer, String listener) {
        Integer a = indexByName.get(dialer);
        Integer b = indexByName.get(listener);
        if (a == null || b == null) {
            return Optional.empty();
        }
        Optional<int[]> split = sides;
        if (split.isPresent() && split.get()[a] != split.get()[b]) {
            return Optional.empty();
        }
        return Optional.of(profile(a, b));
    }

    @Override
    public LinkMeter meter(String dialer, String listener) {
        int a = indexByName.getOrDefault(dialer, -1);
        int b = indexByName.getOrDefault(listener, -1);
        if (a < 0 || b < 0) {
            return LinkMeter.NONE;
        }
        return new LinkMeter() {
            @Override
            public void sent(int bytes) {
                wireBytesIn.addAndGet(b, bytes);
            }

            @Override
            public void received(int bytes) {
                wireBytesIn.addAndGet(a, bytes);
            }
        };
    }

    /** Splits the network: links only between nodes of the same side (sides indexed by node). */
    public void partition(int[] sideOfNode) {
        sides = Optional.of(sideOfNode.clone());
    }

    public void heal() {
        sides = Optional.empty();
    }

    public boolean sameSide(int a, int b) {
        Optional<int[]> split = sides;
        return split.isEmpty() || split.get()[a] == split.get()[b];
    }

    /** Wire bytes node {@code index} received so far. */
    public long wireBytesIn(int index) {
        return wireBytesIn.get(index);
    }
}
