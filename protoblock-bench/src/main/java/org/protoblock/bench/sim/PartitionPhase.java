package org.protoblock.bench.sim;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.session.Session;

/**
 * Partition: the network splits into two halves (even and odd node indices; producer 0 on one,
 * producer 1 on the other): links across close and dials across fail. Each half makes blocks on
 * its own (3 against 2, so the halves fork and one branch is longer). Then the split heals: dials
 * across work again, and nothing else helps. Measured: whether each half followed its producer,
 * and whether and how fast all nodes converge on the longer branch, with the links across over
 * time.
 */
final class PartitionPhase {
    private final Simulator sim;

    PartitionPhase(Simulator sim) {
        this.sim = sim;
    }

    private static int side(int index) {
        return index % 2;
    }

    void run() throws Exception {
        int[] sides = new int[sim.network.capacity()];
        for (int i = 0; i < sides.length; i++) {
            sides[i] = side(i);
        }
        sim.network.partition(sides);
        int cut = 0;
        for (SimNode node : sim.liveNodes()) {
            for (Session s : node.p2p().host().sessions()) {
                Integer other = sim.indexOfNode.get(s.nodeId());
                if (other != null && side(other) != side(node.index()) && s.direction() == org.protoblock.p2p.session.Direction.OUTBOUND) {
                    s.disconnect(DisconnectReason.CONNECTION_CLOSED, "simulated partition");
                    cut++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "partition: split into even/odd halves for %d s; %d links across cut%n",
                sim.config.partition().toSeconds(), cut);
        BlockPhase blocks = new BlockPhase(sim);
        long step = sim.config.partition().toMillis() / 6;
        for (int round = 0; round < 3; round++) {
            TimeUnit.MILLISECONDS.sleep(step);
            blocks.produce(Simulator.PRODUCER_A);
            if (round < 2) {
                blocks.produce(Simulator.PRODUCER_B);
            }
        }
        TimeUnit.MILLISECONDS.sleep(Math.max(0, sim.config.partition().toMillis() - 3 * step));
        ChainHead headA = sim.node(Simulator.PRODUCER_A).chain().head();
        ChainHead headB = sim.node(Simulator.PRODUCER_B).chain().head();
        List<SimNode> nodes = sim.liveNodes();
        long onA = nodes.stream().filter(n -> side(n.index()) == 0 && n.chain().head().equals(headA)).count();
        long onB = nodes.stream().filter(n -> side(n.index()) == 1 && n.chain().head().equals(headB)).count();
        long sideA = nodes.stream().filter(n -> side(n.index()) == 0).count();
        System.out.printf(Locale.ROOT, "  before healing: half 0 at %s: %d/%d; half 1 at %s: %d/%d; links across %d%n", headA, onA,
                sideA, headB, onB, nodes.size() - sideA, crossLinks());

        sim.network.heal();
        long healed = System.nanoTime();
        System.out.println("  healed: dials across work again");
        TimeUnit.SECONDS.sleep(5);
        ChainHead best = blocks.produce(Simulator.PRODUCER_A).asHead(); // a new block on the longer branch
        boolean converged = Simulator.await(sim.config.healTimeout(), () -> {
            long sec = (System.nanoTime() - healed) / 1_000_000_000L;
            if (sec % 10 == 0 && (System.nanoTime() - healed) % 1_000_000_000L < 60_000_000L) {
                System.out.printf(Locale.ROOT, "  %3d s after healing: %d/%d nodes at %s, links across %d, load %s%n", sec,
                        atHead(best), sim.live.size(), best, crossLinks(), Simulator.loadAverage());
            }
            return atHead(best) == sim.live.size();
        });
        double seconds = (System.nanoTime() - healed) / 1e9;
        System.out.printf(Locale.ROOT, "  %s: %d/%d nodes at %s %.1f s after healing; links across %d; load %s%n",
                converged ? "converged" : "NOT converged", atHead(best), sim.live.size(), best, seconds, crossLinks(),
                Simulator.loadAverage());
    }

    private long atHead(ChainHead head) {
        return sim.liveNodes().stream().filter(n -> n.chain().head().equals(head)).count();
    }

    private long crossLinks() {
        long n = 0;
        for (SimNode node : sim.liveNodes()) {
            for (Session s : node.p2p().host().sessions()) {
                Integer other = sim.indexOfNode.get(s.nodeId());
                if (other != null && side(other) != side(node.index()) && s.direction() == org.protoblock.p2p.session.Direction.OUTBOUND) {
                    n++;
                }
            }
        }
        return n;
    }

}
