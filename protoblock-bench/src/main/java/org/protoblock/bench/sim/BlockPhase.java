package org.protoblock.bench.sim;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.gossip.CompactBlock;
import org.protoblock.p2p.wire.proto.Blocks;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * Blocks made at node 0 once their transactions are in every mempool: each node's time to have
 * the block on its main chain, against the shortest-path bound on the link graph captured just
 * before (latency + the compact block's transfer time per hop, zero time in the nodes); compact
 * block bytes against the full block's; how blocks arrived (rebuilt from the mempool or fetched
 * whole).
 */
final class BlockPhase {
    /** Noise and envelope framing per message: 4-byte envelope length, 2-byte Noise length, 16-byte tag. */
    private static final int FRAMING_BYTES = 22;

    private final Simulator sim;

    BlockPhase(Simulator sim) {
        this.sim = sim;
    }

    /** Propagation of one block: per node, time to have it and the bound. */
    record Result(double[] delays, double[] bounds, double[] excessPerHop, int missing) {
    }

    void run() throws Exception {
        if (sim.config.blocks() == 0) {
            return;
        }
        System.out.println("blocks (made at node 0; delays in ms from the producer's connect to each node's; bound = "
                + "shortest path with latency + compact-block transfer per hop):");
        List<Double> allDelays = new ArrayList<>();
        List<Double> allBounds = new ArrayList<>();
        List<Double> allExcess = new ArrayList<>();
        int warmup = sim.config.warmupBlocks();
        for (int b = 0; b < warmup + sim.config.blocks(); b++) {
            if (b > 0 || sim.config.txs() == 0) {
                fillMempools(sim.config.blockTxs());
            }
            List<SimNode> nodes = sim.liveNodes();
            TxPhase.Counters before = TxPhase.Counters.of(sim, nodes);
            LinkGraph graph = sim.captureGraph();
            long cpuBefore = Simulator.processCpuNanos();
            long gcBefore = Simulator.gcPauseMillis();
            ChainBlock block = produce(Simulator.PRODUCER_A);
            Result r = measure(block, nodes, graph, Duration.ofSeconds(Math.max(30, 5L * sim.config.timeScale())));
            double cpuPerNode = (Simulator.processCpuNanos() - cpuBefore) / 1e6 / nodes.size();
            long gcPause = Simulator.gcPauseMillis() - gcBefore;
            TxPhase.Counters after = TxPhase.Counters.of(sim, nodes);
            long compact = compactBytes(block);
            long full = fullBytes(block);
            Percentiles d = new Percentiles(r.delays());
            Percentiles bound = new Percentiles(r.bounds());
            System.out.printf(Locale.ROOT, "  block %d%s: %d txs, compact %d B vs full %d B = %.1f %%; rebuilt %d, fetched whole %d, "
                            + "duplicates %d; announcements received per node %.1f (NewBlock, plus any tx ids still in flight); delay p50 %s p99 %s max %s | bound p50 %s p99 %s max %s | p99/bound %.2f; "
                            + "excess per hop %s ms; %d missing; CPU per node %.2f ms; GC pauses %d ms wall; load %s%n",
                    block.num(), b < warmup ? " (warm-up)" : "", block.transactions().size(), compact, full, 100.0 * compact / full,
                    after.compactRebuilt() - before.compactRebuilt(), after.blocksReceived() - before.blocksReceived(),
                    after.blocksDuplicate() - before.blocksDuplicate(),
                    (after.announcements() - before.announcements()) / (double) (nodes.size() - 1), Simulator.ms(d.at(0.5)), Simulator.ms(d.at(0.99)),
                    Simulator.ms(d.max()), Simulator.ms(bound.at(0.5)), Simulator.ms(bound.at(0.99)), Simulator.ms(bound.max()),
                    d.at(0.99) / bound.at(0.99), String.format(Locale.ROOT, "%.1f", new Percentiles(r.excessPerHop()).at(0.5)),
                    r.missing(), cpuPerNode, gcPause, Simulator.loadAverage());
            for (int i = 0; i < r.delays().length && b >= warmup; i++) {
                allDelays.add(r.delays()[i]);
                allBounds.add(r.bounds()[i]);
                allExcess.add(r.excessPerHop()[i]);
            }
            TimeUnit.SECONDS.sleep(1);
        }
        Percentiles d = new Percentiles(allDelays.stream().mapToDouble(Double::doubleValue).toArray());
        Percentiles bound = new Percentiles(allBounds.stream().mapToDouble(Double::doubleValue).toArray());
        Percentiles excess = new Percentiles(allExcess.stream().mapToDouble(Double::doubleValue).toArray());
        if (allDelays.isEmpty()) {
            return;
        }
        System.out.printf(Locale.ROOT, "  all blocks after warm-up: delay p50 %s p99 %s | bound p50 %s p99 %s | p50/bound %.2f, p99/bound %.2f "
                        + "(acceptance: p99 <= 1.25 x bound); node time per hop (delay - bound) / hops: p50 %.1f p99 %.1f ms%n",
                Simulator.ms(d.at(0.5)), Simulator.ms(d.at(0.99)), Simulator.ms(bound.at(0.5)), Simulator.ms(bound.at(0.99)),
                d.at(0.5) / bound.at(0.5), d.at(0.99) / bound.at(0.99), excess.at(0.5), excess.at(0.99));
    }

