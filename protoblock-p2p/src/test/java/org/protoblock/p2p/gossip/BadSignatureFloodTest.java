package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.proto.TransType;
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
 * Finding 3 of issue 10 (chain side, through a real link): a peer floods us with transactions of a
 * registered name under bad signatures while the chain executor is busy (a listener holds it). The
 * signatures are judged off the chain executor: the flooder is scored while the executor is still
 * held, and blocks submitted meanwhile queue (not refused) and connect in order once it is free.
 */
class BadSignatureFloodTest {
    /** Below the bodies one peer has validating at once (GossipConfig.maxTxsValidating). */
    private static final int CHAIN_QUEUE = 64;
    private static final int BLOCKS = 8;

    @TempDir
    Path dir;

    @Test
    void aBadSignatureFloodIsScoredWithoutTheChainExecutorAndBlocksStillConnect() throws Exception {
        Devnet devnet = Devnet.create(1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode victim = net.addNode(net.chainConfig().withMaxQueuedTasks(CHAIN_QUEUE), TestNetwork.fastP2pConfig().build());
            ChainBlock registered = devnet.childOf(devnet.genesis(), 0, devnet.nameTx("alice"));
            assertThat(victim.chain().submitBlock(registered).get(10, TimeUnit.SECONDS).status()).isEqualTo(BlockStatus.CONNECTED);
            Map<TxId, ByteString> bodies = new LinkedHashMap<>();
            for (int i = 0; i < GossipConfig.defaults().maxInventoryIds(); i++) {
                ChainTransaction forged = devnet.txBuilder("alice", TransType.DATA).signer(devnet.newKey()).build();
                bodies.put(forged.id(), forged.proto().toByteString());
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
                await().atMost(Duration.ofSeconds(20)).until(() -> victim.p2p().scores().score(flooder.nodeId()) > 0);
                victim.p2p().txGossip().sanityCheck().get(10, TimeUnit.SECONDS); // every body received has been handled

                List<CompletableFuture<AddOutcome>> blocks = new ArrayList<>();
                for (ChainBlock block : devnet.emptyChain(registered, BLOCKS)) {
                    CompletableFuture<AddOutcome> submitted = victim.chain().submitBlock(block);
                    assertThat(submitted).as("%s refused under the flood", block).isNotCompletedExceptionally();
                    blocks.add(submitted);
                }
                release.countDown();
                for (CompletableFuture<AddOutcome> block : blocks) {
                    assertThat(block.get(30, TimeUnit.SECONDS).status()).isEqualTo(BlockStatus.CONNECTED);
                }
                assertThat(victim.chain().head().num()).isEqualTo(1 + BLOCKS);
                assertThat(victim.chain().mempoolSize()).isEqualTo(1); // the seed only
                seed.get(30, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                victim.chain().removeListener(blocker);
            }
        }
    }
}
