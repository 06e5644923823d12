package org.protoblock.node.sp;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per remote host: {@code ratePerSecond} requests a second on average, bursts of
 * up to {@code burst}. Remembers at most {@code maxHosts} hosts, forgetting the least recently seen
 * (a forgotten host starts again with a full bucket, which only costs one burst).
 *
 * <p>Threads: any; methods are synchronized (one short critical section per request).
 */
public final class HostRateLimiter {
    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<InetAddress, Bucket> buckets;

    public HostRateLimiter(double ratePerSecond, int burst, int maxHosts, LongSupplier nanoClock) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > maxHosts;
            }
        };
    }

    /** Takes one token of {@code host}'s bucket; false when it is empty. */
    public synchronized boolean tryAcquire(InetAddress host) {
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(host, h -> new Bucket(burst, now));
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * ratePerNano);
        bucket.at = now;
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    synchronized int hosts() {
        return buckets.size();
    }
}
