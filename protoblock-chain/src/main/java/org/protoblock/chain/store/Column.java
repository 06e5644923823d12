package org.protoblock.chain.store;

/**
 * The store's column families. Keys of {@link #MAIN_INDEX} are big-endian so that RocksDB's byte
 * order is numeric order (see {@link Keys}).
 */
public enum Column {
    /** block id → serialized Block (every stored block, on any branch). */
    BLOCKS("blocks"),
    /** block id → BlockMeta (num, parent, arrival sequence): rebuilds the block tree on start. */
    BLOCK_META("block_meta"),
    /** block id → serialized SignedBlockHeader: headers are served without reading bodies. */
    HEADERS("headers"),
    /** big-endian int32 num → block id, main chain only. */
    MAIN_INDEX("main_index"),
    /** block id → BlockUndo, for blocks applied to the main chain. */
    UNDO("undo"),
    /** tx id → TxLocation, transactions of the main chain. */
    TX_INDEX("tx_index"),
    /** case-folded fantasy name → NameEntry. */
    NAMES("names"),
    /** base58 public key → case-folded fantasy name. */
    NAME_KEYS("name_keys"),
    /** tx id → MempoolEntry (arrival sequence + serialized SignedTransaction). */
    MEMPOOL("mempool"),
    /** owned by the p2p layer: address book entries. */
    ADDRESS_BOOK("address_book"),
    /** owned by the p2p layer: bans. */
    BANS("bans"),
    /** well-known keys: head, schema version, network id. */
    META("meta");

    private final String familyName;

    Column(String familyName) {
        this.familyName = familyName;
    }

    /** The RocksDB column family name (stable on disk). */
    public String familyName() {
        return familyName;
    }
}
