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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh node syncs a long chain from three peers while one of them is killed mid-sync and
 * another answers every request 300 ms late (a real delay in its server).
 */
class FreshNodeSyncTest {
    private static final Logger log = LoggerFactory.getLogger(FreshNodeSyncTest.class);

    @TempDir
    Path dir;

    @Test
    void tenThousandBlocksFromThreePeersDespiteAKilledAndASlowPeer() throws Exception {
        Devnet devnet = Devnet.create(1);
        List<ChainBlock> blocks = SyncFixtures.chain(devnet, devnet.genesis(), 10_000, 100);
        ChainBlock last = blocks.get(blocks.size() - 1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.ROCKSDB, dir)) {
            TestNode killed = net.addNode();
            TestNode slow = net.addNode();
            TestNode steady = net.addNode();
            long t0 = System.nanoTime();
            SyncFixtures.load(List.of(killed.chain(), slow.chain(), steady.chain()), blocks);
            log.info("peers loaded {} blocks in {} ms", blocks.size(), (System.nanoTime() - t0) / 1_000_000);
            slow.p2p().sync().configure(slow.p2p().sync().config().withServeDelay(Duration.ofMillis(300)));

            TestNode fresh = net.addNode();
            long t1 = System.nanoTime();
            net.connect(fresh, killed);
            net.connect(fresh, slow);
            net.connect(fresh, steady);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fresh.chain().head().num() >= 2_500);
            killed.stop();
            assertThat(fresh.chain().head().num()).isLessThan(last.num());
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                    .until(() -> fresh.chain().head().id().equals(last.id()));
            double secs = (System.nanoTime() - t1) / 1e9;
            log.info("fresh node synced {} blocks in {} s ({} blocks/s); {}", blocks.size(), String.format("%.1f", secs),
                    String.format("%.0f", blocks.size() / secs), fresh.p2p().sync().progress());
            assertThat(fresh.p2p().metrics().blocksSynced.sum()).isGreaterThanOrEqualTo(blocks.size() - 1L);
            assertThat(slow.p2p().metrics().blocksServed.sum()).isPositive();
            assertThat(steady.p2p().metrics().blocksServed.sum()).isPositive();
            assertThat(fresh.chain().sanityCheck().get(30, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> !fresh.p2p().sync().isSyncing());
        }
    }
}
