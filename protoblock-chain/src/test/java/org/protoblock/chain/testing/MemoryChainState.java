package org.protoblock.chain.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.store.TxLocation;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.validation.ChainState;

/** A mutable in-memory {@link ChainState} for tests: apply blocks' effects in order. */
public final class MemoryChainState implements ChainState {
    private final Map<String, NameEntry> names = new HashMap<>();
    private final Map<String, String> keys = new HashMap<>();
    private final Map<TxId, TxLocation> txs = new HashMap<>();

    /** Records the block's names (as returned by TransactionValidator.validateBlock) and transactions. */
    public MemoryChainState apply(ChainBlock block, List<NameEntry> registered) {
        registered.forEach(this::addName);
        for (int i = 0; i < block.transactions().size(); i++) {
            txs.put(block.transactions().get(i).id(), new TxLocation(block.id(), block.num(), i, block.header().getTimestamp()));
        }
        return this;
    }

    public MemoryChainState addName(NameEntry entry) {
        names.put(entry.folded(), entry);
        keys.put(entry.publicKey(), entry.folded());
        return this;
    }

    @Override
    public Optional<NameEntry> name(String foldedName) {
        return Optional.ofNullable(names.get(foldedName));
    }

    @Override
    public Optional<String> nameOfKey(String publicKey) {
        return Optional.ofNullable(keys.get(publicKey));
    }

    @Override
    public Optional<TxLocation> txLocation(TxId id) {
        return Optional.ofNullable(txs.get(id));
    }
}
