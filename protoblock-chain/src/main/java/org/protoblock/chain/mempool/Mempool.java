package org.protoblock.chain.mempool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.ChainState;
import org.protoblock.chain.validation.ChainStateOverlay;

/**
 * Validated transactions waiting to be included in a block, in arrival order.
 *
 * <p>Rules kept:
 * <ul>
 *   <li>Every transaction was valid against the main chain's state plus the transactions that
 *       arrived before it (a pending NAME registration reserves its name and key). So any prefix
 *       of {@link #transactions()} is a valid block body. Rationale: the producer takes a prefix
 *       without re-ordering.</li>
 *   <li>No duplicates, nothing already included in the main chain.</li>
 *   <li>At most {@code maxCount} transactions and {@code maxBytes} serialized bytes; when full, a
 *       new transaction is refused ({@link Rule#MEMPOOL_FULL}). Rationale: first come, first
 *       served is what the single-producer chain promises; evicting old transactions would let a
 *       flood push out honest ones.</li>
 *   <li>When the chain moves, transactions it included leave, and those whose registration
 *       dependency was dropped or taken by the chain leave with them.</li>
 * </ul>
 *
 * <p>Cost: O(1) per add plus one validation; O(block size + dropped dependants) per connected
 * block. Not thread-safe: owned by the chain executor. Persistence is the caller's job (it sees
 * every add and removal through the returned values).
 */
public final class Mempool {
    private final int maxCount;
    private final long maxBytes;
    private final TransactionCheck check;

    private final LinkedHashMap<TxId, Entry> entries = new LinkedHashMap<>();
    private ChainStateOverlay pending;
    private long bytes;
    private long nextSeq;

    /** Validation of one transaction against a state at a time (seconds). */
    @FunctionalInterface
    public interface TransactionCheck {
        Optional<NameEntry> check(ChainTransaction tx, ChainState state, long timeSeconds) throws ValidationException;
    }

    /** A pending transaction, the name it registers if any, and its arrival sequence. */
    public record Entry(ChainTransaction tx, Optional<NameEntry> registers, long arrivalSeq) {
    }

