package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.protoblock.p2p.gossip.GossipFixtures.assertSane;
import static org.protoblock.p2p.gossip.GossipFixtures.awaitInEveryMempool;
import static org.protoblock.p2p.gossip.GossipFixtures.bodiesReceived;
import static org.protoblock.p2p.gossip.GossipFixtures.duplicates;
import static org.protoblock.p2p.gossip.GossipFixtures.inChain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ten real nodes (RocksDB) in a line, a ring and a random graph: transactions submitted at random
 * nodes reach every mempool, each body crossing to each node about once; produced blocks (compact,
 * rebuilt from mempools) reach every node and empty the mempools.
 */
class GossipTopologyTest {
    private static final Logger log = LoggerFactory.getLogger(GossipTopologyTest.class);
    private static final int NODES = 10;
    private static final int ROUNDS = 3;
    private static final int TXS_PER_ROUND = 40;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"line, IN_PROCESS", "ring, TCP", "random, IN_PROCESS"})
    void transactionsAndBlocksReachEveryNode(String topology, TestNetwork.Kind kind) throws Exception {
        Devnet devnet = Devnet.create(1);
        Random random = new Random(7);
        try (TestNetwork net = new TestNetwork(devnet, kind, TestNetwork.Storage.ROCKSDB, dir)) {
            TestNode producer = net.addProducer(0);
            for (int i = 1; i < NODES; i++) {
                net.addNode();
            }
            switch (topology) {
                case "line" -> net.line();
                case "ring" -> net.ring();
                default -> net.random(3, 11);
            }
            List<TestNode> nodes = net.nodes();
            List<ChainTransaction> all = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int round = 0; round < ROUNDS; round++) {
                List<ChainTransaction> txs = new ArrayList<>();
                for (int i = 0; i < TXS_PER_ROUND; i++) {
                    ChainTransaction tx = i % 2 == 0 ? devnet.nameTx(topology + "r" + round + "n" + i) : devnet.dataTx(devnet.producerName(0));
                    TestNode origin = nodes.get(random.nextInt(NODES));
                    origin.chain().submitTransaction(tx).get(30, java.util.concurrent.TimeUnit.SECONDS);
                    txs.add(tx);
                }
                all.addAll(txs);
                awaitInEveryMempool(nodes, txs, Duration.ofSeconds(30));
                // A block of ids only: every node rebuilds it from its mempool.
                producer.chain().produceNow().get(30, java.util.concurrent.TimeUnit.SECONDS);
                net.awaitSameHead(Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().allMatch(n -> n.chain().mempoolSize() == 0));
                assertThat(nodes).allMatch(n -> txs.stream().allMatch(tx -> inChain(n, tx.id())));
                assertThat(nodes.get(NODES - 1).chain().head().num()).isEqualTo(round + 1);
            }
            long bodies = bodiesReceived(nodes);
            double perNode = (double) bodies / (NODES - 1) / all.size();
            long rebuilt = nodes.stream().mapToLong(n -> n.p2p().metrics().compactBlocksRebuilt.sum()).sum();
            long fullBlocks = nodes.stream().mapToLong(n -> n.p2p().metrics().blocksReceived.sum()).sum();
            log.info("{} over {}: {} txs, {} bodies received ({} duplicate), {} per tx per node; {} blocks rebuilt, {} fetched whole; {} ms",
                    topology, kind, all.size(), bodies, duplicates(nodes), String.format("%.3f", perNode), rebuilt, fullBlocks,
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(perNode).isLessThanOrEqualTo(1.1);
            assertThat(rebuilt).isEqualTo((long) ROUNDS * (NODES - 1));
            assertSane(nodes);
        }
    }
}
