package org.protoblock.chain.service;

import org.protoblock.chain.store.StoreException;

/**
 * The chain took no write because an earlier store write failed (e.g. a full disk): it stays
 * stopped until the node restarts over the store, whose last complete batch is consistent.
 */
public final class ChainStoppedException extends StoreException {
    private static final long serialVersionUID = 1L;

    ChainStoppedException(StoreException first) {
        super("chain stopped after a failed store write (" + first.getMessage() + "); restart the node", first, true);
    }
}
