package org.protoblock.bench.sim;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Dijkstra over a {@link LinkGraph}: the earliest a message sent by one node can reach each other
 * node when every hop costs the link's latency plus the message's transfer time and no node spends
 * any time on it. Rationale: that is the bound block propagation is judged against; whatever the
 * nodes add (validation, queues, round trips) shows as the distance between the two.
 *
 * <p>Pure, no state: O((V + E) log V).
 */
public final class ShortestPaths {
    private ShortestPaths() {
    }

    /**
     * Milliseconds from {@code source} to every node ({@code +Infinity} when unreachable) for a
     * message of {@code bytes}: each hop costs its latency plus {@code bytes} at its bandwidth.
     */
    public static double[] from(LinkGraph graph, int source, long bytes) {
        double[] dist = new double[graph.nodeCount()];
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        dist[source] = 0;
        PriorityQueue<double[]> queue = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        queue.add(new double[] {0, source});
        while (!queue.isEmpty()) {
            double[] head = queue.poll();
            int node = (int) head[1];
            if (head[0] > dist[node]) {
                continue; // stale entry
            }
            for (LinkGraph.Link link : graph.links(node)) {
                double next = dist[node] + link.hopMillis(bytes);
                if (next < dist[link.to()]) {
                    dist[link.to()] = next;
                    queue.add(new double[] {next, link.to()});
                }
            }
        }
        return dist;
    }
}
