package org.protoblock.p2p.gossip;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.protoblock.chain.crypto.MerkleRoot;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;

/**
 * Rebuilding a block from a {@link CompactBlock} and the transactions we hold (mempool, recently
 * seen), then completing it with the missing ones fetched by position. Plain class, no I/O.
 *
 * <p>Rules: a slot is filled only with a transaction whose computed id is the announced id at that
 * position ({@link #fill} refuses the whole answer otherwise: the peer sent the wrong
 * transactions). {@link #build} re-checks the merkle root of the filled transactions' ids against
 * the header and returns empty on a mismatch; the caller then fetches the whole block. Rationale:
 * the chain validates the block anyway, but a wrong rebuild must not be blamed on the announcer.
 */
public final class BlockRebuild {
    private final CompactBlock compact;
    private final ChainTransaction[] slots;

    private BlockRebuild(CompactBlock compact) {
        this.compact = compact;
        this.slots = new ChainTransaction[compact.txIds().size()];
    }

    /** Fills every slot {@code lookup} knows. */
    public static BlockRebuild start(CompactBlock compact, Function<TxId, Optional<ChainTransaction>> lookup) {
        BlockRebuild rebuild = new BlockRebuild(compact);
        for (int i = 0; i < rebuild.slots.length; i++) {
            TxId id = compact.txIds().get(i);
            Optional<ChainTransaction> tx = lookup.apply(id);
            if (tx.isPresent() && tx.get().id().equals(id)) {
                rebuild.slots[i] = tx.get();
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
     * counts differ or a transaction's id is not the announced one at its position.
     */
    public boolean fill(List<Integer> indexes, List<ChainTransaction> txs) {
        if (indexes.size() != txs.size()) {
            return false;
        }
        for (int i = 0; i < indexes.size(); i++) {
            int index = indexes.get(i);
            if (index < 0 || index >= slots.length || !txs.get(i).id().equals(compact.txIds().get(index))) {
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
