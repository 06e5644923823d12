package org.protoblock.chain.validation;

import java.util.Optional;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.store.TxLocation;
import org.protoblock.chain.types.TxId;

/**
 * The chain state a transaction is validated against: the name registry and the transactions
 * already included (replay protection). Implemented by the store (the main chain as applied) and
 * by overlays that add the effects of a block's earlier transactions or of the mempool.
 */
public interface ChainState {

    /** By case-folded name. */
    Optional<NameEntry> name(String foldedName);

    /** The case-folded name registered to this base58 public key. */
    Optional<String> nameOfKey(String publicKey);

    /** Where the transaction was included, if it was. */
    Optional<TxLocation> txLocation(TxId id);

    /** No names, no transactions: the state before genesis. */
    static ChainState empty() {
        return EmptyChainState.INSTANCE;
    }
}

/** The state before genesis. */
enum EmptyChainState implements ChainState {
    INSTANCE;

    @Override
    public Optional<NameEntry> name(String foldedName) {
        return Optional.empty();
    }

    @Override
    public Optional<String> nameOfKey(String publicKey) {
        return Optional.empty();
    }

    @Override
    public Optional<TxLocation> txLocation(TxId id) {
        return Optional.empty();
    }
}
