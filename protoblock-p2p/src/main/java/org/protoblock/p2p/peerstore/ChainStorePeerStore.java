package org.protoblock.p2p.peerstore;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.protoblock.chain.store.ChainStore;
import org.protoblock.chain.store.Column;
import org.protoblock.chain.store.StoreBatch;
import org.protoblock.p2p.discovery.AddressBook;
import org.protoblock.p2p.discovery.KnownPeer;
import org.protoblock.p2p.discovery.SignedRecord;
import org.protoblock.p2p.discovery.proto.StoredAddress;
import org.protoblock.p2p.discovery.proto.StoredAnchors;
import org.protoblock.p2p.discovery.proto.StoredBan;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.peer.Ban;
import org.protoblock.p2p.peer.BanTarget;
import org.protoblock.p2p.peer.PeerStore;
import org.protoblock.p2p.wire.proto.SignedPeerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peer data in the chain store's columns (RocksDB for a node): the only p2p class that touches
 * them.
 * <pre>
 *   ADDRESS_BOOK  "k"                  the book's 32-byte bucket secret (so positions survive restarts)
 *                 "anchors"            StoredAnchors
 *                 'e' + node id (32)   StoredAddress
 *                 'r' + position (4, big-endian: least recently used first) SignedPeerRecord
 *   BANS          target text (UTF-8)  StoredBan
 * </pre>
 * A book save writes the whole book in one atomic batch, deleting entries that left it; each ban
 * change is its own small durable batch (bans are rare). Unreadable records are skipped with a log
 * line. Writes sync to disk: call from the owners' threads (discovery's for the book, the peer
 * manager's for bans), never an event loop.
 *
 * <p>Threads: the persisted-id set is touched only by the book's calls (discovery's thread).
 */
public final class ChainStorePeerStore implements PeerStore {
    private static final Logger log = LoggerFactory.getLogger(ChainStorePeerStore.class);
    private static final byte[] SECRET_KEY = "k".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ANCHORS_KEY = "anchors".getBytes(StandardCharsets.US_ASCII);
    private static final byte ENTRY_PREFIX = 'e';
    private static final byte RECORD_PREFIX = 'r';

    private final ChainStore store;
    private final Set<NodeId> persisted = new HashSet<>();
    private int persistedRecords;

    public ChainStorePeerStore(ChainStore store) {
        this.store = store;
    }

    @Override
    public byte[] loadOrCreateSecret() {
        Optional<byte[]> stored = store.get(Column.ADDRESS_BOOK, SECRET_KEY);
        if (stored.isPresent() && stored.get().length == 32) {
            return stored.get();
        }
        byte[] secret = AddressBook.newSecret();
        store.write(store.newBatch().put(Column.ADDRESS_BOOK, SECRET_KEY, secret));
        return secret;
    }

    @Override
    public List<KnownPeer> loadEntries() {
        List<KnownPeer> out = new ArrayList<>();
        store.forEach(Column.ADDRESS_BOOK, (key, value) -> {
            if (key.length != 1 + NodeId.BYTES || key[0] != ENTRY_PREFIX) {
                return;
            }
            StoredAddresses.decode(value).ifPresent(p -> {
                out.add(p);
                persisted.add(p.nodeId());
            });
        });
        return out;
    }

    @Override
    public List<SignedRecord> loadRecords() {
        List<SignedRecord> out = new ArrayList<>();
        store.forEach(Column.ADDRESS_BOOK, (key, value) -> {
            if (key.length != 1 + Integer.BYTES || key[0] != RECORD_PREFIX) {
                return;
            }
            persistedRecords++;
            try {
                out.add(SignedRecord.fromProto(SignedPeerRecord.parseFrom(value)));
            } catch (InvalidProtocolBufferException | SignedRecord.MalformedRecordException e) {
                log.warn("Skipping an unreadable signed record: {}", e.getMessage());
            }
        });
        return out;
    }

