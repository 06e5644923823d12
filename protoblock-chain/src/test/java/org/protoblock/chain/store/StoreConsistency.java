package org.protoblock.chain.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.TxId;

/**
 * Checks the invariants that applying blocks one batch at a time keeps in a {@link ChainStore},
 * and lists every violation (an empty list: consistent). Used after crash tests and by tests of
 * the block tree; reads the whole main chain, so it is test code (published in the chain's
 * test-jar for the node's tests), never on a node's path.
 *
 * <p>Invariants:
 * <ol>
 *   <li>Every block has its meta and every meta its block (a block is stored in one batch).</li>
 *   <li>Without a head, the main index, undo, tx index and name registry are empty.</li>
 *   <li>The main index holds exactly nums 0..head.num, and its entry at head.num is the head.</li>
 *   <li>Each main-chain entry names a stored block whose meta has that num, whose parent is the
 *       entry below it, and which has undo data.</li>
 *   <li>Every transaction of a main-chain block is indexed at its block, num and position; every
 *       tx index entry is such a transaction (nothing left by a rolled-back block).</li>
 *   <li>Undo data exists only for main-chain blocks.</li>
 *   <li>Names and name keys mirror each other; each name was registered by an indexed transaction
 *       of its num; each name a main-chain block's undo says it added is registered.</li>
 *   <li>No mempool transaction is already in the tx index (inclusion removes it in the same batch).</li>
 * </ol>
 * A record that does not decode is reported as a violation (ending the check), not thrown.
 *
 * <p>Threads: stateless; run it while no batch is being written, or on a store nobody writes.
 */
public final class StoreConsistency {

    private StoreConsistency() {
    }

    public static List<String> check(ChainStore store) {
        List<String> violations = new ArrayList<>();
        try {
            new Run(store, violations).check();
        } catch (StoreCorruptedException e) {
            violations.add(e.getMessage());
        }
        return violations;
    }

    /** One check's working state: the main chain as read from the index. */
    private static final class Run {
        private final ChainStore store;
        private final List<String> violations;
        private final Map<Integer, BlockId> mainIndex = new HashMap<>();
        private final Set<BlockId> mainIds = new HashSet<>();
        private final Set<TxId> mainTxs = new HashSet<>();

        Run(ChainStore store, List<String> violations) {
            this.store = store;
            this.violations = violations;
        }

        void check() {
            checkBlocksHaveMeta();
            store.forEach(Column.MAIN_INDEX, (key, value) ->
                    mainIndex.put(Keys.numOf(key), RecordCodec.decodeMainChainId(key, value)));
            Optional<ChainHead> head = store.head();
            if (head.isEmpty()) {
                for (Column column : List.of(Column.MAIN_INDEX, Column.UNDO, Column.TX_INDEX, Column.NAMES,
                        Column.NAME_KEYS)) {
                    store.forEach(column, (key, value) -> violations.add("no head, yet " + column.familyName()
                            + " has entries"));
                }
                return;
            }
            checkMainChain(head.get());
            checkTxIndex();
            checkUndoOnlyOnMainChain();
            checkNames();
            checkMempool();
        }

        private void checkBlocksHaveMeta() {
            Set<Hash256> blocks = new HashSet<>();
            Set<Hash256> metas = new HashSet<>();
            store.forEach(Column.BLOCKS, (key, value) -> blocks.add(Keys.hash(Column.BLOCKS, key, key)));
            store.forEach(Column.BLOCK_META, (key, value) -> metas.add(Keys.hash(Column.BLOCK_META, key, key)));
            blocks.stream().filter(id -> !metas.contains(id)).forEach(id -> violations.add("block " + id + " has no meta"));
            metas.stream().filter(id -> !blocks.contains(id)).forEach(id -> violations.add("meta " + id + " has no block"));
        }

        private void checkMainChain(ChainHead head) {
            if (!store.containsBlock(head.id())) {
                violations.add("head " + head + " is not stored");
            }
            if (!head.id().equals(mainIndex.get(head.num()))) {
                violations.add("main index at head num " + head.num() + " is " + mainIndex.get(head.num())
                        + ", not the head " + head);
            }
            mainIndex.keySet().stream().filter(num -> num > head.num()).sorted()
                    .forEach(num -> violations.add("main index has num " + num + " above head " + head));
            for (int num = 0; num <= head.num(); num++) {
                BlockId id = mainIndex.get(num);
                if (id == null) {
                    violations.add("main index has no num " + num + " (head " + head + ")");
                    continue;
                }
                mainIds.add(id);
                checkMainBlock(num, id);
            }
        }