    /** Submits {@code count} new transactions at random live nodes and waits until every live node has them. */
    void fillMempools(int count) throws InterruptedException {
        List<SimNode> nodes = sim.liveNodes();
        List<Integer> indices = nodes.stream().map(SimNode::index).toList();
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChainTransaction tx = sim.newTransaction();
            sim.observations.watch(tx.id());
            txs.add(tx);
            nodes.get(sim.random.nextInt(nodes.size())).chain().submitTransaction(tx);
        }
        boolean everywhere = Simulator.await(Duration.ofSeconds(Math.max(30, 5L * sim.config.timeScale())), () -> txs.stream()
                .allMatch(tx -> sim.observations.tx(tx.id()).map(t -> Simulator.countSeen(t, indices) == indices.size()).orElse(false)));
        if (!everywhere) {
            long lacking = txs.stream().filter(tx -> sim.observations.tx(tx.id())
                    .map(t -> Simulator.countSeen(t, indices) < indices.size()).orElse(true)).count();
            System.out.printf("  (%d of the block's %d transactions not yet in every mempool: the block will need GetBlockTxs)%n",
                    lacking, txs.size());
        }
        awaitGossipQuiet(nodes);
    }

    /**
     * Waits (at most 30 s) until no transaction gossip byte has moved anywhere for two round trips.
     * Rationale: the mempools are full before the last announcements between nodes that already hold
     * the transactions are sent and dropped; all nodes share the machine's cores here, so that tail
     * would slow the block at every node at once, which in a real network (a CPU per node) it does not.
     */
    private void awaitGossipQuiet(List<SimNode> nodes) throws InterruptedException {
        long quietNanos = Math.max(TimeUnit.SECONDS.toNanos(1), 4 * sim.config.latency().toNanos() * sim.config.timeScale());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = TxPhase.Counters.of(sim, nodes).gossipBytes();
        long since = System.nanoTime();
        while (System.nanoTime() - since < quietNanos) {
            if (System.nanoTime() > deadline) {
                System.out.println("  (transaction gossip still moving after 30 s: the block starts anyway)");
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
            long now = TxPhase.Counters.of(sim, nodes).gossipBytes();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
    }

    ChainBlock produce(int producer) throws Exception {
        AddOutcome outcome = sim.node(producer).chain().produceNow().get(30, TimeUnit.SECONDS)
                .orElseThrow(() -> new IllegalStateException("node " + producer + " is not a producer"));
        return sim.node(producer).chain().block(outcome.blockId()).orElseThrow();
    }

    /** Waits (at most {@code timeout}) for every node of {@code nodes} to connect {@code block}, then compares with the bound. */
    Result measure(ChainBlock block, List<SimNode> nodes, LinkGraph graph, Duration timeout) throws InterruptedException {
        int producer = nodes.stream().filter(n -> sim.observations.block(block.id())
                .map(t -> t.get(n.index()) != 0).orElse(false)).map(SimNode::index).findFirst().orElse(Simulator.PRODUCER_A);
        List<Integer> indices = nodes.stream().map(SimNode::index).filter(i -> i != producer).toList();
        Simulator.await(timeout, () -> sim.observations.block(block.id())
                .map(t -> Simulator.countSeen(t, indices) == indices.size()).orElse(false));
        AtomicLongArray times = sim.observations.block(block.id()).orElseThrow();
        long t0 = times.get(producer);
        double[] dist = ShortestPaths.from(graph, producer, compactBytes(block) + FRAMING_BYTES);
        int[] hops = graph.hops(producer);
        double[] delays = new double[indices.size()];
        double[] bounds = new double[indices.size()];
        double[] excess = new double[indices.size()];
        int missing = 0;
        for (int k = 0; k < indices.size(); k++) {
            int i = indices.get(k);
            long t = times.get(i);
            delays[k] = t == 0 ? Double.NaN : sim.simMillis(t - t0);
            bounds[k] = Double.isInfinite(dist[i]) ? Double.NaN : dist[i];
            excess[k] = hops[i] > 0 ? (delays[k] - bounds[k]) / hops[i] : Double.NaN;
            if (t == 0) {
                missing++;
            }
        }
        return new Result(delays, bounds, excess, missing);
    }

    /** The NewBlock envelope as gossip sends it (its size does not depend on the nonce). */
    static long compactBytes(ChainBlock block) {
        return Envelope.newBuilder().setNewBlock(CompactBlock.of(block, 1).toMessage()).build().getSerializedSize();
    }

    /** The block whole, in the Blocks envelope that serves a GetBlocks. */
    static long fullBytes(ChainBlock block) {
        return Envelope.newBuilder().setBlocks(Blocks.newBuilder().addBlocks(ByteString.copyFrom(block.proto().toByteArray())))
                .build().getSerializedSize();
    }
}
