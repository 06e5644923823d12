package org.protoblock.p2p.host;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.protoblock.p2p.session.Direction;

/**
 * Who may start a handshake, decided at accept before any crypto (Bitcoin Core's connection
 * limits; libp2p's resource manager scopes).
 *
 * <p>Rules, checked in this order for an inbound link (the first broken one refuses it):
 * <ol>
 *   <li><b>Rate per host</b>: a token bucket per remote host ({@link Inbound#host}: an IPv4 address,
 *       an IPv6 /64), {@code burst} tokens refilled at {@code perSecond}; each accept takes one.
 *       Rationale: a host that opens and drops links in a loop costs a Noise responder key pair
 *       each time; an honest peer connects a few times a minute.</li>
 *   <li><b>Total</b>: at most {@code maxPending} handshakes in progress. Outbound handshakes count
 *       but are never refused: our own dials keep working during an inbound flood.</li>
 *   <li><b>Per host</b>: at most {@code maxPendingPerHost} inbound handshakes from one host.</li>
 *   <li><b>Per group</b>: at most {@code maxPendingPerGroup} from one address group
 *       ({@link Inbound#group}: a /16 IPv4, a /32 IPv6). Rationale: hosts are cheap inside one
 *       provider's range; with this cap, filling every slot takes many groups.</li>
 * </ol>
 * A link that is not {@link Inbound#rateLimited} (the single-host test network on 127.0/16 and
 * ::1, in-process links) skips the rate rule only.
 *
 * <p>Bounds: pending counts per host and per group hold at most {@code maxPending} entries each;
 * rate state at most {@link #MAX_HOSTS} hosts, the least recently seen forgotten first (a forgotten
 * host starts again with a full bucket: one burst more). O(1) per accept.
 *
 * <p>Threads: any (accepts on I/O threads, settlements on links' event loops); one lock, held only
 * for these map updates.
 */
final class HandshakeSlots {
    static final int MAX_HOSTS = 4_096;

    /** Where an inbound link comes from, as the rules count it. */
    record Inbound(String host, String group, boolean rateLimited) {
    }

    private final int maxPending;
    private final int maxPendingPerHost;
    private final int maxPendingPerGroup;
    /** Accepts a host may make at once, and the nanoseconds that earn one more. */
    private final long burst;
    private final long nanosPerAccept;
    private int pending;
    private final Map<String, Integer> pendingByHost = new HashMap<>();
    private final Map<String, Integer> pendingByGroup = new HashMap<>();
    /** Per host, when its bucket is full again (GCRA: a token bucket as one timestamp). */
    private final Map<String, long[]> fullAt = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_HOSTS;
        }
    };

    HandshakeSlots(P2pConfig config) {
        this.maxPending = config.maxPendingHandshakes();
        this.maxPendingPerHost = config.maxPendingHandshakesPerHost();
        this.maxPendingPerGroup = config.maxPendingHandshakesPerGroup();
        this.burst = config.acceptRate().burst();
        // Capped so that burst × interval cannot overflow (a zero rate: a burst per ~70 years).
        double nanos = 1e9 / config.acceptRate().perSecond();
        this.nanosPerAccept = (long) Math.min(nanos, Long.MAX_VALUE / 4.0 / burst);
    }

    /** Takes a slot, or says which rule refused it. {@code inbound}: where an inbound link comes from, if known. */
    synchronized Optional<String> tryStart(Direction direction, Optional<Inbound> inbound, long nowNanos) {
        if (direction == Direction.OUTBOUND) {
            pending++;
            return Optional.empty();
        }
        if (inbound.isPresent() && inbound.get().rateLimited() && !takeToken(inbound.get().host(), nowNanos)) {
            return Optional.of("accept rate of " + inbound.get().host());
        }
        if (pending >= maxPending) {
            return Optional.of(maxPending + " handshakes in progress");
        }
        if (inbound.isPresent()) {
            Inbound from = inbound.get();
            if (pendingByHost.getOrDefault(from.host(), 0) >= maxPendingPerHost) {
                return Optional.of(maxPendingPerHost + " handshakes in progress from " + from.host());
            }
            if (pendingByGroup.getOrDefault(from.group(), 0) >= maxPendingPerGroup) {
                return Optional.of(maxPendingPerGroup + " handshakes in progress from group " + from.group());
            }
            pendingByHost.merge(from.host(), 1, Integer::sum);
            pendingByGroup.merge(from.group(), 1, Integer::sum);
        }
        pending++;
        return Optional.empty();
    }

    /** Gives back the slot {@link #tryStart} took. */
    synchronized void settled(Optional<Inbound> inbound) {
        pending--;
        inbound.ifPresent(from -> {
            pendingByHost.computeIfPresent(from.host(), (k, n) -> n <= 1 ? null : n - 1);
            pendingByGroup.computeIfPresent(from.group(), (k, n) -> n <= 1 ? null : n - 1);
        });
    }

    synchronized int pending() {
        return pending;
    }

    /**
     * One token of {@code host}'s bucket: the bucket is full at {@code fullAt}, each accept pushes
     * that one interval later, and an accept that would push it beyond {@code burst} intervals
     * ahead of now is refused.
     */
    private boolean takeToken(String host, long nowNanos) {
        long[] full = fullAt.computeIfAbsent(host, h -> new long[] {nowNanos});
        long start = Math.max(full[0], nowNanos);
        if (start - nowNanos > (burst - 1) * nanosPerAccept) {
            return false;
        }
        full[0] = start + nanosPerAccept;
        return true;
    }
}
