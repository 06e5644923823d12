package org.protoblock.p2p.gossip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.protoblock.chain.crypto.MerkleRoot;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;

/**
 * Rebuilding a block from a {@link CompactBlock}'s short ids and the transactions we hold (mempool
 * arrivals, recently included or removed ones), then completing it with the missing ones fetched by
 * position. Plain class, no I/O.
 *
 * <p>Rules:
 * <ul>
 *   <li>A slot is filled from our transactions only by the one transaction whose short id is the
 *       slot's. A short id two of our transactions share, or two slots share, fills nothing: those
 *       slots are fetched by position. Rationale: guessing between them could only be checked by the
 *       merkle root of the whole block, and a wrong guess costs the whole block.</li>
 *   <li>{@link #fill} puts a fetched transaction only where the announced short id is its own, all or
 *       nothing (otherwise the peer sent other transactions than it announced: its fault).</li>
 *   <li>{@link #build} checks the merkle root of the filled transactions' ids against the header and
 *       returns empty on a mismatch. Rationale: a transaction of ours whose short id collides with a
 *       block's transaction we lack is not the announcer's fault; the caller fetches the whole
 *       block instead.</li>
 * </ul>
 *
 * <p>Cost: one short id per held transaction and per announced one, O(held + announced) time,
 * O(announced) memory. Threads: not thread-safe; owned by the block gossip executor.
 */
public final class BlockRebuild {
    /** In {@code slotByShortId}: the short id names several slots or several of our transactions. */
    private static final int AMBIGUOUS = -1;

    private final CompactBlock compact;
    private final ToLongFunction<TxId> shortIds;
    private final ChainTransaction[] slots;

    private BlockRebuild(CompactBlock compact, ToLongFunction<TxId> shortIds) {
        this.compact = compact;
        this.shortIds = shortIds;
        this.slots = new ChainTransaction[compact.size()];
    }

    /** Fills every slot whose short id names exactly one of {@code held} (and no other slot). */
    public static BlockRebuild start(CompactBlock compact, Iterable<ChainTransaction> held) {
        return start(compact, held, compact.keys()::of);
    }

    /** {@link #start} with another short id function (tests force collisions with a tiny id space). */
    static BlockRebuild start(CompactBlock compact, Iterable<ChainTransaction> held, ToLongFunction<TxId> shortIds) {
        BlockRebuild rebuild = new BlockRebuild(compact, shortIds);
        int n = compact.size();
        if (n == 0) {
            return rebuild;
        }
        Map<Long, Integer> slotByShortId = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            if (slotByShortId.putIfAbsent(compact.shortId(i), i) != null) {
                slotByShortId.put(compact.shortId(i), AMBIGUOUS);
            }
        }
        for (ChainTransaction tx : held) {
            long sid = shortIds.applyAsLong(tx.id());
            Integer slot = slotByShortId.get(sid);
            if (slot == null || slot == AMBIGUOUS) {
                continue;
            }
            ChainTransaction there = rebuild.slots[slot];
            if (there == null) {
                rebuild.slots[slot] = tx;
            } else if (!there.id().equals(tx.id())) {
                rebuild.slots[slot] = null;
                slotByShortId.put(sid, AMBIGUOUS);
            }
        }
        return rebuild;
    }

    public CompactBlock compact() {
        return compact;
    }

    /** Positions still empty, ascending. */
    public List<Integer> missingIndexes() {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null) {
                missing.add(i);
            }
        }
        return missing;
    }

    public int size() {
        return slots.length;
    }

    /**
     * Fills {@code indexes[i]} with {@code txs[i]}. All or nothing: false (nothing filled) when the
     * counts differ or a transaction's short id is not the announced one at its position.
     */
    public boolean fill(List<Integer> indexes, List<ChainTransaction> txs) {
        if (indexes.size() != txs.size()) {
            return false;
        }
        for (int i = 0; i < indexes.size(); i++) {
            int index = indexes.get(i);
            if (index < 0 || index >= slots.length || shortIds.applyAsLong(txs.get(i).id()) != compact.shortId(index)) {
                return false;
            }
        }
        for (int i = 0; i < indexes.size(); i++) {
            slots[indexes.get(i)] = txs.get(i);
        }
        return true;
    }

    /** The block, once every slot is filled and the ids' merkle root matches the header's. */
    public Optional<ChainBlock> build() {
        List<TxId> ids = new ArrayList<>(slots.length);
        Block.Builder block = Block.newBuilder().setSignedhead(compact.signedHeader());
        for (ChainTransaction tx : slots) {
            if (tx == null) {
                return Optional.empty();
            }
            ids.add(tx.id());
            block.addSignedTransactions(tx.proto());
        }
        String root = compact.signedHeader().getHead().getTransactionId().toStringUtf8();
        if (!MerkleRoot.ofIds(ids).equals(root)) {
            return Optional.empty();
        }
        return Optional.of(ChainBlock.of(block.build()));
    }
}
