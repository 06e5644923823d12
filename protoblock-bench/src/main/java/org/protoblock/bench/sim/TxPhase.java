package org.protoblock.bench.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.metrics.P2pMetrics;

/**
 * Transactions submitted at random nodes at a steady rate: time to every mempool and per delivery
 * (each node's first receipt), bodies and bytes received per transaction per node (gossip
 * envelopes, and everything off the wire), duplicate bodies.
 */
final class TxPhase {
    private final Simulator sim;

    TxPhase(Simulator sim) {
        this.sim = sim;
    }

    void run() throws InterruptedException {
        SimConfig config = sim.config;
        if (config.txs() == 0) {
            return;
        }
        List<SimNode> nodes = sim.liveNodes();
        List<Integer> indices = nodes.stream().map(SimNode::index).toList();
        Counters before = Counters.of(sim, nodes);
        long cpuBefore = Simulator.processCpuNanos();
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i < config.txs(); i++) {
            txs.add(sim.newTransaction());
        }
        double avgBytes = txs.stream().mapToInt(ChainTransaction::serializedSize).average().orElse(1);
        long[] submitted = new long[txs.size()];
        long intervalNanos = (long) (1e9 / config.txRate());
        long start = System.nanoTime();
        for (int i = 0; i < txs.size(); i++) {
            long wait = start + i * intervalNanos - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            ChainTransaction tx = txs.get(i);
            sim.observations.watch(tx.id());
            SimNode origin = nodes.get(sim.random.nextInt(nodes.size()));
            submitted[i] = System.nanoTime();
            origin.chain().submitTransaction(tx);
        }
        boolean all = Simulator.await(Duration.ofSeconds(Math.max(60, 10L * config.timeScale())), () -> txs.stream().allMatch(tx ->
                sim.observations.tx(tx.id()).map(t -> Simulator.countSeen(t, indices) == indices.size()).orElse(false)));
        Counters after = Counters.of(sim, nodes);
        double cpuPerTxPerNode = (Simulator.processCpuNanos() - cpuBefore) / 1e6 / txs.size() / nodes.size();

        double[] toAll = new double[txs.size()];
        List<Double> deliveries = new ArrayList<>();
        long missing = 0;
        for (int i = 0; i < txs.size(); i++) {
            AtomicLongArray times = sim.observations.tx(txs.get(i).id()).orElseThrow();
            long last = 0;
            for (int n : indices) {
                long t = times.get(n);
                if (t == 0) {
                    missing++;
                    last = Long.MAX_VALUE;
                    continue;
                }
                deliveries.add(sim.simMillis(t - submitted[i]));
                last = Math.max(last, t);
            }
            toAll[i] = last == Long.MAX_VALUE ? Double.NaN : sim.simMillis(last - submitted[i]);
        }
        Percentiles everyMempool = new Percentiles(toAll);
        Percentiles perDelivery = new Percentiles(deliveries.stream().mapToDouble(Double::doubleValue).toArray());
        int others = nodes.size() - 1;
        double perTxPerNode = (double) others * txs.size();
        System.out.printf(Locale.ROOT, "transactions: %d at %.1f/s over %d nodes, avg %.0f bytes; %s%n", txs.size(),
                config.txRate(), nodes.size(), avgBytes, all ? "all in every mempool" : missing + " deliveries missing after 60 s");
        System.out.printf(Locale.ROOT, "  latency to every mempool (ms): p50 %s  p99 %s  max %s%n", Simulator.ms(everyMempool.at(0.5)),
                Simulator.ms(everyMempool.at(0.99)), Simulator.ms(everyMempool.max()));
        System.out.printf(Locale.ROOT, "  latency per delivery (ms):     p50 %s  p99 %s%n", Simulator.ms(perDelivery.at(0.5)),
                Simulator.ms(perDelivery.at(0.99)));
        System.out.printf(Locale.ROOT, "  bodies received per tx per node %.3f (%d duplicates); gossip bytes per tx per node %.0f = "
                        + "%.2f x tx size; wire bytes (Noise frames, everything) per tx per node %.0f = %.2f x; load %s%n",
                (after.bodies - before.bodies) / perTxPerNode, after.duplicates - before.duplicates,
                (after.gossipBytes - before.gossipBytes) / perTxPerNode,
                (after.gossipBytes - before.gossipBytes) / perTxPerNode / avgBytes,
                (after.wireBytes - before.wireBytes) / perTxPerNode, (after.wireBytes - before.wireBytes) / perTxPerNode / avgBytes,
                Simulator.loadAverage());
        System.out.printf(Locale.ROOT, "  announcements received per tx per node %.1f; CPU of the whole process per tx per node "
                + "%.3f ms (upper bound: includes the nodes' background work)%n",
                (after.announcements - before.announcements) / perTxPerNode, cpuPerTxPerNode);
    }

    /** Sums of the nodes' counters at one moment. */
    record Counters(long bodies, long duplicates, long gossipBytes, long wireBytes, long compactRebuilt, long blocksReceived,
                    long blocksDuplicate, long announcements) {
        static Counters of(Simulator sim, List<SimNode> nodes) {
            long bodies = 0;
            long duplicates = 0;
            long gossip = 0;
            long wire = 0;
            long rebuilt = 0;
            long blocks = 0;
            long blockDup = 0;
            long announcements = 0;
            for (SimNode n : nodes) {
                P2pMetrics m = n.p2p().metrics();
                bodies += m.txBodiesReceived.sum();
                duplicates += m.txBodiesDuplicate.sum();
                gossip += m.gossipBytesReceived.sum();
                rebuilt += m.compactBlocksRebuilt.sum();
                blocks += m.blocksReceived.sum();
                blockDup += m.blocksDuplicate.sum();
                announcements += m.announcementsReceived.sum();
                wire += sim.network.wireBytesIn(n.index());
            }
            return new Counters(bodies, duplicates, gossip, wire, rebuilt, blocks, blockDup, announcements);
        }
    }
}
