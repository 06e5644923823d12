package org.protoblock.p2p.peerstore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.protoblock.p2p.discovery.AddressBook;
import org.protoblock.p2p.discovery.KnownPeer;
import org.protoblock.p2p.discovery.SignedRecord;
import org.protoblock.p2p.peer.Ban;
import org.protoblock.p2p.peer.BanTarget;
import org.protoblock.p2p.peer.PeerStore;

/**
 * Peer data in memory: for tests and nodes without a disk. Survives a node's restart when the same
 * instance is handed to the new node. Threads: every method synchronized (called by two owners).
 */
public final class InMemoryPeerStore implements PeerStore {
    private Optional<byte[]> secret = Optional.empty();
    private List<KnownPeer> entries = List.of();
    private List<SignedRecord> records = List.of();
    private List<KnownPeer> anchors = List.of();
    private final Map<BanTarget, Ban> bans = new LinkedHashMap<>();

    @Override
    public synchronized byte[] loadOrCreateSecret() {
        if (secret.isEmpty()) {
            secret = Optional.of(AddressBook.newSecret());
        }
        return secret.get().clone();
    }

    @Override
    public synchronized List<KnownPeer> loadEntries() {
        return entries;
    }

    @Override
    public synchronized List<SignedRecord> loadRecords() {
        return records;
    }

    @Override
    public synchronized void saveEntries(List<KnownPeer> newEntries, List<SignedRecord> newRecords) {
        entries = List.copyOf(newEntries);
        records = List.copyOf(newRecords);
    }

    @Override
    public synchronized List<KnownPeer> loadAnchors() {
        return anchors;
    }

    @Override
    public synchronized void saveAnchors(List<KnownPeer> newAnchors) {
        anchors = List.copyOf(newAnchors);
    }

    @Override
    public synchronized List<Ban> loadBans() {
        return new ArrayList<>(bans.values());
    }

    @Override
    public synchronized void saveBan(Ban ban) {
        bans.put(ban.target(), ban);
    }

    @Override
    public synchronized void deleteBans(List<BanTarget> targets) {
        targets.forEach(bans::remove);
    }
}
