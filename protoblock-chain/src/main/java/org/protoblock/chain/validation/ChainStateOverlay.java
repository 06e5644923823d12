package org.protoblock.chain.validation;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.store.TxLocation;
import org.protoblock.chain.types.TxId;

/**
 * A {@link ChainState} plus pending additions: the names and transactions of a block's earlier
 * transactions while its later ones are validated, or of the mempool. Additions shadow the base;
 * the mempool also withdraws the additions of transactions that leave it. Not thread-safe; bounded
 * by what its owner adds (one block, or the mempool's own bound).
 */
public final class ChainStateOverlay implements ChainState {
    private final ChainState base;
    private final Map<String, NameEntry> names = new HashMap<>();
    private final Map<String, String> nameByKey = new HashMap<>();
    private final Map<TxId, TxLocation> txs = new HashMap<>();

    public ChainStateOverlay(ChainState base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    /** Withdraws a name added here (the base is never changed). */
    public void removeName(NameEntry entry) {
        names.remove(entry.folded());
        nameByKey.remove(entry.publicKey());
    }

    public void addName(NameEntry entry) {
        names.put(entry.folded(), entry);
        nameByKey.put(entry.publicKey(), entry.folded());
    }

    public void addTx(TxId id, TxLocation location) {
        txs.put(id, location);
    }

    @Override
    public Optional<NameEntry> name(String foldedName) {
        NameEntry entry = names.get(foldedName);
        return entry != null ? Optional.of(entry) : base.name(foldedName);
    }

    @Override
    public Optional<String> nameOfKey(String publicKey) {
        String name = nameByKey.get(publicKey);
        return name != null ? Optional.of(name) : base.nameOfKey(publicKey);
    }

    @Override
    public Optional<TxLocation> txLocation(TxId id) {
        TxLocation location = txs.get(id);
        return location != null ? Optional.of(location) : base.txLocation(id);
    }
}
