package org.protoblock.chain.store;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.TxId;

/**
 * Durable chain state: every stored block, the main-chain index, undo data, the transaction index,
 * the name registry, the mempool and the p2p layer's tables, in the {@link Column}s.
 *
 * <p>Writes happen only through {@link #write(StoreBatch)}, which is atomic: after a crash at any
 * point the store holds either all of a batch or none of it. Applying a block is one batch that
 * includes the head, so the head's block, the index and the undo data always agree.
 *
 * <p>Threads: reads are safe from any thread. There is one writer, the chain executor; the p2p
 * layer writes its own columns ({@link Column#ADDRESS_BOOK}, {@link Column#BANS}) with batches
 * that touch nothing else.
 *
 * <p>Errors: every read and write throws the unchecked {@link StoreException} (naming the operation) on an
 * I/O or RocksDB failure and once the store is closed; a stored record that does not decode throws
 * {@link StoreCorruptedException} (naming column and key). Implementations: {@link RocksDbChainStore},
 * {@link InMemoryChainStore}; both store the same bytes ({@link Keys}, store.proto).
 */
public interface ChainStore extends AutoCloseable {

    Optional<ChainBlock> block(BlockId id);

    boolean containsBlock(BlockId id);

    Optional<BlockMeta> blockMeta(BlockId id);

    /** Every stored block's meta, in no particular order (used once, to rebuild the block tree). */
    void forEachBlockMeta(Consumer<BlockMeta> consumer);

    Optional<ChainHead> head();

    Optional<BlockId> mainChainId(int num);

    Optional<BlockUndo> undo(BlockId id);

    Optional<TxLocation> txLocation(TxId id);

    /** Looks up by case-folded name. */
    Optional<NameEntry> name(String foldedName);

    /** The case-folded name registered to a base58 public key. */
    Optional<String> nameOfKey(String publicKey);

    /** Persisted mempool, in arrival order. */
    List<MempoolEntry> mempool();

    Optional<byte[]> get(Column column, byte[] key);

    /** Every entry of the column in unsigned byte order of keys, as of a snapshot taken on entry. */
    void forEach(Column column, BiConsumer<byte[], byte[]> consumer);

    /** A batch for {@link #write}; only batches made by this method are accepted. */
    StoreBatch newBatch();

    /**
     * Applies the whole batch atomically, operations in the order they were added; once it returns
     * the batch survives a crash of this process. A batch may be written more than once, to more
     * than one store.
     */
    void write(StoreBatch batch);

    /** Makes every batch written so far survive a power loss as well (no-op in memory). */
    void sync();

    /** Approximate bytes on disk (or in memory), for metrics. */
    long approximateSizeBytes();

    /** Idempotent. */
    @Override
    void close();
}
