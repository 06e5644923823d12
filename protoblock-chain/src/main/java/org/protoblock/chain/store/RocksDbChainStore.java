package org.protoblock.chain.store;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The durable {@link ChainStore}: a RocksDB database in a directory, one column family per
 * {@link Column}. A batch is one RocksDB {@code WriteBatch} appended to the write-ahead log without
 * an fsync: once {@link #write} returns, the batch survives a process crash (the log is in the
 * operating system's cache), and a crash mid-write keeps none of it. {@link #sync()} (called
 * periodically by the chain and on close) makes everything written so far survive a power loss
 * too; after one, the store recovers to a consistent earlier point and the missing blocks are
 * fetched again from peers. Rationale: an fsync per block capped block application at a few
 * hundred blocks per second, which sync from peers would hit at once. The directory carries a
 * schema version, checked on open.
 *
 * <p>Threads: reads from any thread, writes from one writer at a time (RocksDB itself is
 * thread-safe). Operations share a read lock that {@link #close()} takes exclusively, so no call
 * ever reaches a freed native handle: after close, every call throws {@link StoreException}.
 */
public final class RocksDbChainStore extends KeyValueChainStore {
    /** Bumped when a stored encoding changes incompatibly. */
    public static final int SCHEMA_VERSION = 1;

    private final Path dir;
    private final RocksDbHandles handles;
    private final Lock useLock;
    private final Lock closeLock;
    private boolean closed;

    private RocksDbChainStore(Path dir, RocksDbHandles handles) {
        this.dir = dir;
        this.handles = handles;
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        this.useLock = lock.readLock();
        this.closeLock = lock.writeLock();
    }

    /** Opens the store in {@code dir}, creating it if absent. */
    public static RocksDbChainStore open(Path dir) {
        RocksDbChainStore store = new RocksDbChainStore(dir, RocksDbHandles.open(dir));
        try {
            store.checkSchemaVersion();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private void checkSchemaVersion() {
        Optional<byte[]> stored = get(Column.META, Keys.SCHEMA_VERSION);
        if (stored.isEmpty()) {
            write(newBatch().put(Column.META, Keys.SCHEMA_VERSION, RecordCodec.encodeSchemaVersion(SCHEMA_VERSION)));
            return;
        }
        int version = RecordCodec.decodeSchemaVersion(stored.get());
        if (version != SCHEMA_VERSION) {
            throw new StoreException("open " + dir, "schema version " + version + ", this node reads "
                    + SCHEMA_VERSION);
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public Optional<byte[]> get(Column column, byte[] key) {
        return use("get " + column.familyName(), () -> {
            try {
                return Optional.ofNullable(handles.db.get(family(column), key));
            } catch (RocksDBException e) {
                throw new StoreException("get " + column.familyName(), e);
            }
        });
    }

    /** Iterates an implicit snapshot of the column, in unsigned key order. */
    @Override
    public void forEach(Column column, BiConsumer<byte[], byte[]> consumer) {
        String operation = "forEach " + column.familyName();
        use(operation, () -> {
            try (RocksIterator it = handles.db.newIterator(family(column))) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    consumer.accept(it.key(), it.value());
                }
                it.status();
            } catch (RocksDBException e) {
                throw new StoreException(operation, e);
            }
            return null;
        });
    }

    @Override
    protected void commit(EncodedBatch batch) {
        use("write", () -> {
            try (WriteBatch writeBatch = new WriteBatch()) {
                batch.stageInto(new OpSink() {
                    @Override
                    public void put(Column column, byte[] key, byte[] value) {
                        try {
                            writeBatch.put(family(column), key, value);
                        } catch (RocksDBException e) {
                            throw new StoreException("write (staging " + column.familyName() + ")", e);
                        }
                    }

                    @Override
                    public void delete(Column column, byte[] key) {
                        try {
                            writeBatch.delete(family(column), key);
                        } catch (RocksDBException e) {
                            throw new StoreException("write (staging " + column.familyName() + ")", e);
                        }
                    }
                });
                handles.db.write(handles.write, writeBatch);
            } catch (RocksDBException e) {
                throw new StoreException("write", e);
            }
            return null;
        });
    }

    /** SST files plus memtables of every column family. */
    @Override
    public long approximateSizeBytes() {
        return use("approximateSizeBytes", () -> {
            long total = 0;
            try {
                for (ColumnFamilyHandle family : handles.families.values()) {
                    total += handles.db.getLongProperty(family, "rocksdb.total-sst-files-size");
                    total += handles.db.getLongProperty(family, "rocksdb.cur-size-all-mem-tables");
                }
            } catch (RocksDBException e) {
                throw new StoreException("approximateSizeBytes", e);
            }
            return total;
        });
    }

    /** Idempotent; waits for calls in progress, then frees every native object. */
    @Override
    public void sync() {
        use("sync", () -> {
            try {
                handles.db.flushWal(true);
            } catch (RocksDBException e) {
                throw new StoreException("sync", e);
            }
            return null;
        });
    }

    @Override
    public void close() {
        closeLock.lock();
        try {
            if (!closed) {
                try {
                    handles.db.flushWal(true);
                } catch (RocksDBException e) {
                    throw new StoreException("close (sync)", e);
                } finally {
                    closed = true;
                    handles.close();
                }
            }
        } finally {
            closeLock.unlock();
        }
    }

    private ColumnFamilyHandle family(Column column) {
        return handles.families.get(column);
    }

    private <T> T use(String operation, Supplier<T> action) {
        useLock.lock();
        try {
            if (closed) {
                throw new StoreException(operation, "store is closed (" + dir + ")");
            }
            return action.get();
        } finally {
            useLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "RocksDbChainStore(" + dir + ")";
    }
}
