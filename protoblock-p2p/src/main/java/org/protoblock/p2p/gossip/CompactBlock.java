package org.protoblock.p2p.gossip;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.crypto.MerkleRoot;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.p2p.wire.proto.NewBlock;

/**
 * A block announcement: the signed header and the ids of the block's transactions, in order
 * (wire message {@code NewBlock}). {@link #parse} accepts only announcements whose ids hash to the
 * header's transaction root, so a rebuilt block that the ids describe has the header's root.
 */
public record CompactBlock(SignedBlockHeader signedHeader, BlockId id, Optional<BlockId> parentId, List<TxId> txIds) {
    public CompactBlock {
        txIds = List.copyOf(txIds);
    }

    public static CompactBlock of(ChainBlock block) {
        return new CompactBlock(block.proto().getSignedhead(), block.id(), block.parentId(), block.txIds());
    }

    public int num() {
        return signedHeader.getHead().getNum();
    }

    public NewBlock toMessage() {
        return NewBlock.newBuilder()
                .setSignedHeader(signedHeader.toByteString())
                .addAllTxIds(WireIds.toWire(txIds))
                .build();
    }

    /**
     * Decodes an announcement from a peer. Rules: the header decodes within the chain's bounds; at
     * most {@code maxTransactionsPerBlock} ids of 32 bytes; prev_id well formed; the ids' merkle
     * root equals the header's ({@link Rule#BAD_TRANSACTION_ROOT}): any peer can check that, so
     * a failure is the sender's fault.
     */
    public static CompactBlock parse(NewBlock message, ChainCodec codec, ChainLimits limits) throws ValidationException {
        if (message.getTxIdsCount() > limits.maxTransactionsPerBlock()) {
            throw new ValidationException(Rule.TOO_MANY_TRANSACTIONS, message.getTxIdsCount() + " ids");
        }
        SignedBlockHeader header = codec.parseHeader(message.getSignedHeader().toByteArray());
        for (ByteString id : message.getTxIdsList()) {
            if (id.size() != Hash256.BYTES) {
                throw new ValidationException(Rule.MALFORMED_ENCODING, "tx id of " + id.size() + " bytes");
            }
        }
        List<TxId> ids = WireIds.txIds(message.getTxIdsList()).orElseThrow();
        String prev = header.getHead().getPrevId().toStringUtf8();
        if (!Hash256.isCanonicalHex(prev)) {
            throw new ValidationException(Rule.BAD_PREV_ID, "");
        }
        String root = header.getHead().getTransactionId().toStringUtf8();
        String computed = MerkleRoot.ofIds(ids);
        if (!computed.equals(root)) {
            throw new ValidationException(Rule.BAD_TRANSACTION_ROOT, "announced ids give " + computed);
        }
        return new CompactBlock(header, ChainBlock.idOf(header.getHead()), Optional.of(BlockId.fromHex(prev)), ids);
    }
}
