package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.peer.PeerScores;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.transport.PeerAddress;

/** A peer that serves forged blocks is disconnected; the honest peer's blocks complete the sync. */
class MisbehavingPeerSyncTest {
    @TempDir
    Path dir;

    @Test
    void aPeerServingABlockWithAForgedTransactionIsDroppedAndSyncCompletesFromAnHonestPeer() throws Exception {
        Devnet devnet = Devnet.create(1);
        List<ChainBlock> blocks = SyncFixtures.chain(devnet, devnet.genesis(), 300, 3);
        ChainBlock last = blocks.get(blocks.size() - 1);
        com.google.protobuf.ByteString otherSig = devnet.nameTx("mallory").proto().getSig();
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.ROCKSDB, dir);
             ScriptedSyncPeer forger = new ScriptedSyncPeer(devnet, net, blocks, block -> forge(block, otherSig))) {
            TestNode honest = net.addNode();
            SyncFixtures.load(honest.chain(), blocks);
            TestNode fresh = net.addNode();
            PeerAddress forgerAddress = forger.host().listen(PeerAddress.local("forger-" + System.nanoTime())).get(10, TimeUnit.SECONDS);

            // the forger first, so it is the header source and gets the first body requests
            Session toForger = fresh.p2p().dial(forgerAddress).get(20, TimeUnit.SECONDS);
            net.connect(fresh, honest);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fresh.chain().head().id().equals(last.id()));
            await().atMost(Duration.ofSeconds(10)).until(() -> !toForger.isOpen());
            assertThat(forger.blocksServed.get()).isPositive();
            // scores decay from the moment of the offence, so the ban is what shows the threshold was crossed
            assertThat(fresh.p2p().peerManager().operator().listBanned())
                    .anyMatch(b -> b.target().nodeId().equals(java.util.Optional.of(toForger.nodeId())));
            assertThat(fresh.p2p().scores().score(toForger.nodeId())).isGreaterThan(PeerScores.DISCONNECT_THRESHOLD / 2);
            assertThat(fresh.p2p().scores().score(honest.p2p().host().nodeId())).isZero();
            assertThat(fresh.chain().sanityCheck().get(30, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void aForgedHeaderBatchDropsItsLookaheadAndTheHonestPeerCompletesTheSync() throws Exception {
        Devnet devnet = Devnet.create(1);
        List<ChainBlock> blocks = SyncFixtures.chain(devnet, devnet.genesis(), 5_000, 0);
        // the forger's second batch is signed by a key that is no producer of this network
        Devnet outsider = Devnet.create(1, 99);
        List<ChainBlock> forged = new java.util.ArrayList<>(blocks.subList(0, SyncConfig.MAX_HEADERS));
        forged.addAll(SyncFixtures.chain(outsider, forged.get(forged.size() - 1), SyncConfig.MAX_HEADERS + 1, 0));
        ChainBlock last = blocks.get(blocks.size() - 1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir);
             ScriptedSyncPeer forger = new ScriptedSyncPeer(devnet, net, forged, block -> block)) {
            TestNode honest = net.addNode();
            SyncFixtures.load(honest.chain(), blocks);
            TestNode fresh = net.addNode();
            // no polls: the honest peer must be asked again as soon as its dropped look-ahead answer is in
            fresh.p2p().sync().configure(fresh.p2p().sync().config().withMaxHeadersAhead(20_000)
                    .withPollInterval(Duration.ofMinutes(10)));
            PeerAddress forgerAddress = forger.host().listen(PeerAddress.local("forger-" + System.nanoTime())).get(10, TimeUnit.SECONDS);

            // the forger first, so it is likely the header source when its forged batch comes (the honest peer the
            // look-ahead); either way the honest chain must win and nothing forged may be applied
            fresh.p2p().dial(forgerAddress).get(20, TimeUnit.SECONDS);
            net.connect(fresh, honest);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fresh.chain().head().id().equals(last.id()));
            assertThat(fresh.chain().hasBlock(forged.get(SyncConfig.MAX_HEADERS).id())).isFalse();
            assertThat(fresh.p2p().scores().score(honest.p2p().host().nodeId())).isZero();
            assertThat(fresh.chain().sanityCheck().get(30, TimeUnit.SECONDS)).isEmpty();
        }
    }

    /** The same block (same id: the tx id does not cover the signature) with its first transaction's signature replaced. */
    private static ChainBlock forge(ChainBlock block, com.google.protobuf.ByteString otherSig) {
        if (block.transactions().isEmpty()) {
            return block;
        }
        ChainTransaction tx = block.transactions().get(0);
        ChainTransaction forged = ChainTransaction.of(tx.proto().toBuilder().setSig(otherSig).build());
        ChainBlock copy = ChainBlock.of(block.proto().toBuilder().setSignedTransactions(0, forged.proto()).build());
        assertThat(copy.id()).isEqualTo(block.id());
        return copy;
    }
}
