package org.protoblock.chain.store;

import java.util.ArrayList;
import java.util.List;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;

/**
 * The batch of both stores: each call encodes its record at once (so an encoding problem surfaces
 * at the caller's line) and appends the resulting put or delete; the backend then stages the
 * operations in order, later ones winning on the same key, and commits them together.
 * Keys and values are copied in, so the caller may reuse its arrays.
 *
 * <p>Threads: not thread-safe; built and written by one thread.
 */
final class EncodedBatch implements StoreBatch {
    private final List<BatchOp> ops = new ArrayList<>();

    @Override
    public StoreBatch putBlock(ChainBlock block, long arrivalSeq) {
        byte[] key = Keys.id(block.id());
        BlockMeta meta = new BlockMeta(block.id(), block.parentId().orElse(BlockId.NONE), block.num(), arrivalSeq,
                block.header().getTimestamp());
        add(new BatchOp.Put(Column.BLOCKS, key, BlockCodec.encode(block)));
        add(new BatchOp.Put(Column.HEADERS, key, block.proto().getSignedhead().toByteArray()));
        return add(new BatchOp.Put(Column.BLOCK_META, key, RecordCodec.encodeMeta(meta)));
    }

    @Override
    public StoreBatch deleteBlock(BlockId id) {
        byte[] key = Keys.id(id);
        add(new BatchOp.Delete(Column.BLOCKS, key));
        add(new BatchOp.Delete(Column.HEADERS, key));
        return add(new BatchOp.Delete(Column.BLOCK_META, key));
    }

    @Override
    public StoreBatch putMainChain(int num, BlockId id) {
        return add(new BatchOp.Put(Column.MAIN_INDEX, Keys.num(num), Keys.id(id)));
    }

    @Override
    public StoreBatch deleteMainChain(int num) {
        return add(new BatchOp.Delete(Column.MAIN_INDEX, Keys.num(num)));
    }

    @Override
    public StoreBatch putUndo(BlockId id, BlockUndo undo) {
        return add(new BatchOp.Put(Column.UNDO, Keys.id(id), RecordCodec.encodeUndo(undo)));
    }

    @Override
    public StoreBatch deleteUndo(BlockId id) {
        return add(new BatchOp.Delete(Column.UNDO, Keys.id(id)));
    }

    @Override
    public StoreBatch putTx(TxId id, TxLocation location) {
        return add(new BatchOp.Put(Column.TX_INDEX, Keys.id(id), RecordCodec.encodeTxLocation(location)));
    }

    @Override
    public StoreBatch deleteTx(TxId id) {
        return add(new BatchOp.Delete(Column.TX_INDEX, Keys.id(id)));
    }

    @Override
    public StoreBatch putName(NameEntry entry) {
        add(new BatchOp.Put(Column.NAMES, Keys.utf8(entry.folded()), RecordCodec.encodeName(entry)));
        return add(new BatchOp.Put(Column.NAME_KEYS, Keys.utf8(entry.publicKey()), Keys.utf8(entry.folded())));
    }

    @Override
    public StoreBatch deleteName(NameEntry entry) {
        add(new BatchOp.Delete(Column.NAMES, Keys.utf8(entry.folded())));
        return add(new BatchOp.Delete(Column.NAME_KEYS, Keys.utf8(entry.publicKey())));
    }

    @Override
    public StoreBatch setHead(ChainHead head) {
        return add(new BatchOp.Put(Column.META, Keys.HEAD, RecordCodec.encodeHead(head)));
    }

    @Override
    public StoreBatch putMempoolTx(ChainTransaction tx, long arrivalSeq) {
        return add(new BatchOp.Put(Column.MEMPOOL, Keys.id(tx.id()), RecordCodec.encodeMempool(tx, arrivalSeq)));
    }

    @Override
    public StoreBatch deleteMempoolTx(TxId id) {
        return add(new BatchOp.Delete(Column.MEMPOOL, Keys.id(id)));
    }

    @Override
    public StoreBatch put(Column column, byte[] key, byte[] value) {
        return add(new BatchOp.Put(column, key.clone(), value.clone()));
    }

    @Override
    public StoreBatch delete(Column column, byte[] key) {
        return add(new BatchOp.Delete(column, key.clone()));
    }

    @Override
    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /** Appends an already encoded operation (package-private: tests inject failing ones). */
    EncodedBatch add(BatchOp op) {
        ops.add(op);
        return this;
    }

    /** Stages every operation in order; a failure part-way leaves the sink to be discarded. */
    void stageInto(OpSink sink) {
        for (BatchOp op : ops) {
            op.stageInto(sink);
        }
    }

    static EncodedBatch of(StoreBatch batch) {
        if (batch instanceof EncodedBatch encoded) {
            return encoded;
        }
        throw new IllegalArgumentException("batch was not made by ChainStore.newBatch(): " + batch.getClass());
    }
}
