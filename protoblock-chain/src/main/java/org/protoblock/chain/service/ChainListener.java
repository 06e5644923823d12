package org.protoblock.chain.service;

import java.util.List;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;

/**
 * Chain events, for gossip, API subscribers and metrics. Called on the chain executor thread, in
 * order: implementations must return quickly and hand any real work to their own executor.
 */
public interface ChainListener {

    /** The main chain moved (possibly through a reorg). */
    default void onHeadChanged(AddOutcome outcome) {
    }

    /** A valid block was stored, on the main chain or a side branch (for relaying). */
    default void onBlockAccepted(ChainBlock block, AddOutcome outcome) {
    }

    /** A transaction entered the mempool. */
    default void onTransactionAccepted(ChainTransaction tx) {
    }

    /** Transactions left the mempool (included, conflicting, expired). */
    default void onTransactionsRemoved(List<ChainTransaction> txs, RemovalReason reason) {
    }

    /** Why transactions left the mempool. */
    enum RemovalReason {
        INCLUDED,
        CONFLICT,
        EXPIRED,
        REORG
    }
}
