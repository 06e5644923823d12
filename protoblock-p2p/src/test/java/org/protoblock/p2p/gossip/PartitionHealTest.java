package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.protoblock.p2p.gossip.GossipFixtures.assertSane;
import static org.protoblock.p2p.gossip.GossipFixtures.awaitInEveryMempool;
import static org.protoblock.p2p.gossip.GossipFixtures.inChain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two halves of a six-node network, each with its own producer, grow competing branches; when the
 * halves are connected every node ends on one head, the transactions of the abandoned branch go
 * back to the mempools and are gossiped to the winning side, and the next block mines them.
 */
class PartitionHealTest {
    private static final Logger log = LoggerFactory.getLogger(PartitionHealTest.class);

    @TempDir
    Path dir;

    @Test
    void competingBranchesResolveAndAbandonedTransactionsGetMined() throws Exception {
        Devnet devnet = Devnet.create(2);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.ROCKSDB, dir)) {
            TestNode producerA = net.addProducer(0);
            TestNode a1 = net.addNode();
            TestNode a2 = net.addNode();
            TestNode producerB = net.addProducer(1);
            TestNode b1 = net.addNode();
            TestNode b2 = net.addNode();
            List<TestNode> sideA = List.of(producerA, a1, a2);
            List<TestNode> sideB = List.of(producerB, b1, b2);
            net.connect(a1, producerA);
            net.connect(a2, a1);
            net.connect(b1, producerB);
            net.connect(b2, b1);

            List<ChainTransaction> txsA = submit(devnet, "alpha", 10, a1, a2);
            List<ChainTransaction> txsB = submit(devnet, "beta", 10, b1, b2);
            ChainTransaction both = devnet.nameTx("shared");
            a2.chain().submitTransaction(both).get(30, java.util.concurrent.TimeUnit.SECONDS);
            b2.chain().submitTransaction(both).get(30, java.util.concurrent.TimeUnit.SECONDS);
            txsA.add(both);
            txsB.add(both);
            awaitInEveryMempool(sideA, txsA, Duration.ofSeconds(20));
            awaitInEveryMempool(sideB, txsB, Duration.ofSeconds(20));

            // A: two blocks (the second with later transactions); B: one block. A's branch is longer.
            producerA.chain().produceNow().get(30, java.util.concurrent.TimeUnit.SECONDS);
            List<ChainTransaction> laterA = submit(devnet, "gamma", 5, a2);
            awaitInEveryMempool(sideA, laterA, Duration.ofSeconds(20));
            producerA.chain().produceNow().get(30, java.util.concurrent.TimeUnit.SECONDS);
            producerB.chain().produceNow().get(30, java.util.concurrent.TimeUnit.SECONDS);
            net.awaitSameHead(sideA, Duration.ofSeconds(20));
            net.awaitSameHead(sideB, Duration.ofSeconds(20));
            ChainHead headA = producerA.chain().head();
            assertThat(headA.num()).isEqualTo(2);
            assertThat(producerB.chain().head().num()).isEqualTo(1);

            // Heal: two links across the cut.
            net.connect(b2, a2);
            net.connect(producerB, producerA);
            net.awaitSameHead(Duration.ofSeconds(30));
            assertThat(b1.chain().head()).isEqualTo(headA);

            List<ChainTransaction> all = new ArrayList<>(txsA);
            all.addAll(txsB.subList(0, txsB.size() - 1));
            all.addAll(laterA);
            List<TestNode> nodes = net.nodes();
            // Every accepted transaction is in the final chain everywhere, or in every mempool.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> all.stream().allMatch(tx ->
                    nodes.stream().allMatch(n -> inChain(n, tx.id())) || nodes.stream().allMatch(n -> n.chain().mempoolContains(tx.id()))));
            long returned = all.stream().filter(tx -> !inChain(producerA, tx.id())).count();
            log.info("after the heal: head {}, {} of {} transactions back in every mempool", headA, returned, all.size());
            assertThat(returned).as("B's own transactions were abandoned with its block").isEqualTo(10);

            producerA.chain().produceNow().get(30, java.util.concurrent.TimeUnit.SECONDS);
            net.awaitSameHead(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().allMatch(n -> n.chain().mempoolSize() == 0));
            assertThat(nodes).allMatch(n -> all.stream().allMatch(tx -> inChain(n, tx.id())));
            assertThat(producerB.chain().head().num()).isEqualTo(3);
            assertSane(nodes);
        }
    }

    private static List<ChainTransaction> submit(Devnet devnet, String prefix, int count, TestNode... at) throws Exception {
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChainTransaction tx = devnet.nameTx(prefix + i);
            at[i % at.length].chain().submitTransaction(tx).get(30, java.util.concurrent.TimeUnit.SECONDS);
            txs.add(tx);
        }
        return txs;
    }
}
