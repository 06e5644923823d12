package org.protoblock.p2p.discovery;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
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
import org.protoblock.p2p.discovery.proto.StoredAddress;
import org.protoblock.p2p.discovery.proto.StoredAnchors;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address book, its secret and the anchors in the store's {@link Column#ADDRESS_BOOK}:
 * <pre>
 *   "k"                  the book's 32-byte bucket secret (so positions survive restarts)
 *   "anchors"            StoredAnchors
 *   'e' + node id (32)   StoredAddress
 * </pre>
 * A save writes the whole book in one atomic batch, deleting entries that left it. Unreadable
 * records are skipped with a log line (the book is a cache: losing an entry costs little).
 * Call from the peer manager's thread only.
 */
public final class AddressBookStore {
    private static final Logger log = LoggerFactory.getLogger(AddressBookStore.class);
    private static final byte[] SECRET_KEY = "k".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ANCHORS_KEY = "anchors".getBytes(StandardCharsets.US_ASCII);
    private static final byte ENTRY_PREFIX = 'e';

    private final ChainStore store;
    private final Set<NodeId> persisted = new HashSet<>();

    public AddressBookStore(ChainStore store) {
        this.store = store;
    }

    /** The stored secret, or a fresh one (stored at once). */
    public byte[] loadOrCreateSecret() {
        Optional<byte[]> stored = store.get(Column.ADDRESS_BOOK, SECRET_KEY);
        if (stored.isPresent() && stored.get().length == 32) {
            return stored.get();
        }
        byte[] secret = AddressBook.newSecret();
        store.write(store.newBatch().put(Column.ADDRESS_BOOK, SECRET_KEY, secret));
        return secret;
    }

    public List<KnownPeer> loadEntries() {
        List<KnownPeer> out = new ArrayList<>();
        store.forEach(Column.ADDRESS_BOOK, (key, value) -> {
            if (key.length != 1 + NodeId.BYTES || key[0] != ENTRY_PREFIX) {
                return;
            }
            decode(value).ifPresent(p -> {
                out.add(p);
                persisted.add(p.nodeId());
            });
        });
        return out;
    }

    /** Replaces the stored book with {@code entries}, atomically. */
    public void saveEntries(List<KnownPeer> entries) {
        StoreBatch batch = store.newBatch();
        Set<NodeId> now = new HashSet<>();
        for (KnownPeer p : entries) {
            now.add(p.nodeId());
            batch.put(Column.ADDRESS_BOOK, entryKey(p.nodeId()), encode(p).toByteArray());
        }
        for (NodeId gone : persisted) {
            if (!now.contains(gone)) {
                batch.delete(Column.ADDRESS_BOOK, entryKey(gone));
            }
        }
        store.write(batch);
        persisted.clear();
        persisted.addAll(now);
    }

    public List<KnownPeer> loadAnchors() {
        Optional<byte[]> stored = store.get(Column.ADDRESS_BOOK, ANCHORS_KEY);
        if (stored.isEmpty()) {
            return List.of();
        }
        try {
            List<KnownPeer> out = new ArrayList<>();
            for (StoredAddress a : StoredAnchors.parseFrom(stored.get()).getAnchorsList()) {
                decode(a).ifPresent(out::add);
            }
            return out;
        } catch (InvalidProtocolBufferException e) {
            log.warn("Ignoring unreadable anchors: {}", e.getMessage());
            return List.of();
        }
    }

    public void saveAnchors(List<KnownPeer> anchors) {
        StoredAnchors.Builder b = StoredAnchors.newBuilder();
        anchors.forEach(a -> b.addAnchors(encode(a)));
        store.write(store.newBatch().put(Column.ADDRESS_BOOK, ANCHORS_KEY, b.build().toByteArray()));
    }

    static StoredAddress encode(KnownPeer p) {
        return StoredAddress.newBuilder()
                .setNodeId(ByteString.copyFrom(p.nodeId().toBytes()))
                .setAddress(p.address().toString())
                .setSourceGroup(p.sourceGroup().key())
                .setLastSeenMs(p.lastSeen().toEpochMilli())
                .setLastTryMs(p.lastTry().map(Instant::toEpochMilli).orElse(0L))
                .setLastSuccessMs(p.lastSuccess().map(Instant::toEpochMilli).orElse(0L))
                .setAttempts(p.attempts())
                .setTried(p.tried())
                .build();
    }

    private static Optional<KnownPeer> decode(byte[] value) {
        try {
            return decode(StoredAddress.parseFrom(value));
        } catch (InvalidProtocolBufferException e) {
            log.warn("Skipping unreadable address book entry: {}", e.getMessage());
            return Optional.empty();
        }
    }

    static Optional<KnownPeer> decode(StoredAddress a) {
        try {
            Optional<PeerAddress> address = PeerAddress.parse(a.getAddress());
            if (address.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new KnownPeer(NodeId.fromBytes(a.getNodeId().toByteArray()), address.get(),
                    new AddressGroup(a.getSourceGroup()), Instant.ofEpochMilli(a.getLastSeenMs()),
                    a.getLastTryMs() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(a.getLastTryMs())),
                    a.getLastSuccessMs() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(a.getLastSuccessMs())),
                    a.getAttempts(), a.getTried()));
        } catch (IllegalArgumentException e) {
            log.warn("Skipping unreadable address book entry: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static byte[] entryKey(NodeId id) {
        byte[] key = new byte[1 + NodeId.BYTES];
        key[0] = ENTRY_PREFIX;
        System.arraycopy(id.toBytes(), 0, key, 1, NodeId.BYTES);
        return key;
    }
}
