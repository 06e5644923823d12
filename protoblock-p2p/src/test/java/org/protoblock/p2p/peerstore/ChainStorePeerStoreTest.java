package org.protoblock.p2p.peerstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.store.Column;
import org.protoblock.chain.store.RocksDbChainStore;
import org.protoblock.p2p.discovery.SignedRecord;
import org.protoblock.p2p.identity.IdentityKey;
import org.protoblock.p2p.transport.PeerAddress;

/** Signed records in RocksDB beside the address book: order, replacement, unreadable values. */
class ChainStorePeerStoreTest {
    @TempDir
    Path dir;

    private static List<SignedRecord> records(int count) {
        List<SignedRecord> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(SignedRecord.sign(IdentityKey.generate(),
                    List.of(SignedRecord.Address.direct(PeerAddress.tcp("8.8." + i + ".1", 8125))), 1_000 + i));
        }
        return out;
    }

    @Test
    void recordsSurviveAReopenInTheirOrderAndAShorterSaveDropsTheRest() {
        List<SignedRecord> five = records(5);
        try (RocksDbChainStore store = RocksDbChainStore.open(dir)) {
            ChainStorePeerStore peers = new ChainStorePeerStore(store);
            assertThat(peers.loadRecords()).isEmpty();
            peers.saveEntries(List.of(), five);
        }
        try (RocksDbChainStore store = RocksDbChainStore.open(dir)) {
            ChainStorePeerStore peers = new ChainStorePeerStore(store);
            List<SignedRecord> loaded = peers.loadRecords();
            assertThat(loaded).containsExactlyElementsOf(five);
            assertThat(loaded).allMatch(SignedRecord::verifies);
            peers.saveEntries(List.of(), five.subList(3, 5));
        }
        try (RocksDbChainStore store = RocksDbChainStore.open(dir)) {
            assertThat(new ChainStorePeerStore(store).loadRecords()).containsExactlyElementsOf(five.subList(3, 5));
        }
    }

    @Test
    void anUnreadableRecordIsSkipped() {
        List<SignedRecord> two = records(2);
        try (RocksDbChainStore store = RocksDbChainStore.open(dir)) {
            new ChainStorePeerStore(store).saveEntries(List.of(), two);
            byte[] firstKey = ByteBuffer.allocate(5).put((byte) 'r').putInt(0).array();
            store.write(store.newBatch().put(Column.ADDRESS_BOOK, firstKey, new byte[] {(byte) 0xff, 0x01}));
            assertThat(new ChainStorePeerStore(store).loadRecords()).containsExactly(two.get(1));
        }
    }
}
