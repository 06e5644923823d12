package org.protoblock.chain.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.proto.FantasybitProto;
import org.protoblock.chain.proto.NameTrans;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.proto.SignedTransaction;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.proto.Transaction;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.TxId;

/**
 * Unsigned, unvalidated blocks and transactions for storage tests: the store never validates, so
 * these only need to be well-formed protobuf with distinct ids.
 */
final class StoreFixtures {
    static final String GENESIS_RESOURCE = "/networks/mainnet-genesis.block";

    private StoreFixtures() {
    }

    static byte[] mainnetGenesisBytes() {
        try (InputStream in = StoreFixtures.class.getResourceAsStream(GENESIS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + GENESIS_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ChainBlock parse(byte[] bytes) {
        ExtensionRegistry registry = ExtensionRegistry.newInstance();
        FantasybitProto.registerAllExtensions(registry);
        try {
            return ChainBlock.of(Block.parseFrom(bytes, registry));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ChainBlock block(int num, BlockId parent, int timestamp, List<ChainTransaction> txs) {
        BlockHeader header = BlockHeader.newBuilder()
                .setVersion(1)
                .setNum(num)
                .setPrevId(ByteString.copyFromUtf8(parent.toHex()))
                .setTimestamp(timestamp)
                .setBlocktype(BlockHeader.Type.NORMAL)
                .build();
        Block.Builder block = Block.newBuilder()
                .setSignedhead(SignedBlockHeader.newBuilder().setHead(header).setSig("unsigned"));
        txs.forEach(tx -> block.addSignedTransactions(tx.proto()));
        return ChainBlock.of(block.build());
    }

    static ChainTransaction nameTx(String name, String publicKey, long nonce) {
        Transaction trans = Transaction.newBuilder()
                .setVersion(4)
                .setType(TransType.NAME)
                .setNonce(nonce)
                .setExtension(FantasybitProto.nameTran, NameTrans.newBuilder()
                        .setFantasyName(name)
                        .setPublicKey(ByteString.copyFromUtf8(publicKey))
                        .build())
                .build();
        return signed(trans, name);
    }

    /** A transaction of an opaque type, distinct per nonce. */
    static ChainTransaction dataTx(String fantasyName, long nonce) {
        return signed(Transaction.newBuilder().setVersion(4).setType(TransType.DATA).setNonce(nonce).build(),
                fantasyName);
    }

    private static ChainTransaction signed(Transaction trans, String fantasyName) {
        TxId id = ChainTransaction.of(SignedTransaction.newBuilder().setTrans(trans).build()).id();
        return ChainTransaction.of(SignedTransaction.newBuilder()
                .setTrans(trans)
                .setId(ByteString.copyFromUtf8(id.toHex()))
                .setSig(ByteString.copyFromUtf8("unsigned"))
                .setFantasyName(fantasyName)
                .build());
    }

    static BlockId blockId(int seed) {
        return new BlockId(hash(seed));
    }

    static TxId txId(int seed) {
        return new TxId(hash(seed));
    }

    static Hash256 hash(int seed) {
        byte[] bytes = new byte[Hash256.BYTES];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seed * 31 + i * 7 + (seed >>> 8));
        }
        bytes[0] = (byte) seed;
        bytes[1] = (byte) (seed >>> 8);
        return Hash256.wrap(bytes);
    }
}
