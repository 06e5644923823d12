package org.protoblock.chain.store;

import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.proto.FantasybitProto;
import org.protoblock.chain.proto.SignedTransaction;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;

/**
 * Blocks and transactions as stored: their serialized protobuf bytes. Parsing uses every chain
 * extension, and proto2 keeps unknown fields and explicit defaults, so a stored block re-serializes
 * to the very bytes it was stored from (block and tx ids are hashes of re-serialized messages).
 * Thread-safe (stateless).
 */
final class BlockCodec {
    private static final ExtensionRegistry REGISTRY = newRegistry();

    private BlockCodec() {
    }

    static byte[] encode(ChainBlock block) {
        return block.proto().toByteArray();
    }

    /** Decodes the block stored under {@code key}, checking that its id is the key. */
    static ChainBlock decode(byte[] key, byte[] value) {
        Block proto;
        try {
            proto = Block.parseFrom(value, REGISTRY);
        } catch (InvalidProtocolBufferException e) {
            throw new StoreCorruptedException(Column.BLOCKS, key, "not a Block: " + e.getMessage(), e);
        }
        ChainBlock block = ChainBlock.of(proto);
        BlockId expected = new BlockId(Keys.hash(Column.BLOCKS, key, key));
        if (!block.id().equals(expected)) {
            throw new StoreCorruptedException(Column.BLOCKS, key, "block hashes to " + block.id());
        }
        return block;
    }

    static SignedTransaction decodeTransaction(Column column, byte[] key, byte[] bytes) {
        try {
            return SignedTransaction.parseFrom(bytes, REGISTRY);
        } catch (InvalidProtocolBufferException e) {
            throw new StoreCorruptedException(column, key, "not a SignedTransaction: " + e.getMessage(), e);
        }
    }

    private static ExtensionRegistry newRegistry() {
        ExtensionRegistry registry = ExtensionRegistry.newInstance();
        FantasybitProto.registerAllExtensions(registry);
        return registry.getUnmodifiable();
    }
}
