package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * Finding 3 of issue 10 (gossip part): transactions a peer floods us with never fill the chain
 * executor's queue, which also carries blocks. The chain executor is held busy (a listener blocks
 * on it) while a peer serves 2,048 transaction bodies; a block submitted meanwhile is queued, not
 * refused, and connects once the executor is free.
 */
class TxLoadBlockSubmissionTest {
    /** Below the 2,048 bodies one peer has in flight, above GossipConfig.maxTxsValidating. */
    private static final int CHAIN_QUEUE = 1_500;

    @TempDir
    Path dir;

    @Test
    void aTransactionFloodNeverGetsABlockRefused() throws Exception {
        Devnet devnet = Devnet.create(1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode victim = net.addNode(net.chainConfig().withMaxQueuedTasks(CHAIN_QUEUE), TestNetwork.fastP2pConfig().build());
            int flood = GossipConfig.defaults().maxInventoryIds();
            Map<TxId, ByteString> bodies = new HashMap<>();
            for (int i = 0; i < flood; i++) {
                ChainTransaction tx = devnet.nameTx("flood" + i);
                bodies.put(tx.id(), tx.proto().toByteString());
            }
            CountDownLatch release = new CountDownLatch(1);
            ChainListener blocker = new ChainListener() {
                @Override
                public void onTransactionAccepted(ChainTransaction tx) {
                    try {
                        release.await(30, TimeUnit.SECONDS); // holds the chain executor
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            victim.chain().addListener(blocker);
            CompletableFuture<?> seed = victim.chain().submitTransaction(devnet.nameTx("seed"));
            try (PeerHost flooder = GossipFixtures.bareHost(net, victim, GossipFixtures.servingTxs(bodies))) {
                Session link = flooder.dial(victim.address()).get(10, TimeUnit.SECONDS);
                GossipFixtures.announceTxs(link, bodies.keySet());
                int asked = GossipConfig.defaults().maxTxRequestsPerPeer() * GossipConfig.defaults().maxTxsPerRequest();
                await().atMost(Duration.ofSeconds(20)).until(() -> victim.p2p().metrics().txBodiesReceived.sum() >= asked);
                victim.p2p().txGossip().sanityCheck().get(10, TimeUnit.SECONDS); // every body received has been handled

                ChainBlock block = devnet.childOf(devnet.genesis(), 0, devnet.nameTx("in a block"));
                CompletableFuture<AddOutcome> submitted = victim.chain().submitBlock(block);
                assertThat(submitted).as("refused while transactions fill the queue").isNotCompletedExceptionally();
                release.countDown();
                assertThat(submitted.get(30, TimeUnit.SECONDS).status()).isEqualTo(BlockStatus.CONNECTED);
                seed.get(30, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                victim.chain().removeListener(blocker);
            }
        }
    }
}
