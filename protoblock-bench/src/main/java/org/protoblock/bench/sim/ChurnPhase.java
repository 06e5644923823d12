package org.protoblock.bench.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;

/**
 * Churn: {@code churnPerMinute} of the nodes leave (closed) and as many new nodes join (fresh
 * chain, seeds only) per minute, evenly spread, for {@code duration}; seeds and producers stay.
 * Meanwhile node 0 makes blocks at a steady pace. Measured: for each block, how many of the nodes
 * live both when it was made and at the end got it, and how fast; at the end, how many nodes share
 * the producer's head and how full their outbound slots are.
 */
final class ChurnPhase {
    private static final int TXS_PER_BLOCK = 10;
    private final Simulator sim;

    ChurnPhase(Simulator sim) {
        this.sim = sim;
    }

    private record Made(ChainBlock block, Set<Integer> liveAtProduction, LinkGraph graph) {
    }

    void run() throws Exception {
        SimConfig config = sim.config;
        int perMinute = (int) Math.max(1, Math.round(config.churnPerMinute() * config.nodes()));
        long churnEvery = TimeUnit.SECONDS.toNanos(60) / perMinute;
        long blockEvery = config.duration().toNanos() / Math.max(1, config.churnBlocks());
        System.out.printf(Locale.ROOT, "churn: %d nodes leave and %d join per minute (one each %.2f s) for %d s; a block each %.1f s%n",
                perMinute, perMinute, churnEvery / 1e9, config.duration().toSeconds(), blockEvery / 1e9);
        BlockPhase blocks = new BlockPhase(sim);
        List<Made> made = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + config.duration().toNanos();
        long nextChurn = start + churnEvery;
        long nextBlock = start + blockEvery;
        int replaced = 0;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (now >= nextChurn) {
                List<Integer> candidates = sim.live.keySet().stream().filter(i -> !sim.isProtected(i)).toList();
                sim.stopNode(candidates.get(sim.random.nextInt(candidates.size())));
                sim.startNode();
                replaced++;
                nextChurn += churnEvery;
            }
            if (now >= nextBlock) {
                for (int i = 0; i < TXS_PER_BLOCK; i++) {
                    List<SimNode> nodes = sim.liveNodes();
                    nodes.get(sim.random.nextInt(nodes.size())).chain().submitTransaction(sim.newTransaction());
                }
                TimeUnit.MILLISECONDS.sleep(500); // let them spread a little before the block
                LinkGraph graph = sim.captureGraph();
                Set<Integer> liveNow = Set.copyOf(sim.live.keySet());
                made.add(new Made(blocks.produce(Simulator.PRODUCER_A), liveNow, graph));
                nextBlock += blockEvery;
            }
            TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(nextChurn, nextBlock) - System.nanoTime()) / 1_000_000 + 1);
        }
        TimeUnit.SECONDS.sleep(10);
        List<Double> delays = new ArrayList<>();
        List<Double> bounds = new ArrayList<>();
        long expected = 0;
        long missing = 0;
        for (Made m : made) {
            List<SimNode> stayed = sim.liveNodes().stream().filter(n -> m.liveAtProduction().contains(n.index()))
                    .collect(Collectors.toList());
            BlockPhase.Result r = blocks.measure(m.block(), stayed, m.graph(), Duration.ofSeconds(1));
            expected += r.delays().length;
            missing += r.missing();
            for (int i = 0; i < r.delays().length; i++) {
                delays.add(r.delays()[i]);
                bounds.add(r.bounds()[i]);
            }
        }
        Percentiles d = new Percentiles(delays.stream().mapToDouble(Double::doubleValue).toArray());
        Percentiles b = new Percentiles(bounds.stream().mapToDouble(Double::doubleValue).toArray());
        ChainHead head = sim.node(Simulator.PRODUCER_A).chain().head();
        List<SimNode> nodes = sim.liveNodes();
        long atHead = nodes.stream().filter(n -> n.chain().head().equals(head)).count();
        int target = org.protoblock.p2p.peer.PeerConfig.defaults().dialer().outboundTarget();
        long full = nodes.stream().filter(n -> Simulator.outbound(n) >= target).count();
        System.out.printf(Locale.ROOT, "  %d nodes replaced, %d blocks: %d of %d deliveries to nodes live throughout missing; "
                        + "delay p50 %s p99 %s ms (bound p50 %s p99 %s, on the graph at production)%n",
                replaced, made.size(), missing, expected, Simulator.ms(d.at(0.5)), Simulator.ms(d.at(0.99)),
                Simulator.ms(b.at(0.5)), Simulator.ms(b.at(0.99)));
        System.out.printf(Locale.ROOT, "  at the end: %d/%d live nodes at the producer's head %s, %d/%d with %d outbound; load %s%n",
                atHead, nodes.size(), head, full, nodes.size(), target, Simulator.loadAverage());
    }
}
