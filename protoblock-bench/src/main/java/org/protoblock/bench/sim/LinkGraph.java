package org.protoblock.bench.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The undirected graph of open links among the simulated nodes at one moment (captured from the
 * nodes' sessions, so it is the topology the real peer manager built), with each link's latency
 * and bandwidth. Nodes are numbered 0..nodeCount-1 by the caller.
 *
 * <p>Threads: built by one thread, then read-only.
 */
public final class LinkGraph {
    /** One direction of a link: to whom, and what a hop costs. */
    public record Link(int to, double latencyMillis, long bytesPerSecond) {
        /** Latency plus the time to send {@code bytes} (0 without a bandwidth limit). */
        public double hopMillis(long bytes) {
            return latencyMillis + (bytesPerSecond == 0 ? 0 : bytes * 1000.0 / bytesPerSecond);
        }
    }

    private final List<List<Link>> links;
    private int edgeCount;

    public LinkGraph(int nodeCount) {
        links = new ArrayList<>(nodeCount);
        for (int i = 0; i < nodeCount; i++) {
            links.add(new ArrayList<>());
        }
    }

    /** Adds the link a–b both ways; a second link between the same pair is ignored. */
    public void add(int a, int b, double latencyMillis, long bytesPerSecond) {
        if (a == b || links.get(a).stream().anyMatch(l -> l.to() == b)) {
            return;
        }
        links.get(a).add(new Link(b, latencyMillis, bytesPerSecond));
        links.get(b).add(new Link(a, latencyMillis, bytesPerSecond));
        edgeCount++;
    }

    public int nodeCount() {
        return links.size();
    }

    public int edgeCount() {
        return edgeCount;
    }

    public List<Link> links(int node) {
        return links.get(node);
    }

    public double averageDegree() {
        return nodeCount() == 0 ? 0 : 2.0 * edgeCount / nodeCount();
    }

    /** Hop counts from {@code source} (breadth first); -1 when unreachable. */
    public int[] hops(int source) {
        int[] hops = new int[nodeCount()];
        java.util.Arrays.fill(hops, -1);
        hops[source] = 0;
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(source));
        while (!queue.isEmpty()) {
            int n = queue.poll();
            for (Link l : links.get(n)) {
                if (hops[l.to()] < 0) {
                    hops[l.to()] = hops[n] + 1;
                    queue.add(l.to());
                }
            }
        }
        return hops;
    }
}
