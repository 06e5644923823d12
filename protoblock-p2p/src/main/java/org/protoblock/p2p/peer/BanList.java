package org.protoblock.p2p.peer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.protoblock.p2p.identity.NodeId;

/**
 * Timed bans of node ids and hosts. Rules: a ban lasts until its end time and is gone after it
 * (expired bans are swept and never match); banning a banned target again keeps the later end; at
 * most {@link #MAX_BANS} bans are held, and when full the one ending soonest is dropped first
 * (it would have gone first anyway). Persistence is {@link BanManager}'s ({@link BanStore}); this class
 * only keeps the table.
 *
 * <p>Thread-safe (one lock; lookups are O(1)): bans come from event loops (misbehaviour) and the
 * node program's API.
 */
public final class BanList {
    public static final int MAX_BANS = 10_000;

    private final Clock clock;
    private final Map<BanTarget, Ban> bans = new HashMap<>();

    public BanList(Clock clock) {
        this.clock = clock;
    }

    /** Bans {@code target} for {@code duration}; returns the ban now in force. */
    public synchronized Ban ban(BanTarget target, Duration duration, String reason) {
        Instant now = clock.instant();
        Ban ban = new Ban(target, now, now.plus(duration), reason);
        Ban existing = bans.get(target);
        if (existing != null && existing.activeAt(now) && !existing.until().isBefore(ban.until())) {
            return existing;
        }
        if (existing == null && bans.size() >= MAX_BANS) {
            sweepExpired();
            if (bans.size() >= MAX_BANS) {
                bans.values().stream().min(Comparator.comparing(Ban::until)).ifPresent(b -> bans.remove(b.target()));
            }
        }
        bans.put(target, ban);
        return ban;
    }

    /** Puts back a persisted ban (if still active); returns whether it was kept. */
    public synchronized boolean restore(Ban ban) {
        if (!ban.activeAt(clock.instant()) || (bans.size() >= MAX_BANS && !bans.containsKey(ban.target()))) {
            return false;
        }
        bans.merge(ban.target(), ban, (a, b) -> a.until().isAfter(b.until()) ? a : b);
        return true;
    }

    public synchronized boolean unban(BanTarget target) {
        return bans.remove(target) != null;
    }

    public synchronized Optional<Ban> find(BanTarget target) {
        Ban ban = bans.get(target);
        return ban != null && ban.activeAt(clock.instant()) ? Optional.of(ban) : Optional.empty();
    }

    public boolean isBanned(BanTarget target) {
        return find(target).isPresent();
    }

    public boolean isBanned(NodeId node) {
        return isBanned(BanTarget.node(node));
    }

    /** The host, or (IPv6) the /64 it is in, is banned. */
    public boolean isHostBanned(String host) {
        return isBanned(BanTarget.host(host)) || BanTarget.ipv6Subnet(host).map(this::isBanned).orElse(false);
    }

    /** Active bans, soonest to end first. */
    public synchronized List<Ban> list() {
        Instant now = clock.instant();
        List<Ban> out = new ArrayList<>();
        for (Ban b : bans.values()) {
            if (b.activeAt(now)) {
                out.add(b);
            }
        }
        out.sort(Comparator.comparing(Ban::until).thenComparing(b -> b.target().text()));
        return out;
    }

    /** Removes and returns the bans that ended. */
    public synchronized List<Ban> sweepExpired() {
        Instant now = clock.instant();
        List<Ban> expired = new ArrayList<>();
        bans.values().removeIf(b -> {
            if (!b.activeAt(now)) {
                expired.add(b);
                return true;
            }
            return false;
        });
        return expired;
    }

    public synchronized List<Ban> clear() {
        List<Ban> all = new ArrayList<>(bans.values());
        bans.clear();
        return all;
    }

    public synchronized int size() {
        return bans.size();
    }
}
