package org.protoblock.p2p.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Requests waiting for one serving thread, queued per peer and taken round-robin over the peers
 * that have any: a peer that floods GetBlocks delays another peer's GetHeaders by at most one of
 * its requests, not by its whole backlog.
 *
 * <p>Rules:
 * <ul>
 *   <li>At most {@code maxTotal} items wait; one peer at most {@code maxPerPeer} (both given with
 *       each offer, so the owner's live settings apply). An offer beyond either is refused (the caller answers BUSY). Rationale: without the per-peer cap one peer
 *       could fill the shared queue and get every other peer refused.</li>
 *   <li>{@link #poll} takes the oldest item of the peer whose turn it is, then moves that peer to
 *       the back of the turn order (if it has more) or drops it from the order (if not).</li>
 * </ul>
 * Costs: O(1) per offer and poll; memory O(items + peers with items).
 *
 * <p>Threads: not thread-safe; the owner guards it with one lock.
 *
 * @param <K> the peer (compared by equals)
 * @param <T> a queued item
 */
final class FairServeQueue<K, T> {
    private final Map<K, Deque<T>> queues = new HashMap<>();
    /** Peers with at least one item, in turn order. */
    private final Deque<K> turns = new ArrayDeque<>();
    private int size;

    /** Queues {@code item} for {@code peer}; false (nothing queued) when a bound is reached. */
    boolean offer(K peer, T item, int maxTotal, int maxPerPeer) {
        Deque<T> queue = queues.get(peer);
        if (size >= maxTotal || (queue != null && queue.size() >= maxPerPeer)) {
            return false;
        }
        if (queue == null) {
            queue = new ArrayDeque<>();
            queues.put(peer, queue);
            turns.addLast(peer);
        }
        queue.addLast(item);
        size++;
        return true;
    }

    /** The next item in round-robin order over peers; empty when nothing waits. */
    Optional<T> poll() {
        K peer = turns.pollFirst();
        if (peer == null) {
            return Optional.empty();
        }
        Deque<T> queue = queues.get(peer);
        T item = queue.pollFirst();
        size--;
        if (queue.isEmpty()) {
            queues.remove(peer);
        } else {
            turns.addLast(peer);
        }
        return Optional.of(item);
    }

    int size() {
        return size;
    }

    /** Problems with the invariants (turn order = peers with items, sizes add up); empty when consistent. */
    List<String> sanityCheck() {
        List<String> problems = new ArrayList<>();
        int total = queues.values().stream().mapToInt(Deque::size).sum();
        if (total != size) {
            problems.add("size " + size + " but " + total + " queued");
        }
        if (turns.size() != queues.size() || !queues.keySet().containsAll(turns)) {
            problems.add("turn order does not match the peers with items");
        }
        queues.forEach((k, q) -> {
            if (q.isEmpty()) {
                problems.add("peer " + k + " has " + q.size() + " items");
            }
        });
        return problems;
    }
}
