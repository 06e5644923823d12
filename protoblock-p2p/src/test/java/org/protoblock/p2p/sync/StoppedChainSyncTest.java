package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.testing.FailingChainStore;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * Finding 13 of issue 10 (p2p side): once a store write failed and the chain stopped, sync no longer
 * downloads blocks (it used to fetch the same ones again forever, each submission failing), and
 * gossip fetches neither blocks nor transactions.
 */
class StoppedChainSyncTest {
    private static final int BLOCKS = 60;

    @TempDir
    Path dir;

    @Test
    void aStoppedChainStopsDownloadingBlocks() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode producer = net.addProducer(0);
            for (int i = 0; i < BLOCKS; i++) {
                producer.chain().produceNow().get(10, TimeUnit.SECONDS);
            }
            AtomicReference<FailingChainStore> store = new AtomicReference<>();
            TestNode victim = net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig().build(), s -> {
                FailingChainStore failing = new FailingChainStore(s);
                failing.failFromWrite(BLOCKS / 4); // a full disk partway through the sync
                store.set(failing);
                return failing;
            });
            try {
                net.connect(victim, producer);
                await().atMost(Duration.ofSeconds(30)).until(() -> victim.chain().storeFailure().isPresent());
                assertThat(victim.chain().head().num()).isLessThan(BLOCKS);

                // Requests in flight when it stopped are answered; after that, nothing more is fetched.
                AtomicLong last = new AtomicLong(-1);
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                        .until(() -> last.getAndSet(victim.p2p().metrics().blocksReceived.sum()) == last.get());
                long received = last.get();

                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> victim.p2p().metrics().blocksReceived.sum() == received);
                assertThat(victim.p2p().sync().progress().state()).isEqualTo(SyncProgress.State.IDLE);
            } finally {
                store.get().heal(); // the peer store is written at close
            }
        }
    }

    @Test
    void aStoppedChainFetchesNoAnnouncedTransactionOrBlock() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode producer = net.addProducer(0);
            AtomicReference<FailingChainStore> store = new AtomicReference<>();
            TestNode victim = net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig().build(), s -> {
                store.set(new FailingChainStore(s));
                return store.get();
            });
            try {
                net.connect(victim, producer);
                store.get().failFromWrite(1);
                victim.chain().submitTransaction(net.devnet().nameTx("bob")).handle((id, e) -> e).get(10, TimeUnit.SECONDS);
                assertThat(victim.chain().storeFailure()).isPresent();

                long announced = victim.p2p().metrics().announcementsReceived.sum();
                producer.chain().submitTransaction(net.devnet().nameTx("carol")).get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> victim.p2p().metrics().announcementsReceived.sum() > announced);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> victim.p2p().metrics().txBodiesReceived.sum() == 0);

                long blockAnnounced = victim.p2p().metrics().announcementsReceived.sum();
                producer.chain().produceNow().get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> victim.p2p().metrics().announcementsReceived.sum() > blockAnnounced);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                        victim.p2p().metrics().compactBlocksRebuilt.sum() == 0 && victim.p2p().metrics().blocksReceived.sum() == 0);
                assertThat(victim.chain().head().num()).isZero();
            } finally {
                store.get().heal(); // the peer store is written at close
            }
        }
    }
}
