package org.protoblock.chain.producer;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.crypto.MerkleRoot;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Sha256;

/**
 * Makes and signs a block on top of a parent from pending transactions.
 *
 * <p>Takes the longest prefix of the candidates (the mempool, in arrival order) that fits the
 * caps: a prefix, because the mempool guarantees that prefixes are valid in sequence. The
 * timestamp never goes backwards from the parent's. generating_sig is not checked by the chain
 * after genesis; it is set to hex(sha256(prev_id ‖ generator_pk)) so it stays deterministic.
 * Stateless and thread-safe.
 */
public final class Producer {
    private static final int HEADER_VERSION = 1;
    /** Room for the header and the Block's own field tags within the byte cap. */
    private static final int HEADER_ALLOWANCE = 1024;

    private final KeyPair key;
    private final int maxTransactions;
    private final int maxBlockBytes;

    public Producer(KeyPair key, int maxTransactions, int maxBlockBytes) {
        this.key = Objects.requireNonNull(key);
        this.maxTransactions = maxTransactions;
        this.maxBlockBytes = maxBlockBytes;
    }

    public KeyPair key() {
        return key;
    }

    /** The prefix of {@code candidates} that a block may carry. */
    public List<ChainTransaction> select(List<ChainTransaction> candidates) {
        List<ChainTransaction> chosen = new ArrayList<>();
        long bytes = HEADER_ALLOWANCE;
        for (ChainTransaction tx : candidates) {
            long next = bytes + tx.serializedSize() + 8;
            if (chosen.size() >= maxTransactions || next > maxBlockBytes) {
                break;
            }
            chosen.add(tx);
            bytes = next;
        }
        return chosen;
    }

    /** A signed child of {@code parent} holding {@code txs} (already selected), at {@code nowSeconds}. */
    public ChainBlock produce(BlockMeta parent, List<ChainTransaction> txs, long nowSeconds) {
        String generator = key.publicKey().toBase58();
        String prevId = parent.id().toHex();
        int timestamp = (int) Math.max(nowSeconds, Integer.toUnsignedLong(parent.timestamp()));
        BlockHeader header = BlockHeader.newBuilder()
                .setVersion(HEADER_VERSION)
                .setNum(parent.num() + 1)
                .setPrevId(ByteString.copyFromUtf8(prevId))
                .setTimestamp(timestamp)
                .setGeneratorPk(ByteString.copyFromUtf8(generator))
                .setGeneratingSig(ByteString.copyFromUtf8(Sha256.hashAscii(prevId + generator).toHex()))
                .setBlocktype(BlockHeader.Type.NORMAL)
                .setTransactionId(ByteString.copyFromUtf8(MerkleRoot.ofIds(txs.stream().map(ChainTransaction::id).toList())))
                .build();
        String sig = key.sign(Sha256.digest(header.toByteArray()));
        Block.Builder block = Block.newBuilder()
                .setSignedhead(SignedBlockHeader.newBuilder().setHead(header).setSig(sig));
        txs.forEach(tx -> block.addSignedTransactions(tx.proto()));
        return ChainBlock.of(block.build());
    }
}
