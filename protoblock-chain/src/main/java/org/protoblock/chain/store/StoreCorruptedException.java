package org.protoblock.chain.store;

import java.util.HexFormat;

/**
 * A stored record does not decode: the data directory is damaged (or was written by something
 * else). Names the column and key so the record can be found with a RocksDB tool.
 */
public final class StoreCorruptedException extends StoreException {

    public StoreCorruptedException(Column column, byte[] key, String problem) {
        this(column, key, problem, null);
    }

    public StoreCorruptedException(Column column, byte[] key, String problem, Throwable cause) {
        super("store corrupted: " + column.familyName() + "[" + HexFormat.of().formatHex(key) + "]: " + problem,
                cause, true);
    }
}
