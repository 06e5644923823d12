package org.protoblock.p2p.gossip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.protoblock.chain.types.TxId;

/**
 * One link's short ids of the transactions we recently had (accepted, or received to validate):
 * what turns the short ids the peer announces or asks for back into transaction ids.
 *
 * <p>Rules:
 * <ul>
 *   <li>A short id resolves only to the one transaction we hold under it; a short id two of our
 *       transactions share is ambiguous and resolves to nothing until both are forgotten.
 *       Rationale: requests must be unambiguous; an ambiguous announcement is treated as unknown
 *       (at worst one redundant fetch), and we announce such transactions by their full id.</li>
 *   <li>Bounded: at most {@code capacity} transactions, oldest forgotten first. Rationale: peers
 *       announce and ask for a transaction within seconds of its arrival; a forgotten one costs
 *       one fetch by short id (answered "not found") or one redundant body.</li>
 * </ul>
 *
 * <p>Memory O(capacity). Threads: not thread-safe; owned by the gossip executor.
 */
final class ShortIdTable {
    private final ToLongFunction<TxId> shortIds;
    private final int capacity;
    /** Transactions in arrival order (eviction), with their short id. */
    private final LinkedHashMap<TxId, Long> byTx = new LinkedHashMap<>();
    /** Short id → the transactions holding it (almost always one). */
    private final Map<Long, List<TxId>> byShortId = new HashMap<>();

    /** {@code shortIds}: the link's short id of a transaction ({@link ShortTxIds#of}). */
    ShortIdTable(ToLongFunction<TxId> shortIds, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity < 1");
        }
        this.shortIds = shortIds;
        this.capacity = capacity;
    }

    long shortId(TxId id) {
        Long known = byTx.get(id);
        return known != null ? known : shortIds.applyAsLong(id);
    }

    /** Remembers {@code id}; returns its short id. */
    long add(TxId id) {
        Long known = byTx.get(id);
        if (known != null) {
            return known;
        }
        long sid = shortIds.applyAsLong(id);
        byTx.put(id, sid);
        byShortId.computeIfAbsent(sid, k -> new ArrayList<>(1)).add(id);
        if (byTx.size() > capacity) {
            Map.Entry<TxId, Long> eldest = byTx.entrySet().iterator().next();
            byTx.remove(eldest.getKey());
            List<TxId> holders = byShortId.get(eldest.getValue());
            holders.remove(eldest.getKey());
            if (holders.isEmpty()) {
                byShortId.remove(eldest.getValue());
            }
        }
        return sid;
    }

    /** The one transaction held under {@code sid}; empty when none or several. */
    Optional<TxId> resolve(long sid) {
        List<TxId> holders = byShortId.get(sid);
        return holders != null && holders.size() == 1 ? Optional.of(holders.get(0)) : Optional.empty();
    }

    /** Whether {@code id} is held and its short id names it alone (so it may be announced by short id). */
    boolean unambiguous(TxId id) {
        Long sid = byTx.get(id);
        return sid != null && byShortId.get(sid).size() == 1;
    }

    int size() {
        return byTx.size();
    }

    /** Consistency check for tests: both indexes agree and stay within the bound. */
    List<String> sanityCheck() {
        List<String> problems = new ArrayList<>();
        if (byTx.size() > capacity) {
            problems.add("short id table holds " + byTx.size() + " > " + capacity);
        }
        int indexed = byShortId.values().stream().mapToInt(List::size).sum();
        if (indexed != byTx.size()) {
            problems.add("short id index holds " + indexed + " transactions, table " + byTx.size());
        }
        byTx.forEach((id, sid) -> {
            if (!byShortId.getOrDefault(sid, List.of()).contains(id)) {
                problems.add("transaction " + id.shortHex() + " missing from the short id index");
            }
        });
        return problems;
    }
}
