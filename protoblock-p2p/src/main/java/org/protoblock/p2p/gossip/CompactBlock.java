package org.protoblock.p2p.gossip;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.p2p.wire.proto.NewBlock;

/**
 * A block announcement (wire message {@code NewBlock}, as BIP152's compact block): the signed
 * header, the announcer's nonce and the {@value ShortTxIds#BLOCK_BYTES}-byte short ids of the block's
 * transactions in order, keyed by (block id, nonce) ({@link ShortTxIds#forBlock}).
 *
 * <p>Short ids bind nothing: only the rebuilt block's merkle root, checked against the header
 * ({@link BlockRebuild#build}), tells whether they named the right transactions. A mismatch may be
 * an honest collision with a transaction of ours, so it is never the announcer's fault by itself;
 * once the valid block is known, {@link #describes} convicts an announcer whose short ids were not
 * the block's.
 *
 * <p>A value: {@code shortIds} is copied in and out.
 */
public record CompactBlock(SignedBlockHeader signedHeader, BlockId id, Optional<BlockId> parentId, long nonce,
                           long[] shortIds) {
    public CompactBlock {
        shortIds = shortIds.clone();
    }

    /** The announcement of {@code block} under {@code nonce} (drawn at random by the announcer). */
    public static CompactBlock of(ChainBlock block, long nonce) {
        ShortTxIds keys = ShortTxIds.forBlock(block.id(), nonce);
        long[] ids = new long[block.txIds().size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = keys.of(block.txIds().get(i));
        }
        return new CompactBlock(block.proto().getSignedhead(), block.id(), block.parentId(), nonce, ids);
    }

    public int num() {
        return signedHeader.getHead().getNum();
    }

    @Override
    public long[] shortIds() {
        return shortIds.clone();
    }

    public int size() {
        return shortIds.length;
    }

    long shortId(int index) {
        return shortIds[index];
    }

    /** This announcement's short id function (a new one per call: it holds hashing state). */
    ShortTxIds keys() {
        return ShortTxIds.forBlock(id, nonce);
    }

    /** Whether {@code block}'s transactions have exactly the announced short ids, count and order. */
    public boolean describes(ChainBlock block) {
        List<TxId> ids = block.txIds();
        if (!block.id().equals(id) || ids.size() != shortIds.length) {
            return false;
        }
        ShortTxIds keys = keys();
        for (int i = 0; i < shortIds.length; i++) {
            if (keys.of(ids.get(i)) != shortIds[i]) {
                return false;
            }
        }
        return true;
    }

    public NewBlock toMessage() {
        return NewBlock.newBuilder()
                .setSignedHeader(signedHeader.toByteString())
                .setShortIdNonce(nonce)
                .setShortIds(ShortTxIds.pack(shortIds, shortIds.length, ShortTxIds.BLOCK_BYTES))
                .build();
    }

    /**
     * The announced block's id, hashed from the header field's bytes as they came, without decoding
     * or checking anything: the cheap "have it / fetching it already" test for the duplicates every
     * node gets from most of its peers. Rationale: equal to the real id for every canonical encoding
     * (what {@link #parse} accepts); any other encoding hashes to an id we do not know, and is then
     * parsed and refused in full. Empty when there is no header field.
     */
    public static Optional<BlockId> announcedId(NewBlock message) {
        try {
            CodedInputStream in = message.getSignedHeader().newCodedInput();
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == SignedBlockHeader.HEAD_FIELD_NUMBER
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    return Optional.of(new BlockId(Sha256.hash(in.readByteArray())));
                }
                if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Decodes an announcement from a peer. Rules (each failure is the sender's fault): short ids
     * packed in whole {@value ShortTxIds#BLOCK_BYTES}-byte units ({@link Rule#MALFORMED_ENCODING}), at most
     * {@code maxTransactionsPerBlock} of them ({@link Rule#TOO_MANY_TRANSACTIONS}), checked on the
     * byte length before anything is unpacked; the header decodes within the chain's bounds; prev_id
     * well formed.
     */
    public static CompactBlock parse(NewBlock message, ChainCodec codec, ChainLimits limits) throws ValidationException {
        ByteString packed = message.getShortIds();
        if (packed.size() % ShortTxIds.BLOCK_BYTES != 0) {
            throw new ValidationException(Rule.MALFORMED_ENCODING, "short ids of " + packed.size() + " bytes");
        }
        if (packed.size() / ShortTxIds.BLOCK_BYTES > limits.maxTransactionsPerBlock()) {
            throw new ValidationException(Rule.TOO_MANY_TRANSACTIONS, packed.size() / ShortTxIds.BLOCK_BYTES + " short ids");
        }
        SignedBlockHeader header = codec.parseHeader(message.getSignedHeader().toByteArray());
        String prev = header.getHead().getPrevId().toStringUtf8();
        if (!Hash256.isCanonicalHex(prev)) {
            throw new ValidationException(Rule.BAD_PREV_ID, "");
        }
        long[] ids = ShortTxIds.unpack(packed, ShortTxIds.BLOCK_BYTES).orElseThrow();
        return new CompactBlock(header, ChainBlock.idOf(header.getHead()), Optional.of(BlockId.fromHex(prev)),
                message.getShortIdNonce(), ids);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompactBlock other && signedHeader.equals(other.signedHeader) && id.equals(other.id)
                && parentId.equals(other.parentId) && nonce == other.nonce && Arrays.equals(shortIds, other.shortIds);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(shortIds);
    }

    @Override
    public String toString() {
        return "CompactBlock[" + id.shortHex() + ", " + shortIds.length + " short ids, nonce " + Long.toUnsignedString(nonce) + "]";
    }
}
