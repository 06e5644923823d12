package org.protoblock.node.sp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.testing.LocalNet;
import org.protoblock.node.wallet.NonceSource;
import org.protoblock.node.wallet.TxFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures (BENCHMARKS.md, "SP subscribers"): does a node with 1,000 SUB clients on each PUB topic
 * (blocks and transactions; clients that never read) sync a peer and gossip transactions as fast as
 * one without? Alternates runs without and with subscribers, {@value #ROUNDS} of each, and logs one
 * line per run. Run with {@code -Pslow -Dtest=SubscriberLoadTest}.
 */
@Tag("slow")
class SubscriberLoadTest {
    private static final Logger log = LoggerFactory.getLogger(SubscriberLoadTest.class);
    private static final int ROUNDS = 3;
    private static final int SUBSCRIBERS = 1000;
    private static final int BLOCKS = 400;
    private static final int TXS_PER_BLOCK = 20;
    private static final int GOSSIP_TXS = 2000;
    /** The paced phase: BENCHMARKS.md's gossip rate (200 tx/s), latency per transaction to the peer's mempool. */
    private static final int PACED_TXS = 600;
    private static final int PACED_RATE = 200;
    private static final TxFactory TX = new TxFactory(NonceSource.system());

    @TempDir
    Path dir;

    @Test
    void syncAndGossipWithAndWithoutSubscribers() throws Exception {
        assumeTrue(StalledSubscribers.maxOpenFiles() >= 8L * SUBSCRIBERS, "needs `ulimit -n` of at least " + 8 * SUBSCRIBERS);
        List<String> lines = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int subscribers : new int[] {0, SUBSCRIBERS}) {
                lines.add(run(dir.resolve("r" + round + "-" + subscribers), subscribers));
            }
        }
        lines.forEach(l -> log.info("MEASURED {}", l));
    }

    private String run(Path runDir, int subscribers) throws Exception {
        Files.createDirectories(runDir);
        try (StalledSubscribers stalled = new StalledSubscribers(); LocalNet net = new LocalNet(runDir)) {
            NodeApp node = net.start(spec -> spec.withSp(SpSettings.local()));
            for (int b = 0; b < BLOCKS; b++) {
                submitAll(node, names("b" + b, TXS_PER_BLOCK));
                node.chain().produceNow().get(30, TimeUnit.SECONDS);
            }
            stalled.connect(node.clientEndpoints().urls().get("blocks"), subscribers);
            stalled.connect(node.clientEndpoints().urls().get("txs"), subscribers);
            await().atMost(Duration.ofSeconds(60)).until(() -> node.clientEndpoints().blockTopic().orElseThrow()
                    .subscriberCount() == subscribers && node.clientEndpoints().txTopic().orElseThrow().subscriberCount() == subscribers);

            // sync: a fresh peer fetches the whole chain
            NodeApp peer = net.start();
            long syncStart = System.nanoTime();
            peer.p2p().dial(node.p2pAddress()).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> peer.chain().head().equals(node.chain().head()));
            double syncSeconds = (System.nanoTime() - syncStart) / 1e9;

            // gossip: transactions submitted to the node reach the peer (its mempool or its chain)
            List<ChainTransaction> txs = names("g", GOSSIP_TXS);
            long gossipStart = System.nanoTime();
            submitAll(node, txs);
            ChainTransaction last = txs.get(txs.size() - 1);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> peer.chain().mempoolContains(last.id()) || peer.chain().store().txLocation(last.id()).isPresent());
            double gossipSeconds = (System.nanoTime() - gossipStart) / 1e9;

            // paced gossip: 200 tx/s, each transaction's time from submit to the peer (mempool, or a block)
            Map<TxId, Long> arrived = new ConcurrentHashMap<>();
            ChainListener arrivals = new ChainListener() {
                @Override
                public void onTransactionAccepted(ChainTransaction tx) {
                    arrived.putIfAbsent(tx.id(), System.nanoTime());
                }

                @Override
                public void onBlockAccepted(ChainBlock block, AddOutcome outcome) {
                    // mined before it was relayed: it reached the peer inside the block
                    long now = System.nanoTime();
                    block.txIds().forEach(id -> arrived.putIfAbsent(id, now));
                }
            };
            peer.chain().addListener(arrivals);
            List<ChainTransaction> paced = names("p", PACED_TXS);
            Map<TxId, Long> sent = new HashMap<>();
            long pacedStart = System.nanoTime();
            long periodNanos = 1_000_000_000L / PACED_RATE;
            for (int i = 0; i < paced.size(); i++) {
                long due = pacedStart + i * periodNanos;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                sent.put(paced.get(i).id(), System.nanoTime());
                node.chain().submitTransaction(paced.get(i));
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> arrived.keySet().containsAll(sent.keySet()));
            peer.chain().removeListener(arrivals);
            long[] millis = sent.entrySet().stream().mapToLong(e -> (arrived.get(e.getKey()) - e.getValue()) / 1_000_000).sorted().toArray();

            SpPublisher blocks = node.clientEndpoints().blockTopic().orElseThrow();
            SpPublisher txTopic = node.clientEndpoints().txTopic().orElseThrow();
            assertThat(peer.chain().head().num()).isGreaterThanOrEqualTo(BLOCKS);
            return String.format("subscribers=%d sync %d blocks: %.2f s (%.0f blocks/s); gossip %d txs: %.2f s (%.0f tx/s);"
                            + " paced %d txs at %d/s to the peer's mempool: p50 %d ms, p99 %d ms; published %d, dropped %d",
                    subscribers, BLOCKS, syncSeconds, BLOCKS / syncSeconds, GOSSIP_TXS, gossipSeconds, GOSSIP_TXS / gossipSeconds,
                    PACED_TXS, PACED_RATE, millis[millis.length / 2], millis[millis.length * 99 / 100],
                    blocks.published() + txTopic.published(), blocks.dropped() + txTopic.dropped());
        }
    }

    private static List<ChainTransaction> names(String prefix, int n) {
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            txs.add(TX.nameRegistration("load-" + prefix + "-" + i + "-" + System.nanoTime(), KeyPair.generate()));
        }
        return txs;
    }

    private static void submitAll(NodeApp node, List<ChainTransaction> txs) throws Exception {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (ChainTransaction tx : txs) {
            pending.add(node.chain().submitTransaction(tx));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
}
