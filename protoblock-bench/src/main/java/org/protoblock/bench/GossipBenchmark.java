package org.protoblock.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.store.InMemoryChainStore;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;
import org.protoblock.p2p.P2pNode;
import org.protoblock.p2p.host.P2pConfig;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.transport.InProcessTransport;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.TcpTransport;
import org.protoblock.p2p.transport.Transport;

/**
 * Transaction gossip through a mesh of real nodes in this JVM (in-memory stores, every node
 * validating every transaction): throughput, end-to-end latency (submitted at one random node →
 * accepted into every mempool) and bytes received per transaction per node relative to the
 * transaction's size (flooding bodies would be about the node degree; announcing ids and fetching
 * each body once should be a little over 1).
 *
 * <p>Run: {@code java -cp <classpath> org.protoblock.bench.GossipBenchmark [local|tcp] [nodes] [degree] [txs] [rate/s, 0 = as fast as the mesh takes them]}.
 * With rate 0, at most {@code window} transactions are in flight (submitted, not yet everywhere).
 */
public final class GossipBenchmark {
    private static final int WINDOW = 2_000;

    public static void main(String[] args) throws Exception {
        boolean tcp = args.length > 0 && args[0].equals("tcp");
        int nodeCount = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int degree = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int txCount = args.length > 3 ? Integer.parseInt(args[3]) : 5_000;
        int rate = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        System.out.printf("transport=%s nodes=%d degree>=%d txs=%d rate=%s cores=%d%n", tcp ? "tcp" : "local", nodeCount,
                degree, txCount, rate == 0 ? "max" : rate + "/s", Runtime.getRuntime().availableProcessors());

        Devnet devnet = Devnet.create(1);
        List<ChainTransaction> txs = new ArrayList<>(txCount);
        for (int i = 0; i < txCount; i++) {
            txs.add(i % 2 == 0 ? devnet.nameTx("bench" + i) : devnet.dataTx(devnet.producerName(0)));
        }
        double avgTxBytes = txs.stream().mapToInt(ChainTransaction::serializedSize).average().orElse(1);

        Map<TxId, Long> submittedAt = new ConcurrentHashMap<>();
        Map<TxId, long[]> lastSeen = new ConcurrentHashMap<>(); // [count of nodes, last accept time]
        Semaphore window = new Semaphore(WINDOW);
        long[] latencies = new long[txCount];
        AtomicIntegerArray done = new AtomicIntegerArray(1);
        Map<TxId, Integer> index = new ConcurrentHashMap<>();
        for (int i = 0; i < txCount; i++) {
            index.put(txs.get(i).id(), i);
        }

        try (Transport transport = tcp ? TcpTransport.create(2) : new InProcessTransport(2)) {
            List<Chain> chains = new ArrayList<>();
            List<P2pNode> nodes = new ArrayList<>();
            List<PeerAddress> addresses = new ArrayList<>();
            try {
                for (int n = 0; n < nodeCount; n++) {
                    ChainConfig config = ChainConfig.defaults(devnet.params()).withClock(devnet.clock())
                            .withMempoolLimits(Math.max(50_000, txCount + 1), 256L << 20);
                    Chain chain = Chain.open(config, new InMemoryChainStore());
                    chain.addListener(new ChainListener() {
                        @Override
                        public void onTransactionAccepted(ChainTransaction tx) {
                            long now = System.nanoTime();
                            long[] seen = lastSeen.computeIfAbsent(tx.id(), k -> new long[2]);
                            boolean complete;
                            synchronized (seen) {
                                seen[0]++;
                                seen[1] = Math.max(seen[1], now);
                                complete = seen[0] == nodeCount;
                            }
                            if (complete) {
                                latencies[index.get(tx.id())] = now - submittedAt.get(tx.id());
                                done.incrementAndGet(0);
                                window.release();
                            }
                        }
                    });
                    P2pNode node = P2pNode.create(chain, NodeKey.generate(), transport, P2pConfig.builder()
                            .handshakeTimeout(Duration.ofSeconds(30)).build());
                    PeerAddress address = node.listen(tcp ? PeerAddress.tcp("127.0.0.1", 0)
                            : PeerAddress.local("gossip-bench-" + n)).get(10, TimeUnit.SECONDS);
                    chains.add(chain);
                    nodes.add(node);
                    addresses.add(address);
                }
                int links = connect(nodes, addresses, degree, new Random(1));
                System.out.printf("mesh: %d links (average degree %.1f), avg tx %.0f bytes%n", links,
                        2.0 * links / nodeCount, avgTxBytes);

                Random random = new Random(2);
                long start = System.nanoTime();
                long intervalNanos = rate == 0 ? 0 : 1_000_000_000L / rate;
                for (int i = 0; i < txCount; i++) {
                    if (rate == 0) {
                        window.acquire();
                    } else {
                        long due = start + i * intervalNanos;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait); // open-loop pacing of the load generator
                        }
                    }
                    ChainTransaction tx = txs.get(i);
                    submittedAt.put(tx.id(), System.nanoTime());
                    chains.get(random.nextInt(nodeCount)).submitTransaction(tx);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
                while (done.get(0) < txCount && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(10);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                report(nodes, txCount, done.get(0), seconds, latencies, avgTxBytes);
            } finally {
                nodes.forEach(P2pNode::close);
                chains.forEach(Chain::close);
            }
        }
    }

