package org.protoblock.chain.types;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.proto.BlockHeader;

/**
 * A block with the values every layer needs computed once: its id, its parent's id (when the
 * header's prev_id is well formed), its transactions with their ids, and its serialized size.
 */
public record ChainBlock(Block proto, BlockId id, Optional<BlockId> parentId, List<ChainTransaction> transactions,
                         int serializedSize) {
    public ChainBlock {
        Objects.requireNonNull(proto, "proto");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(parentId, "parentId");
        transactions = List.copyOf(transactions);
    }

    public static ChainBlock of(Block proto) {
        BlockHeader header = proto.getSignedhead().getHead();
        BlockId id = idOf(header);
        String prev = header.getPrevId().toStringUtf8();
        Optional<BlockId> parent = Hash256.isCanonicalHex(prev) ? Optional.of(BlockId.fromHex(prev)) : Optional.empty();
        List<ChainTransaction> txs = proto.getSignedTransactionsList().stream().map(ChainTransaction::of).toList();
        return new ChainBlock(proto, id, parent, txs, proto.getSerializedSize());
    }

    public static BlockId idOf(BlockHeader header) {
        return new BlockId(Sha256.hash(header.toByteArray()));
    }

    public BlockHeader header() {
        return proto.getSignedhead().getHead();
    }

    public int num() {
        return header().getNum();
    }

    /** Header timestamp, seconds since the epoch. */
    public long timestamp() {
        return Integer.toUnsignedLong(header().getTimestamp());
    }

    public List<TxId> txIds() {
        return transactions.stream().map(ChainTransaction::id).toList();
    }

    public ChainHead asHead() {
        return new ChainHead(id, num());
    }

    @Override
    public String toString() {
        return "block " + num() + "/" + id.shortHex() + " (" + transactions.size() + " txs, " + serializedSize + " B)";
    }
}
