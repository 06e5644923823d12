package org.protoblock.chain.testing;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.protoblock.chain.crypto.ChainSigner;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.crypto.MerkleRoot;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Sha256;

/**
 * Builds a signed child block: version 1, num and prev_id from the parent, timestamp max(now,
 * parent's), NORMAL, the merkle root of its transactions, signed by the chosen producer. {@link #header}
 * edits run after those defaults and before signing, so a test can break exactly one header rule.
 */
public final class BlockBuilder {
    private final Devnet devnet;
    private final ChainBlock parent;
    private KeyPair producer;
    private long timestamp;
    private final List<ChainTransaction> txs = new ArrayList<>();
    private BlockHeader.Type type = BlockHeader.Type.NORMAL;
    private final List<Consumer<BlockHeader.Builder>> headerEdits = new ArrayList<>();
    private Optional<String> sigOverride = Optional.empty();

    BlockBuilder(Devnet devnet, ChainBlock parent) {
        this.devnet = devnet;
        this.parent = parent;
        this.producer = devnet.producer(0);
        this.timestamp = Math.max(devnet.now(), parent.timestamp());
    }

    public BlockBuilder producer(int index) {
        this.producer = devnet.producer(index);
        return this;
    }

    /** Any key, e.g. one that is not a producer's. */
    public BlockBuilder producer(KeyPair key) {
        this.producer = key;
        return this;
    }

    public BlockBuilder timestamp(long seconds) {
        this.timestamp = seconds;
        return this;
    }

    public BlockBuilder txs(List<ChainTransaction> more) {
        txs.addAll(more);
        return this;
    }

    public BlockBuilder tx(ChainTransaction tx) {
        txs.add(tx);
        return this;
    }

    /** DATA block: its first transaction, if DATA, is the producer's (sign it with the producer's key). */
    public BlockBuilder dataBlock() {
        this.type = BlockHeader.Type.DATA;
        return this;
    }

    /** Edits the header after the defaults and the merkle root, before signing. */
    public BlockBuilder header(Consumer<BlockHeader.Builder> edit) {
        headerEdits.add(edit);
        return this;
    }

    /** Writes this text as the header signature instead of signing. */
    public BlockBuilder signature(String sigText) {
        this.sigOverride = Optional.of(sigText);
        return this;
    }

    public ChainBlock build() {
        String generator = producer.publicKey().toBase58();
        String prevId = parent.id().toHex();
        BlockHeader.Builder header = BlockHeader.newBuilder()
                .setVersion(1)
                .setNum(parent.num() + 1)
                .setPrevId(ByteString.copyFromUtf8(prevId))
                .setTimestamp((int) timestamp)
                .setGeneratorPk(ByteString.copyFromUtf8(generator))
                .setGeneratingSig(ByteString.copyFromUtf8(Sha256.hashAscii(prevId + generator).toHex()))
                .setBlocktype(type)
                .setTransactionId(ByteString.copyFromUtf8(MerkleRoot.ofIds(
                        txs.stream().map(ChainTransaction::id).toList())));
        headerEdits.forEach(edit -> edit.accept(header));
        BlockHeader built = header.build();
        var signed = ChainSigner.signHeader(built, producer).toBuilder();
        sigOverride.ifPresent(signed::setSig);
        Block block = Block.newBuilder()
                .setSignedhead(signed)
                .addAllSignedTransactions(txs.stream().map(ChainTransaction::proto).toList())
                .build();
        return ChainBlock.of(block);
    }
}
