package org.protoblock.chain.store;

import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;

/**
 * A set of writes applied atomically by {@link ChainStore#write}. Not thread-safe: built and
 * written by one thread. Methods return {@code this} for chaining.
 */
public interface StoreBatch {

    /** Stores a block and its meta (any branch). */
    StoreBatch putBlock(ChainBlock block, long arrivalSeq);

    /** Removes a block and its meta (pruning a dead branch); the caller removes what refers to it. */
    StoreBatch deleteBlock(BlockId id);

    StoreBatch putMainChain(int num, BlockId id);

    StoreBatch deleteMainChain(int num);

    StoreBatch putUndo(BlockId id, BlockUndo undo);

    StoreBatch deleteUndo(BlockId id);

    StoreBatch putTx(TxId id, TxLocation location);

    StoreBatch deleteTx(TxId id);

    /** Adds the name and its key → name entry. */
    StoreBatch putName(NameEntry entry);

    /** Removes the name and its key → name entry. */
    StoreBatch deleteName(NameEntry entry);

    StoreBatch setHead(ChainHead head);

    StoreBatch putMempoolTx(ChainTransaction tx, long arrivalSeq);

    StoreBatch deleteMempoolTx(TxId id);

    StoreBatch put(Column column, byte[] key, byte[] value);

    StoreBatch delete(Column column, byte[] key);

    boolean isEmpty();
}
