package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/** A node that fell behind, while offline or while connected, catches up by itself. */
class CatchUpSyncTest {
    @TempDir
    Path dir;

    @Test
    void aNodeRestartedAfterFiveHundredBlocksCatchesUpOverTcp() throws Exception {
        Devnet devnet = Devnet.create(1);
        List<ChainBlock> first = SyncFixtures.chain(devnet, devnet.genesis(), 100, 10);
        List<ChainBlock> later = SyncFixtures.chain(devnet, first.get(first.size() - 1), 500, 10);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.TCP, TestNetwork.Storage.ROCKSDB, dir)) {
            TestNode peer = net.addNode();
            TestNode node = net.addNode();
            SyncFixtures.load(peer.chain(), first);
            net.connect(node, peer);
            await().atMost(Duration.ofSeconds(30)).until(() -> node.chain().head().equals(peer.chain().head()));

            node.stop();
            SyncFixtures.load(peer.chain(), later);
            node.restart(c -> c);
            assertThat(node.chain().head().num()).isEqualTo(100); // kept its store
            net.connect(node, peer); // discovery (issue 5) will re-dial by itself
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> node.chain().head().equals(peer.chain().head()));
            assertThat(node.chain().head().id()).isEqualTo(later.get(later.size() - 1).id());
            assertThat(node.p2p().metrics().blocksSynced.sum()).isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void aConnectedNodeThatFellBehindSyncsWithoutAnyAnnouncement() throws Exception {
        Devnet devnet = Devnet.create(1);
        List<ChainBlock> first = SyncFixtures.chain(devnet, devnet.genesis(), 20, 0);
        List<ChainBlock> later = SyncFixtures.chain(devnet, first.get(first.size() - 1), 50, 5);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.ROCKSDB, dir)) {
            TestNode peer = net.addNode();
            TestNode node = net.addNode();
            node.p2p().sync().configure(node.p2p().sync().config().withPollInterval(Duration.ofMillis(300)));
            SyncFixtures.load(peer.chain(), first);
            net.connect(node, peer);
            await().atMost(Duration.ofSeconds(30)).until(() -> node.chain().head().equals(peer.chain().head()));

            SyncFixtures.load(peer.chain(), later); // straight into the peer's chain
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> node.chain().head().equals(peer.chain().head()));
            assertThat(node.chain().head().id()).isEqualTo(later.get(later.size() - 1).id());
        }
    }

    @Test
    void aPeerHeadFromGossipStartsASync() throws Exception {
        Devnet devnet = Devnet.create(1);
        List<ChainBlock> first = SyncFixtures.chain(devnet, devnet.genesis(), 20, 0);
        List<ChainBlock> later = SyncFixtures.chain(devnet, first.get(first.size() - 1), 50, 0);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode peer = net.addNode();
            TestNode node = net.addNode(); // default poll interval (30 s): only the announcement can trigger sync
            SyncFixtures.load(peer.chain(), first);
            net.connect(node, peer);
            await().atMost(Duration.ofSeconds(30)).until(() -> node.chain().head().equals(peer.chain().head()));

            SyncFixtures.load(peer.chain(), later);
            ChainBlock tip = later.get(later.size() - 1);
            node.p2p().host().sessions().forEach(s -> node.p2p().sync().onPeerHead(s, tip.asHead()));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> node.chain().head().id().equals(tip.id()));
        }
    }
}