    @Override
    public void saveEntries(List<KnownPeer> entries, List<SignedRecord> records) {
        StoreBatch batch = store.newBatch();
        // Records by position (big-endian keys iterate in order): the recency order survives.
        for (int i = 0; i < records.size(); i++) {
            batch.put(Column.ADDRESS_BOOK, recordKey(i), records.get(i).toProto().toByteArray());
        }
        for (int i = records.size(); i < persistedRecords; i++) {
            batch.delete(Column.ADDRESS_BOOK, recordKey(i));
        }
        Set<NodeId> now = new HashSet<>();
        for (KnownPeer p : entries) {
            now.add(p.nodeId());
            batch.put(Column.ADDRESS_BOOK, entryKey(p.nodeId()), StoredAddresses.encode(p).toByteArray());
        }
        for (NodeId gone : persisted) {
            if (!now.contains(gone)) {
                batch.delete(Column.ADDRESS_BOOK, entryKey(gone));
            }
        }
        store.write(batch);
        persisted.clear();
        persisted.addAll(now);
        persistedRecords = records.size();
    }

    @Override
    public List<KnownPeer> loadAnchors() {
        Optional<byte[]> stored = store.get(Column.ADDRESS_BOOK, ANCHORS_KEY);
        if (stored.isEmpty()) {
            return List.of();
        }
        try {
            List<KnownPeer> out = new ArrayList<>();
            for (StoredAddress a : StoredAnchors.parseFrom(stored.get()).getAnchorsList()) {
                StoredAddresses.decode(a).ifPresent(out::add);
            }
            return out;
        } catch (InvalidProtocolBufferException e) {
            log.warn("Ignoring unreadable anchors: {}", e.getMessage());
            return List.of();
        }
    }

    @Override
    public void saveAnchors(List<KnownPeer> anchors) {
        StoredAnchors.Builder b = StoredAnchors.newBuilder();
        anchors.forEach(a -> b.addAnchors(StoredAddresses.encode(a)));
        store.write(store.newBatch().put(Column.ADDRESS_BOOK, ANCHORS_KEY, b.build().toByteArray()));
    }

    @Override
    public List<Ban> loadBans() {
        List<Ban> out = new ArrayList<>();
        store.forEach(Column.BANS, (key, value) -> {
            try {
                StoredBan b = StoredBan.parseFrom(value);
                out.add(new Ban(new BanTarget(b.getTarget()), Instant.ofEpochMilli(b.getCreatedMs()),
                        Instant.ofEpochMilli(b.getUntilMs()), b.getReason()));
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                log.warn("Skipping unreadable ban record {}: {}", new String(key, StandardCharsets.UTF_8), e.getMessage());
            }
        });
        return out;
    }

    @Override
    public void saveBan(Ban ban) {
        StoredBan record = StoredBan.newBuilder().setTarget(ban.target().text()).setCreatedMs(ban.created().toEpochMilli())
                .setUntilMs(ban.until().toEpochMilli()).setReason(ban.reason()).build();
        store.write(store.newBatch().put(Column.BANS, banKey(ban.target()), record.toByteArray()));
    }

    @Override
    public void deleteBans(List<BanTarget> targets) {
        if (targets.isEmpty()) {
            return;
        }
        StoreBatch batch = store.newBatch();
        targets.forEach(t -> batch.delete(Column.BANS, banKey(t)));
        store.write(batch);
    }

    private static byte[] entryKey(NodeId id) {
        byte[] key = new byte[1 + NodeId.BYTES];
        key[0] = ENTRY_PREFIX;
        System.arraycopy(id.toBytes(), 0, key, 1, NodeId.BYTES);
        return key;
    }

    private static byte[] recordKey(int position) {
        return ByteBuffer.allocate(1 + Integer.BYTES).put(RECORD_PREFIX).putInt(position).array();
    }

    private static byte[] banKey(BanTarget target) {
        return target.text().getBytes(StandardCharsets.UTF_8);
    }
}
