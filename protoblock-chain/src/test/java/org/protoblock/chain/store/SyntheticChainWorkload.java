package org.protoblock.chain.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;

/**
 * Mimics block application with small unsigned blocks: each step is one batch storing the next
 * main-chain block with its meta, main index entry, undo, tx index entries, the names it registers
 * and the new head; it also takes the block's transactions out of the mempool and puts new ones in
 * (included by the next block), and every few blocks stores a side-branch sibling that never joins
 * the main chain. Deterministic in (seed, num), so a resumed run continues the same chain.
 */
public final class SyntheticChainWorkload implements CrashWorkload {
    private long seed;
    private ChainHead head;
    private List<ChainTransaction> pending = List.of();
    private long arrivalSeq;

    @Override
    public void resume(ChainStore store, long seed) {
        this.seed = seed;
        this.head = store.head().orElse(null);
        this.pending = store.mempool().stream().map(e -> ChainTransaction.of(e.transaction())).toList();
        List<Long> seqs = new ArrayList<>();
        store.forEachBlockMeta(meta -> seqs.add(meta.arrivalSeq()));
        this.arrivalSeq = seqs.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    @Override
    public int applyNext(ChainStore store) {
        int num = head == null ? 0 : head.num() + 1;
        BlockId parent = head == null ? BlockId.NONE : head.id();
        Random random = new Random(seed * 1_000_003L + num);
        int timestamp = 1_700_000_000 + num;

        List<ChainTransaction> txs = new ArrayList<>(pending);
        List<NameEntry> names = new ArrayList<>();
        int nameCount = random.nextInt(3);
        for (int i = 0; i < nameCount; i++) {
            String name = "User" + num + "x" + i;
            ChainTransaction tx = StoreFixtures.nameTx(name, "pk-" + num + "-" + i, nonce(num, i));
            txs.add(tx);
            names.add(new NameEntry(name, "pk-" + num + "-" + i, tx.id(), num));
        }
        ChainBlock block = StoreFixtures.block(num, parent, timestamp, txs);

        StoreBatch batch = store.newBatch()
                .putBlock(block, ++arrivalSeq)
                .putMainChain(num, block.id())
                .putUndo(block.id(), new BlockUndo(names));
        for (int index = 0; index < txs.size(); index++) {
            batch.putTx(txs.get(index).id(), new TxLocation(block.id(), num, index, timestamp));
        }
        names.forEach(batch::putName);
        pending.forEach(tx -> batch.deleteMempoolTx(tx.id()));
        List<ChainTransaction> next = new ArrayList<>();
        int newPending = random.nextInt(3);
        for (int i = 0; i < newPending; i++) {
            ChainTransaction tx = StoreFixtures.dataTx("user" + num, nonce(num, 10 + i));
            next.add(tx);
            batch.putMempoolTx(tx, arrivalSeq * 10 + i);
        }
        if (num % 5 == 4) {
            batch.putBlock(StoreFixtures.block(num, parent, timestamp + 1, List.of()), ++arrivalSeq);
        }
        batch.setHead(block.asHead());
        store.write(batch);

        head = block.asHead();
        pending = next;
        return num;
    }

    private long nonce(int num, int i) {
        return seed * 1_000_000_000L + num * 100L + i;
    }
}
