package org.protoblock.chain.store;

/** Where a backend stages a batch's encoded operations before committing them all at once. */
interface OpSink {

    void put(Column column, byte[] key, byte[] value);

    void delete(Column column, byte[] key);
}