    public Mempool(int maxCount, long maxBytes, TransactionCheck check, ChainState mainState) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
        this.check = check;
        this.pending = new ChainStateOverlay(mainState);
    }

    public int size() {
        return entries.size();
    }

    public long bytes() {
        return bytes;
    }

    public boolean contains(TxId id) {
        return entries.containsKey(id);
    }

    public Optional<ChainTransaction> get(TxId id) {
        Entry entry = entries.get(id);
        return entry == null ? Optional.empty() : Optional.of(entry.tx());
    }

    /** In arrival order. */
    public List<ChainTransaction> transactions() {
        return entries.values().stream().map(Entry::tx).toList();
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public List<TxId> ids() {
        return List.copyOf(entries.keySet());
    }

    /** Validates and adds; returns the new entry. */
    public Entry add(ChainTransaction tx, long timeSeconds) throws ValidationException {
        return add(tx, timeSeconds, nextSeq);
    }

    private Entry add(ChainTransaction tx, long timeSeconds, long seq) throws ValidationException {
        if (entries.containsKey(tx.id())) {
            throw new ValidationException(Rule.ALREADY_IN_MEMPOOL, tx.id().shortHex());
        }
        if (pending.txLocation(tx.id()).isPresent()) {
            throw new ValidationException(Rule.REPLAYED, "already included in the chain");
        }
        if (entries.size() >= maxCount || bytes + tx.serializedSize() > maxBytes) {
            throw new ValidationException(Rule.MEMPOOL_FULL, entries.size() + " txs, " + bytes + " bytes");
        }
        Optional<NameEntry> registers = check.check(tx, pending, timeSeconds);
        Entry entry = new Entry(tx, registers, seq);
        entries.put(tx.id(), entry);
        registers.ifPresent(pending::addName);
        bytes += tx.serializedSize();
        nextSeq = Math.max(nextSeq, seq + 1);
        return entry;
    }

    /**
     * The main chain connected blocks: drops the transactions they included, then those that
     * conflict with names the chain registered, and their dependants. Returns what left.
     */
    public List<ChainTransaction> removeIncluded(Collection<ChainTransaction> included, Collection<NameEntry> namesRegistered,
                                                 long timeSeconds) {
        List<ChainTransaction> removed = new ArrayList<>();
        for (ChainTransaction tx : included) {
            Entry entry = entries.get(tx.id());
            if (entry != null) {
                removeEntry(entry);
                removed.add(tx);
            }
        }
        Set<String> takenNames = new HashSet<>();
        Set<String> takenKeys = new HashSet<>();
        for (NameEntry name : namesRegistered) {
            takenNames.add(name.folded());
            takenKeys.add(name.publicKey());
        }
        Set<String> lostNames = new HashSet<>();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            Optional<NameEntry> reg = entry.registers();
            if (reg.isPresent() && (takenNames.contains(reg.get().folded()) || takenKeys.contains(reg.get().publicKey()))) {
                lostNames.add(reg.get().folded());
            }
        }
        if (!lostNames.isEmpty()) {
            removed.addAll(dropRegistrationsAndDependants(lostNames, timeSeconds));
        }
        return removed;
    }

    /**
     * The chain reorganized: re-validates everything against the new state, the transactions of
     * abandoned blocks first (oldest block first), then the previous mempool in arrival order.
     * Returns the transactions that did not make it back in.
     */
    public List<ChainTransaction> rebuild(ChainState newMainState, List<ChainTransaction> returning, long timeSeconds) {
        List<Entry> previous = new ArrayList<>(entries.values());
        entries.clear();
        bytes = 0;
        pending = new ChainStateOverlay(newMainState);
        List<ChainTransaction> dropped = new ArrayList<>();
        for (ChainTransaction tx : returning) {
            tryReAdd(tx, timeSeconds, nextSeq, dropped);
        }
        for (Entry entry : previous) {
            tryReAdd(entry.tx(), timeSeconds, entry.arrivalSeq(), dropped);
        }
        return dropped;
    }

    /** Restores persisted transactions on start, re-validating each; returns those dropped. */
    public List<ChainTransaction> restore(List<ChainTransaction> persisted, List<Long> arrivalSeqs, long timeSeconds) {
        List<ChainTransaction> dropped = new ArrayList<>();
        for (int i = 0; i < persisted.size(); i++) {
            tryReAdd(persisted.get(i), timeSeconds, arrivalSeqs.get(i), dropped);
        }
        return dropped;
    }

    private void tryReAdd(ChainTransaction tx, long timeSeconds, long seq, List<ChainTransaction> dropped) {
        try {
            add(tx, timeSeconds, seq);
        } catch (ValidationException e) {
            if (e.rule() != Rule.ALREADY_IN_MEMPOOL) {
                dropped.add(tx);
            }
        }
    }

    /**
     * Drops transactions whose nonce left the acceptance window (version ≥ 4 transactions can
     * never be included once their nonce is 48 h older than the block time).
     */
    public List<ChainTransaction> expire(long nowSeconds, long maxNonceAgeSeconds) {
        long oldestNanos = (nowSeconds - maxNonceAgeSeconds) * 1_000_000_000L;
        List<ChainTransaction> removed = new ArrayList<>();
        for (Entry entry : List.copyOf(entries.values())) {
            var trans = entry.tx().proto().getTrans();
            if (trans.getVersion() >= 4 && trans.hasNonce() && Long.compareUnsigned(trans.getNonce(), oldestNanos) < 0
                    && entry.registers().isEmpty()) {
                removeEntry(entry);
                removed.add(entry.tx());
            }
        }
        return removed;
    }

    /**
     * Drops pending registrations of {@code lostNames}, then re-checks the transactions signed by
     * those names: they stay only if the name is still registered to the key that signed them.
     */
    private List<ChainTransaction> dropRegistrationsAndDependants(Set<String> lostNames, long timeSeconds) {
        List<ChainTransaction> removed = new ArrayList<>();
        List<Entry> dependants = new ArrayList<>();
        for (Entry entry : List.copyOf(entries.values())) {
            if (entry.registers().filter(r -> lostNames.contains(r.folded())).isPresent()) {
                removeEntry(entry);
                removed.add(entry.tx());
            } else if (entry.registers().isEmpty() && lostNames.contains(NameEntry.fold(entry.tx().fantasyName()))) {
                dependants.add(entry);
            }
        }
        for (Entry entry : dependants) {
            try {
                check.check(entry.tx(), pending, timeSeconds);
            } catch (ValidationException e) {
                removeEntry(entry);
                removed.add(entry.tx());
            }
        }
        return removed;
    }

    private void removeEntry(Entry entry) {
        entries.remove(entry.tx().id());
        entry.registers().ifPresent(pending::removeName);
        bytes -= entry.tx().serializedSize();
    }

    /** Consistency check for tests. */
    public List<String> sanityCheck() {
        List<String> problems = new ArrayList<>();
        long sum = 0;
        for (Map.Entry<TxId, Entry> e : entries.entrySet()) {
            sum += e.getValue().tx().serializedSize();
            if (!e.getKey().equals(e.getValue().tx().id())) {
                problems.add("key/id mismatch " + e.getKey());
            }
        }
        if (sum != bytes) {
            problems.add("bytes " + bytes + " != sum " + sum);
        }
        if (entries.size() > maxCount || bytes > maxBytes) {
            problems.add("over bounds");
        }
        return problems;
    }
}
