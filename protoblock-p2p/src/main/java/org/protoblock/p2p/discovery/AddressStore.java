package org.protoblock.p2p.discovery;

import java.util.List;

/**
 * Where the address book, its bucket secret, the signed peer records and the anchors persist. Implementations: over the
 * chain store's columns for a node, in memory for tests. Called from discovery's thread only.
 */
public interface AddressStore {
    /** The stored 32-byte secret, or a fresh one (stored at once). */
    byte[] loadOrCreateSecret();

    /** Every stored entry; unreadable ones are skipped (the book is a cache). */
    List<KnownPeer> loadEntries();

    /** Every stored signed record, least recently used first; unreadable ones are skipped. Verified by the caller. */
    List<SignedRecord> loadRecords();

    /** Replaces the stored book with {@code entries} and the stored records with {@code records}, in one atomic write. */
    void saveEntries(List<KnownPeer> entries, List<SignedRecord> records);

    List<KnownPeer> loadAnchors();

    void saveAnchors(List<KnownPeer> anchors);
}
