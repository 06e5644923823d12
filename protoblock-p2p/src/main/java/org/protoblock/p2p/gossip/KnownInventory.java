package org.protoblock.p2p.gossip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per peer, the ids (transactions or blocks) the peer is known to have: it announced them, sent
 * them, or we announced or sent them to it. Gossip announces an id only to peers lacking it.
 *
 * <p>Rules:
 * <ul>
 *   <li>Never send a peer what it announced: every id a peer announces or sends is marked known
 *       for it before anything is relayed. Rationale: echoing an announcement back doubles the
 *       traffic of every link for nothing.</li>
 *   <li>Bounded: at most {@code capacityPerPeer} ids per peer, oldest forgotten first
 *       ({@link BoundedIdSet}). Rationale: a forgotten id costs at most one redundant
 *       announcement, which the peer ignores; an unbounded set is a memory lever for the peer.</li>
 *   <li>A peer's set exists from {@link #addPeer} to {@link #removePeer}; marks for an absent peer
 *       are ignored. Rationale: no per-session state survives {@code disconnected}.</li>
 *   <li>{@link #forgetEverywhere} drops an id from every peer: after a reorg a peer that "knew" a
 *       transaction may have lost it from its mempool, so it must be announced again.</li>
 * </ul>
 *
 * <p>Memory: O(peers × capacityPerPeer). Not thread-safe: owned by the gossip executor.
 */
public final class KnownInventory<P, K> {
    private final int capacityPerPeer;
    private final Map<P, BoundedIdSet<K>> byPeer = new HashMap<>();

    public KnownInventory(int capacityPerPeer) {
        if (capacityPerPeer < 1) {
            throw new IllegalArgumentException("capacityPerPeer < 1");
        }
        this.capacityPerPeer = capacityPerPeer;
    }

    public void addPeer(P peer) {
        byPeer.putIfAbsent(peer, new BoundedIdSet<>(capacityPerPeer));
    }

    public void removePeer(P peer) {
        byPeer.remove(peer);
    }

    public Set<P> peers() {
        return Set.copyOf(byPeer.keySet());
    }

    /** Records that {@code peer} has {@code id}; ignored for a peer not added. */
    public void markKnown(P peer, K id) {
        BoundedIdSet<K> known = byPeer.get(peer);
        if (known != null) {
            known.add(id);
        }
    }

    public boolean isKnown(P peer, K id) {
        BoundedIdSet<K> known = byPeer.get(peer);
        return known != null && known.contains(id);
    }

    /** The peers not known to have {@code id}. */
    public List<P> peersLacking(K id) {
        List<P> lacking = new ArrayList<>();
        byPeer.forEach((peer, known) -> {
            if (!known.contains(id)) {
                lacking.add(peer);
            }
        });
        return lacking;
    }

    public void forgetEverywhere(K id) {
        byPeer.values().forEach(known -> known.remove(id));
    }

    public int knownCount(P peer) {
        BoundedIdSet<K> known = byPeer.get(peer);
        return known == null ? 0 : known.size();
    }

    /** Consistency check for tests: every set within its bound. */
    public List<String> sanityCheck() {
        List<String> problems = new ArrayList<>();
        byPeer.forEach((peer, known) -> {
            if (known.size() > capacityPerPeer) {
                problems.add("peer " + peer + " knows " + known.size() + " > " + capacityPerPeer);
            }
        });
        return problems;
    }
}
