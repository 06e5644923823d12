/**
 * The chain store: {@link org.protoblock.chain.store.ChainStore} and its two backends.
 *
 * <p>Layout: one RocksDB column family per {@link org.protoblock.chain.store.Column}. Keys are built
 * by {@link org.protoblock.chain.store.Keys} (raw 32-byte ids, big-endian heights, UTF-8 names);
 * blocks are their serialized {@code Block} bytes; the store's own records are encoded with
 * {@code store.proto}. {@link org.protoblock.chain.store.InMemoryChainStore} keeps exactly the same
 * bytes in sorted maps, so the simulator and tests exercise the production encodings and order.
 *
 * <p>Writes: a {@link org.protoblock.chain.store.StoreBatch} encodes as it is built and is
 * committed whole: one synced RocksDB {@code WriteBatch}, or one locked update of the maps.
 * The tests' {@code StoreConsistency} checks what one batch per block guarantees.
 */
package org.protoblock.chain.store;
