package org.protoblock.chain.store;

/**
 * A store operation failed (I/O, RocksDB error, store closed). Unchecked: callers cannot repair
 * the store, and the node's reaction (stop the chain executor, report) is the same everywhere.
 * The message names the operation that failed.
 */
public class StoreException extends RuntimeException {

    public StoreException(String operation, String problem) {
        super("store " + operation + ": " + problem);
    }

    public StoreException(String operation, Throwable cause) {
        super("store " + operation + ": " + cause.getMessage(), cause);
    }

    protected StoreException(String message, Throwable cause, boolean unused) {
        super(message, cause);
    }
}
