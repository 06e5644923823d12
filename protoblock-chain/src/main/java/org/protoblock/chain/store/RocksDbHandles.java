package org.protoblock.chain.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * An open RocksDB database with one column family per {@link Column}, and every native object it
 * needs. Owns them all and closes them in reverse order of creation (handles, then the database,
 * then options, filter and cache), also when opening fails part-way.
 *
 * <p>Options, and why: a 64 MiB LRU block cache shared by all families bounds memory; bloom
 * filters (10 bits/key) on the families read by id, where most lookups are point gets, some of
 * absent keys; LZ4 on block bodies and mempool transactions (text-heavy protobuf), no compression
 * on families of hashes, which do not compress; a bounded number of open files; a bounded total WAL
 * so that rarely written families (bans, address book) do not pin old logs.
 *
 * <p>Threads: immutable after {@link #open}; closed by the store's owner once.
 */
final class RocksDbHandles implements AutoCloseable {
    static final long BLOCK_CACHE_BYTES = 64L << 20;
    static final int MAX_OPEN_FILES = 256;
    static final long MAX_TOTAL_WAL_BYTES = 64L << 20;
    private static final double BLOOM_BITS_PER_KEY = 10;
    private static final Set<Column> POINT_LOOKUP = Set.of(Column.BLOCKS, Column.BLOCK_META, Column.HEADERS, Column.UNDO,
            Column.TX_INDEX, Column.NAMES, Column.NAME_KEYS, Column.MEMPOOL);
    private static final Set<Column> COMPRESSED = Set.of(Column.BLOCKS, Column.MEMPOOL);

    static {
        RocksDB.loadLibrary();
    }

    final RocksDB db;
    final Map<Column, ColumnFamilyHandle> families;
    /** Writes go to the WAL unsynced; RocksDbChainStore.sync() flushes it (see there why). */
    final WriteOptions write;
    private final Deque<AutoCloseable> owned;

    private RocksDbHandles(RocksDB db, Map<Column, ColumnFamilyHandle> families, WriteOptions write,
                           Deque<AutoCloseable> owned) {
        this.db = db;
        this.families = families;
        this.write = write;
        this.owned = owned;
    }

    static RocksDbHandles open(Path dir) {
        Deque<AutoCloseable> owned = new ArrayDeque<>();
        try {
            Files.createDirectories(dir);
            checkNoUnknownFamilies(dir);
            LRUCache cache = own(owned, new LRUCache(BLOCK_CACHE_BYTES));
            BloomFilter bloom = own(owned, new BloomFilter(BLOOM_BITS_PER_KEY));
            DBOptions dbOptions = own(owned, new DBOptions()
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setMaxOpenFiles(MAX_OPEN_FILES)
                    .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES)
                    .setMaxBackgroundJobs(2)
                    .setKeepLogFileNum(3)
                    .setInfoLogLevel(InfoLogLevel.WARN_LEVEL));
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY,
                    own(owned, new ColumnFamilyOptions())));
            for (Column column : Column.values()) {
                descriptors.add(new ColumnFamilyDescriptor(familyName(column),
                        own(owned, familyOptions(column, cache, bloom))));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = own(owned, RocksDB.open(dbOptions, dir.toString(), descriptors, handles));
            handles.forEach(handle -> own(owned, handle));
            Map<Column, ColumnFamilyHandle> families = new EnumMap<>(Column.class);
            for (Column column : Column.values()) {
                families.put(column, handles.get(column.ordinal() + 1));
            }
            WriteOptions write = own(owned, new WriteOptions().setSync(false));
            return new RocksDbHandles(db, families, write, owned);
        } catch (RocksDBException | IOException | RuntimeException e) {
            closeAll(owned);
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("open " + dir, e);
        }
    }

    private static ColumnFamilyOptions familyOptions(Column column, LRUCache cache, BloomFilter bloom) {
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        if (POINT_LOOKUP.contains(column)) {
            table.setFilterPolicy(bloom);
        }
        return new ColumnFamilyOptions()
                .setTableFormatConfig(table)
                .setCompressionType(COMPRESSED.contains(column)
                        ? CompressionType.LZ4_COMPRESSION : CompressionType.NO_COMPRESSION);
    }

    /** A family this node does not know means a newer node wrote the directory: refuse it. */
    private static void checkNoUnknownFamilies(Path dir) throws RocksDBException {
        if (!Files.exists(dir.resolve("CURRENT"))) {
            return;
        }
        List<byte[]> existing;
        try (Options options = new Options()) {
            existing = RocksDB.listColumnFamilies(options, dir.toString());
        }
        Set<String> known = Arrays.stream(Column.values()).map(Column::familyName).collect(Collectors.toSet());
        known.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8));
        for (byte[] name : existing) {
            String family = new String(name, StandardCharsets.UTF_8);
            if (!known.contains(family)) {
                throw new StoreException("open " + dir, "unknown column family '" + family
                        + "' (written by a newer node?)");
            }
        }
    }

    private static byte[] familyName(Column column) {
        return column.familyName().getBytes(StandardCharsets.UTF_8);
    }

    private static <T extends AutoCloseable> T own(Deque<AutoCloseable> owned, T resource) {
        owned.push(resource);
        return resource;
    }

    private static void closeAll(Deque<AutoCloseable> owned) {
        StoreException failure = null;
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new StoreException("close", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        closeAll(owned);
    }
}
