package org.protoblock.chain.testing;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.store.BlockUndo;
import org.protoblock.chain.store.ChainStore;
import org.protoblock.chain.store.Column;
import org.protoblock.chain.store.MempoolEntry;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.store.StoreBatch;
import org.protoblock.chain.store.StoreException;
import org.protoblock.chain.store.TxLocation;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.TxId;

/**
 * A store whose writes fail on demand, as on a full disk: {@link #failFromWrite} makes the Nth
 * write batch from now (and every one after it, until {@link #heal}) throw a
 * {@link StoreException} without writing anything. Everything else goes to the wrapped store,
 * which {@link #close} leaves open (the test reopens it). Thread-safe like the store it wraps.
 */
public final class FailingChainStore implements ChainStore {
    private final ChainStore store;
    /** Writes still allowed before they start failing; negative: never fail. */
    private final AtomicInteger allowed = new AtomicInteger(-1);
    private final AtomicInteger failed = new AtomicInteger();

    public FailingChainStore(ChainStore store) {
        this.store = store;
    }

    /** The {@code n}th write from now fails (1: the next one), and all after it. */
    public void failFromWrite(int n) {
        allowed.set(n - 1);
    }

    public void heal() {
        allowed.set(-1);
    }

    public int failedWrites() {
        return failed.get();
    }

    @Override
    public void write(StoreBatch batch) {
        if (allowed.get() == 0) {
            failed.incrementAndGet();
            throw new StoreException("write", "No space left on device (injected)");
        }
        allowed.updateAndGet(a -> a > 0 ? a - 1 : a);
        store.write(batch);
    }

    @Override
    public Optional<ChainBlock> block(BlockId id) {
        return store.block(id);
    }

    @Override
    public boolean containsBlock(BlockId id) {
        return store.containsBlock(id);
    }

    @Override
    public Optional<BlockMeta> blockMeta(BlockId id) {
        return store.blockMeta(id);
    }

    @Override
    public void forEachBlockMeta(Consumer<BlockMeta> consumer) {
        store.forEachBlockMeta(consumer);
    }

    @Override
    public Optional<ChainHead> head() {
        return store.head();
    }

    @Override
    public Optional<BlockId> mainChainId(int num) {
        return store.mainChainId(num);
    }

    @Override
    public Optional<BlockUndo> undo(BlockId id) {
        return store.undo(id);
    }

    @Override
    public Optional<TxLocation> txLocation(TxId id) {
        return store.txLocation(id);
    }

    @Override
    public Optional<NameEntry> name(String foldedName) {
        return store.name(foldedName);
    }

    @Override
    public Optional<String> nameOfKey(String publicKey) {
        return store.nameOfKey(publicKey);
    }

    @Override
    public List<MempoolEntry> mempool() {
        return store.mempool();
    }

    @Override
    public Optional<byte[]> get(Column column, byte[] key) {
        return store.get(column, key);
    }

    @Override
    public void forEach(Column column, BiConsumer<byte[], byte[]> consumer) {
        store.forEach(column, consumer);
    }

    @Override
    public StoreBatch newBatch() {
        return store.newBatch();
    }

    @Override
    public void sync() {
        store.sync();
    }

    @Override
    public long approximateSizeBytes() {
        return store.approximateSizeBytes();
    }

    /** Leaves the wrapped store open: the test closes or reopens it. */
    @Override
    public void close() {
    }
}