        private void checkMainBlock(int num, BlockId id) {
            Optional<BlockMeta> meta = store.blockMeta(id);
            Optional<ChainBlock> block = store.block(id);
            if (meta.isEmpty() || block.isEmpty()) {
                violations.add("main chain " + num + "/" + id.shortHex() + " is not stored");
                return;
            }
            if (meta.get().num() != num) {
                violations.add("main chain " + num + "/" + id.shortHex() + " has meta num " + meta.get().num());
            }
            BlockId expectedParent = num == 0 ? BlockId.NONE : mainIndex.getOrDefault(num - 1, BlockId.NONE);
            if (num > 0 && !meta.get().parentId().equals(expectedParent)) {
                violations.add("main chain " + num + "/" + id.shortHex() + " has parent "
                        + meta.get().parentId().shortHex() + ", index below is " + expectedParent.shortHex());
            }
            if (store.undo(id).isEmpty()) {
                violations.add("main chain " + num + "/" + id.shortHex() + " has no undo");
            }
            List<ChainTransaction> txs = block.get().transactions();
            for (int index = 0; index < txs.size(); index++) {
                TxId tx = txs.get(index).id();
                mainTxs.add(tx);
                TxLocation expected = new TxLocation(id, num, index, block.get().header().getTimestamp());
                Optional<TxLocation> location = store.txLocation(tx);
                if (location.isEmpty()) {
                    violations.add("tx " + tx.shortHex() + " of main chain " + num + " is not indexed");
                } else if (!location.get().equals(expected)) {
                    violations.add("tx " + tx.shortHex() + " indexed at " + location.get() + ", is at " + expected);
                }
            }
        }

        private void checkTxIndex() {
            store.forEach(Column.TX_INDEX, (key, value) -> {
                TxId tx = new TxId(Keys.hash(Column.TX_INDEX, key, key));
                if (!mainTxs.contains(tx)) {
                    violations.add("tx index has " + tx.shortHex() + ", not in a main-chain block");
                }
            });
        }

        private void checkUndoOnlyOnMainChain() {
            store.forEach(Column.UNDO, (key, value) -> {
                BlockId id = new BlockId(Keys.hash(Column.UNDO, key, key));
                if (!mainIds.contains(id)) {
                    violations.add("undo for " + id.shortHex() + ", not on the main chain");
                }
            });
        }

        private void checkNames() {
            store.forEach(Column.NAMES, (key, value) -> {
                NameEntry entry = RecordCodec.decodeName(key, value);
                if (!Keys.utf8(Column.NAMES, key, key).equals(entry.folded())) {
                    violations.add("name " + entry.name() + " stored under another key");
                }
                if (!store.nameOfKey(entry.publicKey()).equals(Optional.of(entry.folded()))) {
                    violations.add("name " + entry.name() + " has no name key entry");
                }
                Optional<TxLocation> registeredAt = store.txLocation(entry.registeredBy());
                if (registeredAt.map(TxLocation::num).filter(num -> num == entry.num()).isEmpty()) {
                    violations.add("name " + entry.name() + " registered by " + entry.registeredBy().shortHex()
                            + " in " + entry.num() + ", indexed at " + registeredAt);
                }
            });
            store.forEach(Column.NAME_KEYS, (key, value) -> {
                String folded = Keys.utf8(Column.NAME_KEYS, key, value);
                String publicKey = Keys.utf8(Column.NAME_KEYS, key, key);
                if (store.name(folded).map(NameEntry::publicKey).filter(publicKey::equals).isEmpty()) {
                    violations.add("name key " + publicKey + " points to " + folded + ", not registered to it");
                }
            });
            for (BlockId id : mainIds) {
                store.undo(id).ifPresent(undo -> undo.namesAdded().forEach(entry -> {
                    if (!store.name(entry.folded()).equals(Optional.of(entry))) {
                        violations.add("name " + entry.name() + " added by " + id.shortHex() + " is not registered");
                    }
                }));
            }
        }

        private void checkMempool() {
            for (MempoolEntry entry : store.mempool()) {
                TxId id = ChainTransaction.of(entry.transaction()).id();
                if (mainTxs.contains(id)) {
                    violations.add("mempool tx " + id.shortHex() + " is already in the main chain");
                }
            }
        }
    }
}
