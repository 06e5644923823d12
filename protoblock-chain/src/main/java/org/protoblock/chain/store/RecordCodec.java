package org.protoblock.chain.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;
import org.protoblock.chain.store.proto.StoredBlockMeta;
import org.protoblock.chain.store.proto.StoredBlockUndo;
import org.protoblock.chain.store.proto.StoredHead;
import org.protoblock.chain.store.proto.StoredMempoolEntry;
import org.protoblock.chain.store.proto.StoredNameEntry;
import org.protoblock.chain.store.proto.StoredTxLocation;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;

/**
 * The store's records to and from their stored bytes (store.proto). Every decoder names the column
 * and key it reads, and turns anything malformed (bad protobuf, wrong id length, negative num) into
 * a {@link StoreCorruptedException}. Thread-safe (stateless).
 */
final class RecordCodec {

    private RecordCodec() {
    }

    static byte[] encodeMeta(BlockMeta meta) {
        return StoredBlockMeta.newBuilder()
                .setId(bytes(meta.id().toBytes()))
                .setParentId(bytes(meta.parentId().toBytes()))
                .setNum(meta.num())
                .setArrivalSeq(meta.arrivalSeq())
                .setTimestamp(meta.timestamp())
                .build().toByteArray();
    }

    static BlockMeta decodeMeta(byte[] key, byte[] value) {
        Column column = Column.BLOCK_META;
        StoredBlockMeta m = parse(column, key, () -> StoredBlockMeta.parseFrom(value));
        return decoded(column, key, () -> new BlockMeta(blockId(column, key, m.getId()),
                blockId(column, key, m.getParentId()), m.getNum(), m.getArrivalSeq(), m.getTimestamp()));
    }

    static byte[] encodeName(NameEntry entry) {
        return name(entry).toByteArray();
    }

    static NameEntry decodeName(byte[] key, byte[] value) {
        StoredNameEntry n = parse(Column.NAMES, key, () -> StoredNameEntry.parseFrom(value));
        return name(Column.NAMES, key, n);
    }

    static byte[] encodeTxLocation(TxLocation location) {
        return StoredTxLocation.newBuilder()
                .setBlockId(bytes(location.blockId().toBytes()))
                .setNum(location.num())
                .setIndex(location.index())
                .setBlockTimestamp(location.blockTimestamp())
                .build().toByteArray();
    }

    static TxLocation decodeTxLocation(byte[] key, byte[] value) {
        Column column = Column.TX_INDEX;
        StoredTxLocation t = parse(column, key, () -> StoredTxLocation.parseFrom(value));
        return decoded(column, key, () ->
                new TxLocation(blockId(column, key, t.getBlockId()), t.getNum(), t.getIndex(), t.getBlockTimestamp()));
    }

    static byte[] encodeUndo(BlockUndo undo) {
        StoredBlockUndo.Builder b = StoredBlockUndo.newBuilder();
        undo.namesAdded().forEach(n -> b.addNamesAdded(name(n)));
        return b.build().toByteArray();
    }

    static BlockUndo decodeUndo(byte[] key, byte[] value) {
        StoredBlockUndo u = parse(Column.UNDO, key, () -> StoredBlockUndo.parseFrom(value));
        List<NameEntry> names = u.getNamesAddedList().stream().map(n -> name(Column.UNDO, key, n)).toList();
        return new BlockUndo(names);
    }

    static byte[] encodeMempool(ChainTransaction tx, long arrivalSeq) {
        return StoredMempoolEntry.newBuilder()
                .setArrivalSeq(arrivalSeq)
                .setTransaction(tx.proto().toByteString())
                .build().toByteArray();
    }

    /** Decodes a mempool entry, checking that the transaction's id is the key. */
    static MempoolEntry decodeMempool(byte[] key, byte[] value) {
        Column column = Column.MEMPOOL;
        StoredMempoolEntry e = parse(column, key, () -> StoredMempoolEntry.parseFrom(value));
        var tx = ChainTransaction.of(BlockCodec.decodeTransaction(column, key, e.getTransaction().toByteArray()));
        if (!tx.id().equals(new TxId(Keys.hash(column, key, key)))) {
            throw new StoreCorruptedException(column, key, "transaction hashes to " + tx.id());
        }
        return new MempoolEntry(e.getArrivalSeq(), tx.proto());
    }

    static byte[] encodeHead(ChainHead head) {
        return StoredHead.newBuilder().setId(bytes(head.id().toBytes())).setNum(head.num()).build().toByteArray();
    }

    static ChainHead decodeHead(byte[] value) {
        Column column = Column.META;
        byte[] key = Keys.HEAD;
        StoredHead h = parse(column, key, () -> StoredHead.parseFrom(value));
        return decoded(column, key, () -> new ChainHead(blockId(column, key, h.getId()), h.getNum()));
    }

    static byte[] encodeSchemaVersion(int version) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(version).array();
    }

    static int decodeSchemaVersion(byte[] value) {
        if (value.length != Integer.BYTES) {
            throw new StoreCorruptedException(Column.META, Keys.SCHEMA_VERSION, "not a 4-byte version");
        }
        return ByteBuffer.wrap(value).getInt();
    }

    static BlockId decodeMainChainId(byte[] key, byte[] value) {
        return new BlockId(Keys.hash(Column.MAIN_INDEX, key, value));
    }

    private static StoredNameEntry name(NameEntry entry) {
        return StoredNameEntry.newBuilder()
                .setName(entry.name())
                .setPublicKey(entry.publicKey())
                .setRegisteredBy(bytes(entry.registeredBy().toBytes()))
                .setNum(entry.num())
                .build();
    }

    private static NameEntry name(Column column, byte[] key, StoredNameEntry n) {
        return decoded(column, key, () -> new NameEntry(n.getName(), n.getPublicKey(),
                new TxId(Keys.hash(column, key, n.getRegisteredBy().toByteArray())), n.getNum()));
    }

    private static BlockId blockId(Column column, byte[] key, ByteString bytes) {
        return new BlockId(Keys.hash(column, key, bytes.toByteArray()));
    }

    private static ByteString bytes(byte[] raw) {
        return ByteString.copyFrom(raw);
    }

    private interface ProtoParser<T> {
        T parse() throws InvalidProtocolBufferException;
    }

    private static <T> T parse(Column column, byte[] key, ProtoParser<T> parser) {
        try {
            return parser.parse();
        } catch (InvalidProtocolBufferException e) {
            throw new StoreCorruptedException(column, key, "undecodable record: " + e.getMessage(), e);
        }
    }

    /** Builds a record from decoded fields; a record constructor rejecting them means corruption. */
    private static <T> T decoded(Column column, byte[] key, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new StoreCorruptedException(column, key, e.getMessage(), e);
        }
    }
}
