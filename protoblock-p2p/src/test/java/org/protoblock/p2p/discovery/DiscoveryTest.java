package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.identity.IdentityKey;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.peerstore.InMemoryPeerStore;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.transport.PeerAddress;

/** Discovery as the peer side sees it ({@link AddressSource}), on one real node with no peers. */
class DiscoveryTest {
    @TempDir
    Path dir;

    private static NodeId id(int n) {
        return AddressBookTest.id(n);
    }

    @Test
    void candidatesAreDistinctBoundedAndFiltered() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            Discovery discovery = node(net).p2p().discovery();
            for (int i = 1; i <= 20; i++) {
                discovery.learn(id(i), PeerAddress.tcp("8." + i + ".0.1", 9000));
            }
            // New-table slots are keyed per node at random: two of 20 addresses may share one (a few
            // per cent of runs), and a newcomer does not evict a fresh occupant; the book holds what it kept.
            int kept = discovery.knownPeers().size();
            assertThat(kept).isBetween(15, 20);
            AddressSource.Candidates c = discovery.candidates(5, p -> !p.nodeId().equals(id(1)))
                    .get(10, TimeUnit.SECONDS);
            assertThat(c.bookSize()).isEqualTo(kept);
            assertThat(c.peers()).hasSize(5).doesNotHaveDuplicates().noneMatch(p -> p.nodeId().equals(id(1)));
            assertThat(discovery.candidates(50, p -> true).get(10, TimeUnit.SECONDS).peers()).hasSize(kept);
            assertThat(discovery.candidates(5, p -> false).get(10, TimeUnit.SECONDS).peers()).isEmpty();
        }
    }

    @Test
    void aFailedAddressIsRedirectedByHearsayFromElsewhereAndBannedNodesAreRefused() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode node = node(net);
            Discovery discovery = node.p2p().discovery();
            discovery.heard(id(1), PeerAddress.tcp("192.0.2.2", 19104), PeerAddress.tcp("192.0.2.2", 19104));
            discovery.dialFailed(id(1), false);
            discovery.heard(id(1), PeerAddress.tcp("127.0.0.1", 19104), PeerAddress.tcp("127.0.0.1", 19100));
            await().atMost(Duration.ofSeconds(10)).until(() -> discovery.knownPeers().stream()
                    .anyMatch(p -> p.nodeId().equals(id(1)) && p.address().equals(PeerAddress.tcp("127.0.0.1", 19104))));

            node.p2p().peerManager().operator().ban(org.protoblock.p2p.peer.BanTarget.node(id(2)), Duration.ofHours(1), "t");
            discovery.heard(id(2), PeerAddress.tcp("8.8.8.8", 1), PeerAddress.tcp("8.8.4.4", 1));
            discovery.heard(id(3), PeerAddress.tcp("8.8.8.9", 1), PeerAddress.tcp("8.8.4.4", 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> discovery.knownPeers().stream().anyMatch(p -> p.nodeId().equals(id(3))));
            assertThat(discovery.knownPeers()).noneMatch(p -> p.nodeId().equals(id(2)));
        }
    }

    @Test
    void verifiedAnchorsAreSavedWithTheBookAndComeBackAfterARestart() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode node = node(net);
            InMemoryPeerStore store = new InMemoryPeerStore();
            PeerAddress verified = PeerAddress.tcp("8.1.0.1", 9000);
            try (Discovery discovery = standalone(node, store)) {
                discovery.dialSucceeded(id(1), verified);
                discovery.learn(id(2), PeerAddress.tcp("8.2.0.1", 9000));
                // id(2) was never verified at that address and id(3) is unknown: neither is an anchor
                discovery.anchors(List.of(new Contact(id(1), verified), new Contact(id(2), PeerAddress.tcp("8.2.0.2", 9000)),
                        new Contact(id(3), PeerAddress.tcp("8.3.0.1", 9000))));
                discovery.flushNow();
                assertThat(store.loadAnchors()).extracting(KnownPeer::nodeId).containsExactly(id(1));
                assertThat(store.loadEntries()).hasSize(2);
            }
            try (Discovery restarted = standalone(node, store)) {
                assertThat(restarted.savedAnchors()).extracting(KnownPeer::address).containsExactly(verified);
                assertThat(restarted.stats()).isEqualTo(new Discovery.BookStats(1, 1, 0));
            }
        }
    }

    @Test
    void signedRecordsAreSavedWithTheBookAndVerifiedAgainAtARestart() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode node = node(net);
            IdentityKey other = IdentityKey.generate();
            SignedRecord record = SignedRecord.sign(other, List.of(SignedRecord.Address.direct(PeerAddress.tcp("8.4.0.1", 8125))), 7);
            SignedRecord forged = new SignedRecord(IdentityKey.generate().nodeId(), record.addresses(), 7, record.signature());
            InMemoryPeerStore store = new InMemoryPeerStore();
            store.saveEntries(List.of(), List.of(record, forged));
            try (Discovery discovery = standalone(node, store)) {
                assertThat(discovery.record(other.nodeId())).contains(record);
                assertThat(discovery.record(forged.nodeId())).as("a stored record is verified again").isEmpty();
                discovery.flushNow();
                assertThat(store.loadRecords()).containsExactly(record);
            }
        }
    }

    private static Discovery standalone(TestNode node, InMemoryPeerStore store) {
        DiscoveryConfig config = PeerConfig.builder().lanEnabled(false).build().discovery();
        return new Discovery(node.p2p().host(), store, config, new P2pMetrics(), Clock.systemUTC(), "devnet",
                "00".repeat(32), id -> false, (s, k, d) -> { });
    }

    private static TestNode node(TestNetwork net) throws Exception {
        PeerConfig config = PeerConfig.builder().autoConnect(false).lanEnabled(false).useBuiltInSeeds(false).build();
        return net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig().build(), config, Optional.empty());
    }
}