    /** A random connected graph: a random spanning tree, then extra edges until every node has {@code degree}. */
    private static int connect(List<P2pNode> nodes, List<PeerAddress> addresses, int degree, Random random) throws Exception {
        int n = nodes.size();
        Set<Long> edges = new HashSet<>();
        int[] deg = new int[n];
        for (int i = 1; i < n; i++) {
            addEdge(edges, deg, i, random.nextInt(i));
        }
        for (int i = 0; i < n; i++) {
            for (int attempts = 0; deg[i] < degree && attempts < 100; attempts++) {
                int j = random.nextInt(n);
                if (j != i && !edges.contains(key(i, j))) {
                    addEdge(edges, deg, i, j);
                }
            }
        }
        for (long e : edges) {
            int a = (int) (e >> 32);
            int b = (int) e;
            nodes.get(a).dial(addresses.get(b)).get(30, TimeUnit.SECONDS);
        }
        return edges.size();
    }

    private static void addEdge(Set<Long> edges, int[] deg, int a, int b) {
        edges.add(key(a, b));
        deg[a]++;
        deg[b]++;
    }

    private static long key(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }

    private static void report(List<P2pNode> nodes, int txCount, int completed, double seconds, long[] latencies,
                               double avgTxBytes) {
        long bodies = 0;
        long duplicates = 0;
        long gossipBytes = 0;
        for (P2pNode node : nodes) {
            P2pMetrics m = node.metrics();
            bodies += m.txBodiesReceived.sum();
            duplicates += m.txBodiesDuplicate.sum();
            gossipBytes += m.gossipBytesReceived.sum();
        }
        int others = nodes.size() - 1;
        System.out.printf("completed %d/%d transactions in every mempool in %.2f s: %.0f tx/s%n", completed, txCount, seconds,
                completed / seconds);
        printLatency("all", latencies);
        // The first half includes JIT warm-up; the second half is closer to steady state.
        printLatency("second half", Arrays.copyOfRange(latencies, latencies.length / 2, latencies.length));
        System.out.printf("tx bodies received per tx per node: %.3f (%d duplicates)%n", (double) bodies / others / txCount, duplicates);
        System.out.printf("gossip bytes received per tx per node: %.0f = %.2f x tx size%n", (double) gossipBytes / others / txCount,
                gossipBytes / (double) others / txCount / avgTxBytes);
    }

    private static void printLatency(String label, long[] latencies) {
        long[] sorted = Arrays.copyOf(latencies, latencies.length);
        Arrays.sort(sorted);
        System.out.printf("latency submit -> every mempool, %s (ms): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", label,
                pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
    }
}
