package org.protoblock.chain.validation;

import java.util.Optional;
import org.protoblock.chain.store.ChainStore;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.store.TxLocation;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.validation.ChainState;

/** The main chain's state as last written to the store. */
public final class StoreChainState implements ChainState {
    private final ChainStore store;

    public StoreChainState(ChainStore store) {
        this.store = store;
    }

    @Override
    public Optional<NameEntry> name(String foldedName) {
        return store.name(foldedName);
    }

    @Override
    public Optional<String> nameOfKey(String publicKey) {
        return store.nameOfKey(publicKey);
    }

    @Override
    public Optional<TxLocation> txLocation(TxId id) {
        return store.txLocation(id);
    }
}
