package org.protoblock.chain.crypto;

import com.google.protobuf.ByteString;
import java.util.List;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.proto.SignedTransaction;
import org.protoblock.chain.proto.Transaction;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.Sha256;

/**
 * Makes signed chain messages the way the production chain does: a transaction's id is
 * hex(sha256(Transaction)) and its signature is over that digest; a header's signature is over
 * sha256(BlockHeader), the block id. Used by the producer, clients, the devnet genesis and tests.
 */
public final class ChainSigner {
    private ChainSigner() {
    }

    public static ChainTransaction signTransaction(Transaction trans, String fantasyName, KeyPair signer) {
        Hash256 digest = Sha256.hash(trans.toByteArray());
        SignedTransaction signed = SignedTransaction.newBuilder()
                .setTrans(trans)
                .setId(ByteString.copyFromUtf8(digest.toHex()))
                .setSig(ByteString.copyFromUtf8(signer.sign(digest.toBytes())))
                .setFantasyName(fantasyName)
                .build();
        return ChainTransaction.of(signed);
    }

    public static SignedBlockHeader signHeader(BlockHeader header, KeyPair producer) {
        return SignedBlockHeader.newBuilder()
                .setHead(header)
                .setSig(producer.sign(Sha256.digest(header.toByteArray())))
                .build();
    }

    /**
     * Seals a block: sets the header's generator_pk to the producer's key and transaction_id to the
     * merkle root of {@code transactions}, then signs the header.
     */
    public static ChainBlock sealBlock(BlockHeader header, List<ChainTransaction> transactions, KeyPair producer) {
        BlockHeader sealed = header.toBuilder()
                .setGeneratorPk(ByteString.copyFromUtf8(producer.publicKey().toBase58()))
                .setTransactionId(ByteString.copyFrom(MerkleRoot.asciiOf(transactions.stream().map(ChainTransaction::id).toList())))
                .build();
        Block block = Block.newBuilder()
                .setSignedhead(signHeader(sealed, producer))
                .addAllSignedTransactions(transactions.stream().map(ChainTransaction::proto).toList())
                .build();
        return ChainBlock.of(block);
    }
}
