package org.protoblock.chain.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.TxId;

/**
 * The typed half of a {@link ChainStore}, written once over a backend's raw columns, so that the
 * RocksDB and in-memory stores hold the same bytes and decode them the same way. A backend supplies
 * {@link #get}, {@link #forEach} and {@link #commit}.
 *
 * <p>Threads: as {@link ChainStore}; the backend makes reads safe from any thread and commits atomic.
 */
abstract class KeyValueChainStore implements ChainStore {

    /** Stages and commits every operation of the batch, all or nothing. */
    protected abstract void commit(EncodedBatch batch);

    @Override
    public final StoreBatch newBatch() {
        return new EncodedBatch();
    }

    @Override
    public final void write(StoreBatch batch) {
        EncodedBatch encoded = EncodedBatch.of(batch);
        if (!encoded.isEmpty()) {
            commit(encoded);
        }
    }

    @Override
    public final Optional<ChainBlock> block(BlockId id) {
        byte[] key = Keys.id(id);
        return get(Column.BLOCKS, key).map(value -> BlockCodec.decode(key, value));
    }

    /** Looks at the small meta record, written and deleted with the block, not the block body. */
    @Override
    public final boolean containsBlock(BlockId id) {
        return get(Column.BLOCK_META, Keys.id(id)).isPresent();
    }

    @Override
    public final Optional<BlockMeta> blockMeta(BlockId id) {
        byte[] key = Keys.id(id);
        return get(Column.BLOCK_META, key).map(value -> RecordCodec.decodeMeta(key, value));
    }

    @Override
    public final void forEachBlockMeta(Consumer<BlockMeta> consumer) {
        forEach(Column.BLOCK_META, (key, value) -> consumer.accept(RecordCodec.decodeMeta(key, value)));
    }

    @Override
    public final Optional<ChainHead> head() {
        return get(Column.META, Keys.HEAD).map(RecordCodec::decodeHead);
    }

    @Override
    public final Optional<BlockId> mainChainId(int num) {
        if (num < 0) {
            return Optional.empty();
        }
        byte[] key = Keys.num(num);
        return get(Column.MAIN_INDEX, key).map(value -> RecordCodec.decodeMainChainId(key, value));
    }

    @Override
    public final Optional<BlockUndo> undo(BlockId id) {
        byte[] key = Keys.id(id);
        return get(Column.UNDO, key).map(value -> RecordCodec.decodeUndo(key, value));
    }

    @Override
    public final Optional<TxLocation> txLocation(TxId id) {
        byte[] key = Keys.id(id);
        return get(Column.TX_INDEX, key).map(value -> RecordCodec.decodeTxLocation(key, value));
    }

    @Override
    public final Optional<NameEntry> name(String foldedName) {
        byte[] key = Keys.utf8(foldedName);
        return get(Column.NAMES, key).map(value -> RecordCodec.decodeName(key, value));
    }

    @Override
    public final Optional<String> nameOfKey(String publicKey) {
        byte[] key = Keys.utf8(publicKey);
        return get(Column.NAME_KEYS, key).map(value -> Keys.utf8(Column.NAME_KEYS, key, value));
    }

    /** Loads the whole (bounded) mempool and sorts it: entries are keyed by tx id for deletion. */
    @Override
    public final List<MempoolEntry> mempool() {
        List<MempoolEntry> entries = new ArrayList<>();
        forEach(Column.MEMPOOL, (key, value) -> entries.add(RecordCodec.decodeMempool(key, value)));
        entries.sort(Comparator.comparingLong(MempoolEntry::arrivalSeq));
        return entries;
    }
}
