package org.protoblock.p2p.gossip;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;

/**
 * The transactions a block announced to us by short ids may hold: those that recently entered the
 * mempool, left it or arrived in blocks, kept (at most {@code capacity}, the least recently added
 * forgotten first) to rebuild compact blocks. Rationale: short ids can only be matched against
 * transactions we can list, and the chain's mempool is only listed asynchronously; a competing
 * block on another branch mostly holds transactions our own branch already included, so they are
 * no longer in our mempool (Bitcoin Core keeps such an "extra transactions" pool for BIP 152).
 * A transaction forgotten here costs one fetch by position.
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

    /** Remembers {@code tx}, as the most recent (again, if it was held). */
    void add(ChainTransaction tx) {
        txs.remove(tx.id());
        txs.put(tx.id(), tx);
    }

    /** All held transactions, oldest first (a live view: not to be changed while iterated). */
    Collection<ChainTransaction> all() {
        return Collections.unmodifiableCollection(txs.values());
    }

    Optional<ChainTransaction> get(TxId id) {
        return Optional.ofNullable(txs.get(id));
    }

    int size() {
        return txs.size();
    }
}
