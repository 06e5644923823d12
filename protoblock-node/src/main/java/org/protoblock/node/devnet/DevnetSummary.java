package org.protoblock.node.devnet;

import java.util.List;
import java.util.Map;

/**
 * What a devnet run did, printed at the end and written as JSON with {@code --summary-json}.
 *
 * @param blocks               blocks added to node 0's chain during the run
 * @param included             accepted transactions found on the main chain
 * @param gossipTxDuplicates   transaction bodies nodes received that they already had (P2pMetrics), all nodes
 * @param gossipTxBodies       transaction bodies received from peers, all nodes
 * @param ok                   every node agrees on the head and every accepted transaction is included
 */
public record DevnetSummary(String network, String dir, int nodeCount, long durationSeconds, double txRate,
                            long submitted, long submittedNames, long submittedData, long accepted, long rejected, Map<String, Long> rejectedByRule,
                            long included, long blocks, boolean headsAgree, boolean allIncluded,
                            long gossipTxBodies, long gossipTxDuplicates, double settleSeconds,
                            List<NodeSummary> nodes, boolean ok) {
    public DevnetSummary {
        rejectedByRule = Map.copyOf(rejectedByRule);
        nodes = List.copyOf(nodes);
    }

    /** One node at the end of the run. */
    public record NodeSummary(int index, String nodeId, boolean producer, int height, String head, int peers,
                              int mempool, long txBodiesReceived, long txBodiesDuplicate, long blocksReceived,
                              String p2p, String rpc) {
    }

    /** Human-readable lines. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nDevnet %s, %d nodes, %d s at %.1f tx/s (dir %s)%n", network, nodeCount, durationSeconds,
                txRate, dir));
        for (NodeSummary n : nodes) {
            out.append(String.format("  node %d%s  height %-6d head %s  peers %d  mempool %d  tx bodies %d (dup %d)  blocks recv %d%n",
                    n.index(), n.producer() ? "*" : " ", n.height(), n.head().substring(0, 8), n.peers(), n.mempool(),
                    n.txBodiesReceived(), n.txBodiesDuplicate(), n.blocksReceived()));
        }
        out.append(String.format("  blocks %d; transactions submitted %d (%d NAME, %d DATA), accepted %d, rejected %d%s, included %d/%d%n",
                blocks, submitted, submittedNames, submittedData, accepted, rejected, rejectedByRule.isEmpty() ? "" : " " + rejectedByRule, included, accepted));
        double dupRatio = gossipTxBodies == 0 ? 0 : (double) gossipTxDuplicates / gossipTxBodies;
        out.append(String.format("  gossip: %d tx bodies received, %d duplicates (%.1f%%)%n", gossipTxBodies, gossipTxDuplicates,
                100 * dupRatio));
        out.append(String.format("  heads agree: %s; all accepted included: %s; settled in %.1f s%n", headsAgree ? "yes" : "NO",
                allIncluded ? "yes" : "NO", settleSeconds));
        out.append(ok ? "  OK\n" : "  FAILED\n");
        return out.toString();
    }
}
