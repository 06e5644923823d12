package org.protoblock.p2p.peer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.protoblock.p2p.discovery.AddressGroup;
import org.protoblock.p2p.identity.NodeId;

/**
 * Which inbound peer to drop when inbound slots are full (Bitcoin Core's protection classes,
 * simplified). Pure: same input, same answer.
 *
 * <p>Rules, in order; each protects peers from the ones still unprotected:
 * <ol>
 *   <li>Exempt peers (operator-added) are never candidates.</li>
 *   <li>{@link #PROTECT_BY_GROUP} peers of distinct groups, the groups ranked by a keyed hash.
 *       Rationale: an attacker cannot choose which groups are safe, so holding many groups gains
 *       it nothing, and our inbound stays diverse.</li>
 *   <li>{@link #PROTECT_BY_LATENCY} lowest ping (unknown latency ranks last). Rationale: an attacker
 *       would have to be close to us in the network.</li>
 *   <li>{@link #PROTECT_BY_USEFUL} most recently useful (announced blocks or transactions).
 *       Rationale: peers that bring us data are worth keeping; fakes would need to send real data.</li>
 *   <li>Half of the rest by longest uptime. Rationale: an attacker cannot fake having been here.</li>
 *   <li>Of what is left, the group with the most peers (ties: the group with the youngest peer) loses
 *       its youngest peer. Rationale: a group that floods us pays, and the newest link is the cheapest
 *       to lose.</li>
 * </ol>
 * Empty when every peer is protected: then the newcomer itself should go.
 */
public final class EvictionSelector {
    public static final int PROTECT_BY_GROUP = 4;
    public static final int PROTECT_BY_LATENCY = 8;
    public static final int PROTECT_BY_USEFUL = 4;

    private EvictionSelector() {
    }

    public static Optional<NodeId> select(List<EvictionCandidate> peers, long groupKey) {
        List<EvictionCandidate> left = new ArrayList<>();
        peers.stream().filter(p -> !p.exempt()).forEach(left::add);
        // Stable base order (oldest first, then id) so every later sort is deterministic.
        left.sort(Comparator.comparing(EvictionCandidate::connectedAt).thenComparing(EvictionCandidate::nodeId));

        List<EvictionCandidate> byGroup = new ArrayList<>(left);
        byGroup.sort(Comparator.comparingLong((EvictionCandidate p) -> keyed(p.group(), groupKey)));
        Set<AddressGroup> seenGroups = new HashSet<>();
        List<EvictionCandidate> protectedByGroup = new ArrayList<>();
        for (EvictionCandidate p : byGroup) {
            if (protectedByGroup.size() == PROTECT_BY_GROUP) {
                break;
            }
            if (seenGroups.add(p.group())) {
                protectedByGroup.add(p);
            }
        }
        left.removeAll(protectedByGroup);

        protect(left, Comparator.comparing((EvictionCandidate p) -> p.latency().orElse(Duration.ofDays(1))), PROTECT_BY_LATENCY);
        protect(left, Comparator.comparing((EvictionCandidate p) -> p.lastUseful().orElse(Instant.MIN)).reversed(), PROTECT_BY_USEFUL);
        protect(left, Comparator.comparing(EvictionCandidate::connectedAt), left.size() / 2);
        if (left.isEmpty()) {
            return Optional.empty();
        }

        Map<AddressGroup, List<EvictionCandidate>> groups = new HashMap<>();
        left.forEach(p -> groups.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(p));
        Comparator<List<EvictionCandidate>> worst = Comparator.comparingInt((List<EvictionCandidate> g) -> g.size())
                .thenComparing(EvictionSelector::youngest, Comparator.comparing(EvictionCandidate::connectedAt)
                        .thenComparing(EvictionCandidate::nodeId));
        List<EvictionCandidate> loser = groups.values().stream().max(worst).orElseThrow();
        return Optional.of(youngest(loser).nodeId());
    }

    private static EvictionCandidate youngest(List<EvictionCandidate> group) {
        return group.stream().max(Comparator.comparing(EvictionCandidate::connectedAt)
                .thenComparing(EvictionCandidate::nodeId)).orElseThrow();
    }

    /** Removes the first {@code count} of {@code left} in {@code order} (they are protected). */
    private static void protect(List<EvictionCandidate> left, Comparator<EvictionCandidate> order, int count) {
        List<EvictionCandidate> sorted = new ArrayList<>(left);
        sorted.sort(order);
        left.removeAll(sorted.subList(0, Math.min(count, sorted.size())));
    }

    private static long keyed(AddressGroup group, long key) {
        long z = key ^ (group.key().hashCode() * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
