package org.protoblock.node.faults;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.protoblock.chain.store.RocksDbChainStore;
import org.protoblock.chain.store.StoreConsistency;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.TxId;

/**
 * Opens a node's chain store while the node is down, as the node would after a restart, and runs
 * the chain's {@link StoreConsistency} check; optionally lists which transactions are not on its
 * main chain (not in the tx index).
 *
 * @param violations what {@link StoreConsistency} found (empty: consistent)
 * @param head       the stored head
 * @param missing    of the ids asked about, those not on the main chain
 */
public record StoreAudit(List<String> violations, Optional<ChainHead> head, List<TxId> missing) {

    public static StoreAudit of(Path storeDir, Collection<TxId> mustBeIncluded) {
        try (RocksDbChainStore store = RocksDbChainStore.open(storeDir)) {
            List<String> violations = StoreConsistency.check(store);
            List<TxId> missing = mustBeIncluded.stream().filter(id -> store.txLocation(id).isEmpty()).sorted().toList();
            return new StoreAudit(violations, store.head(), missing);
        }
    }

    public boolean consistent() {
        return violations.isEmpty();
    }

    public int height() {
        return head.map(ChainHead::num).orElse(-1);
    }
}
