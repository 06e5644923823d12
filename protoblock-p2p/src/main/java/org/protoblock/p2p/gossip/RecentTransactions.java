package org.protoblock.p2p.gossip;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;

/**
 * Transactions that recently left the mempool or arrived in blocks, kept (at most
 * {@code capacity}, oldest forgotten first) to rebuild compact blocks. Rationale: a competing
 * block on another branch mostly holds transactions our own branch already included, so they are
 * no longer in our mempool (Bitcoin Core keeps such an "extra transactions" pool for BIP 152).
 * Not thread-safe: owned by the block gossip executor.
 */
final class RecentTransactions {
    private final Map<TxId, ChainTransaction> txs;

    RecentTransactions(int capacity) {
        this.txs = new LinkedHashMap<>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<TxId, ChainTransaction> eldest) {
                return size() > capacity;
            }
        };
    }

    void add(ChainTransaction tx) {
        txs.put(tx.id(), tx);
    }

    Optional<ChainTransaction> get(TxId id) {
        return Optional.ofNullable(txs.get(id));
    }

    int size() {
        return txs.size();
    }
}
