package org.protoblock.chain.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;

/**
 * A {@link ChainStore} in memory, for the simulator and tests: one sorted map per column, ordered
 * like RocksDB (unsigned lexicographic bytes) and holding the same encoded bytes, so both stores
 * share codec, key order and semantics. Nothing survives {@link #close()}.
 *
 * <p>Atomicity: a batch is first staged completely (a failure while staging changes nothing), then
 * applied under the write lock of a {@link ReadWriteLock}; every read holds the read lock, so no
 * reader sees half a batch. A lock rather than a copy-on-write swap: copying the maps per batch
 * would make each block O(store size).
 *
 * <p>Threads: reads from any thread; writes from one writer at a time (as {@link ChainStore}).
 * {@link #forEach} snapshots the column under the read lock and calls the consumer outside it, as
 * a RocksDB iterator sees a snapshot, so a consumer may itself write without deadlocking.
 */
public final class InMemoryChainStore extends KeyValueChainStore {
    private final Map<Column, ConcurrentSkipListMap<byte[], byte[]>> columns = new EnumMap<>(Column.class);
    private final Lock readLock;
    private final Lock writeLock;
    /** Bytes of keys and values held; guarded by the write lock. */
    private long sizeBytes;
    private boolean closed;

    public InMemoryChainStore() {
        for (Column column : Column.values()) {
            columns.put(column, new ConcurrentSkipListMap<>(Arrays::compareUnsigned));
        }
        ReadWriteLock lock = new ReentrantReadWriteLock();
        readLock = lock.readLock();
        writeLock = lock.writeLock();
    }

    @Override
    public Optional<byte[]> get(Column column, byte[] key) {
        readLock.lock();
        try {
            checkOpen("get " + column.familyName());
            return Optional.ofNullable(columns.get(column).get(key)).map(byte[]::clone);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public void forEach(Column column, BiConsumer<byte[], byte[]> consumer) {
        List<Map.Entry<byte[], byte[]>> snapshot;
        readLock.lock();
        try {
            checkOpen("forEach " + column.familyName());
            snapshot = new ArrayList<>(columns.get(column).entrySet());
        } finally {
            readLock.unlock();
        }
        // Stored arrays are never mutated (puts replace them), so handing out copies suffices.
        snapshot.forEach(e -> consumer.accept(e.getKey().clone(), e.getValue().clone()));
    }

    @Override
    protected void commit(EncodedBatch batch) {
        List<BatchOp> staged = new ArrayList<>();
        batch.stageInto(new OpSink() {
            @Override
            public void put(Column column, byte[] key, byte[] value) {
                staged.add(new BatchOp.Put(column, key, value));
            }

            @Override
            public void delete(Column column, byte[] key) {
                staged.add(new BatchOp.Delete(column, key));
            }
        });
        writeLock.lock();
        try {
            checkOpen("write");
            for (BatchOp op : staged) {
                apply(op);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void apply(BatchOp op) {
        if (op instanceof BatchOp.Put put) {
            byte[] old = columns.get(put.column()).put(put.key(), put.value());
            sizeBytes += put.value().length + (old == null ? put.key().length : -old.length);
        } else if (op instanceof BatchOp.Delete delete) {
            byte[] old = columns.get(delete.column()).remove(delete.key());
            sizeBytes -= old == null ? 0 : old.length + delete.key().length;
        } else {
            throw new IllegalStateException("staged an unknown op " + op);
        }
    }

    @Override
    public void sync() {
        // nothing to make durable
    }

    @Override
    public long approximateSizeBytes() {
        readLock.lock();
        try {
            return sizeBytes;
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            closed = true;
            columns.values().forEach(Map::clear);
            sizeBytes = 0;
        } finally {
            writeLock.unlock();
        }
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new StoreException(operation, "store is closed");
        }
    }
}
