package org.protoblock.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * validating every transaction), with the parameters and columns of js-libp2p gossipsub's
 * {@code bench.mjs} (../shared/gossipsub-bench) so the two can be run side by side
 * ({@code protoblock-bench/gossip-vs-gossipsub}).
 *
 * <p>Figures: delivery (first receipts at the nodes that did not submit ÷ messages × (nodes − 1));
 * per-delivery latency, from just before {@code submitTransaction} at a random node to each other
 * node's mempool acceptance (like gossipsub's {@code message} event); latency to every mempool;
 * full bodies received per delivery; gossip envelope bytes received per transaction per node over
 * the transaction size; loopback bytes received during the window (/proc/net/dev, all processes
 * of the network namespace); CPU per delivery.
 *
 * <p>Run: {@code java -cp benchmarks.jar org.protoblock.bench.GossipBenchmark [--nodes 10] [--dials 4]
 * [--messages 2000] [--size 222] [--rate 200] [--transport tcp|local] [--seed 1]}. {@code --dials K}: each node
 * dials K random others (mean degree about 2K), as bench.mjs; {@code --min-degree D} instead adds random
 * links until every node has D. Rate 0: as fast as the mesh takes them (at most 2,000 in flight).
 * The old positional form {@code [local|tcp] nodes min-degree txs rate} still works. Transactions are
 * the devnet's (half name registrations, half data; 222 bytes on average): {@code --size} only
 * checks that figure.
 */
public final class GossipBenchmark {
    private static final int WINDOW = 2_000;

    record Options(boolean tcp, int nodes, int dials, int minDegree, int messages, int size, int rate, long seed) {
        static Options parse(String[] args) {
            if (args.length > 0 && !args[0].startsWith("--")) { // [local|tcp] nodes degree txs rate
                return new Options(!args[0].equals("local"), arg(args, 1, 10), 0, arg(args, 2, 4), arg(args, 3, 5_000),
                        222, arg(args, 4, 0), 1);
            }
            Map<String, String> o = new ConcurrentHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value, got " + args[i]);
                }
                o.put(args[i].substring(2), args[++i]);
            }
            Set<String> known = Set.of("nodes", "dials", "min-degree", "messages", "size", "rate", "transport", "seed");
            o.keySet().stream().filter(k -> !known.contains(k)).findFirst().ifPresent(k -> {
                throw new IllegalArgumentException("unknown option --" + k + "; known: " + known);
            });
            int minDegree = Integer.parseInt(o.getOrDefault("min-degree", "0"));
            return new Options(!o.getOrDefault("transport", "tcp").equals("local"), Integer.parseInt(o.getOrDefault("nodes", "10")),
                    minDegree > 0 ? 0 : Integer.parseInt(o.getOrDefault("dials", "4")), minDegree,
                    Integer.parseInt(o.getOrDefault("messages", "2000")), Integer.parseInt(o.getOrDefault("size", "222")),
                    Integer.parseInt(o.getOrDefault("rate", "200")), Long.parseLong(o.getOrDefault("seed", "1")));
        }

        private static int arg(String[] args, int i, int dflt) {
            return args.length > i ? Integer.parseInt(args[i]) : dflt;
        }
    }

    public static void main(String[] args) throws Exception {
        Options opt = Options.parse(args);
        int nodeCount = opt.nodes();
        int txCount = opt.messages();
        System.out.printf("transport=%s nodes=%d %s txs=%d rate=%s cores=%d%n", opt.tcp() ? "tcp" : "local", nodeCount,
                opt.dials() > 0 ? "dials=" + opt.dials() : "degree>=" + opt.minDegree(), txCount,
                opt.rate() == 0 ? "max" : opt.rate() + "/s", Runtime.getRuntime().availableProcessors());

        Devnet devnet = Devnet.create(1);
        List<ChainTransaction> txs = new ArrayList<>(txCount);
        for (int i = 0; i < txCount; i++) {
            txs.add(i % 2 == 0 ? devnet.nameTx("bench" + i) : devnet.dataTx(devnet.producerName(0)));
        }
        double avgTxBytes = txs.stream().mapToInt(ChainTransaction::serializedSize).average().orElse(1);
        if (Math.abs(avgTxBytes - opt.size()) > 0.1 * opt.size()) {
            System.out.printf("note: transactions average %.0f bytes, not the --size %d asked%n", avgTxBytes, opt.size());
        }

        Map<TxId, Integer> index = new ConcurrentHashMap<>();
        for (int i = 0; i < txCount; i++) {
            index.put(txs.get(i).id(), i);
        }
        long[] submittedAt = new long[txCount];
        int[] publisher = new int[txCount];
        int[] mempools = new int[txCount];
        long[] toEveryMempool = new long[txCount];
        long[] perDelivery = new long[txCount * (nodeCount - 1)];
        AtomicInteger deliveries = new AtomicInteger();
        AtomicInteger complete = new AtomicInteger();
        AtomicLong lastDelivery = new AtomicLong();
        Semaphore window = new Semaphore(WINDOW);
        Random random = new Random(opt.seed() * 31 + 2);
        for (int i = 0; i < txCount; i++) {
            publisher[i] = random.nextInt(nodeCount);
        }

        try (Transport transport = opt.tcp() ? TcpTransport.create(2) : new InProcessTransport(2)) {
            List<Chain> chains = new ArrayList<>();
            List<P2pNode> nodes = new ArrayList<>();
            List<PeerAddress> addresses = new ArrayList<>();
            try {
                for (int n = 0; n < nodeCount; n++) {
                    ChainConfig config = ChainConfig.defaults(devnet.params()).withClock(devnet.clock())
                            .withMempoolLimits(Math.max(50_000, txCount + 1), 256L << 20);
                    Chain chain = Chain.open(config, new InMemoryChainStore());
                    int self = n;
                    chain.addListener(new ChainListener() {
                        @Override
                        public void onTransactionAccepted(ChainTransaction tx) {
                            long now = System.nanoTime();
                            Integer i = index.get(tx.id());
                            if (i == null) {
                                return;
                            }
                            int slot;
                            if (publisher[i] != self && (slot = deliveries.getAndIncrement()) < perDelivery.length) {
                                perDelivery[slot] = now - submittedAt[i];
                                lastDelivery.accumulateAndGet(now, Math::max);
                            }
                            boolean everywhere;
                            synchronized (mempools) {
                                everywhere = ++mempools[i] == nodeCount;
                            }
                            if (everywhere) {
                                toEveryMempool[i] = now - submittedAt[i];
                                complete.incrementAndGet();
                                window.release();
                            }
                        }
                    });
                    P2pNode node = P2pNode.create(chain, NodeKey.generate(), transport, P2pConfig.builder()
                            .handshakeTimeout(Duration.ofSeconds(30)).build());
                    PeerAddress address = node.listen(opt.tcp() ? PeerAddress.tcp("127.0.0.1", 0)
                            : PeerAddress.local("gossip-bench-" + n)).get(10, TimeUnit.SECONDS);
                    chains.add(chain);
                    nodes.add(node);
                    addresses.add(address);
                }
                Random topology = new Random(opt.seed());
                Set<Long> edges = opt.dials() > 0 ? dialsGraph(nodeCount, opt.dials(), topology)
                        : minDegreeGraph(nodeCount, opt.minDegree(), topology);
                for (long e : edges) {
                    nodes.get((int) (e >> 32)).dial(addresses.get((int) e)).get(30, TimeUnit.SECONDS);
                }
                double degree = 2.0 * edges.size() / nodeCount;
                System.out.printf("mesh: %d links (mean degree %.1f), avg tx %.0f bytes%n", edges.size(), degree, avgTxBytes);
                TimeUnit.MILLISECONDS.sleep(500); // mempool sync and the first pings settle

                OptionalLong lo0 = LoopbackBytes.received();
                long cpu0 = processCpuNanos();
                long start = System.nanoTime();
                long intervalNanos = opt.rate() == 0 ? 0 : 1_000_000_000L / opt.rate();
                for (int i = 0; i < txCount; i++) {
                    if (opt.rate() == 0) {
                        window.acquire();
                    } else {
                        long wait = start + i * intervalNanos - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait); // open-loop pacing of the load generator
                        }
                    }
                    submittedAt[i] = System.nanoTime();
                    chains.get(publisher[i]).submitTransaction(txs.get(i));
                }
                long publishEnd = System.nanoTime();
                // As bench.mjs: wait for the last delivery, at most 60 s, or until 10 s pass without one.
                long lastChange = System.nanoTime();
                int lastSeen = -1;
                while (deliveries.get() < txCount * (nodeCount - 1) && System.nanoTime() - publishEnd < TimeUnit.SECONDS.toNanos(60)
                        && System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(10)) {
                    TimeUnit.MILLISECONDS.sleep(20);
                    if (deliveries.get() != lastSeen) {
                        lastSeen = deliveries.get();
                        lastChange = System.nanoTime();
                    }
                }
                long end = Math.max(lastDelivery.get(), start);
                OptionalLong lo1 = LoopbackBytes.received();
                long cpu = processCpuNanos() - cpu0;
                Result result = Result.of(opt, nodes, degree, avgTxBytes, deliveries.get(),
                        Arrays.copyOf(perDelivery, Math.min(perDelivery.length, deliveries.get())), toEveryMempool, complete.get(),
                        (publishEnd - start) / 1e9, (end - start) / 1e9, cpu,
                        lo0.isPresent() && lo1.isPresent() ? lo1.getAsLong() - lo0.getAsLong() : -1);
                result.print();
            } finally {
                nodes.forEach(P2pNode::close);
                chains.forEach(Chain::close);
            }
        }
    }

    /** bench.mjs's topology: each node dials {@code dials} random others it is not yet linked to; drawn again until connected. */
    static Set<Long> dialsGraph(int n, int dials, Random random) {
        for (int attempt = 0; attempt < 100; attempt++) {
            Set<Long> edges = new HashSet<>();
            for (int i = 0; i < n; i++) {
                int picked = 0;
                for (int tries = 0; picked < Math.min(dials, n - 1) && tries < 50 * n; tries++) {
                    int j = random.nextInt(n);
                    if (j != i && edges.add(key(i, j))) {
                        picked++;
                    }
                }
            }
            if (connected(n, edges)) {
                return edges;
            }
        }
        throw new IllegalStateException("could not draw a connected topology");
    }

    /** A random spanning tree, then extra edges until every node has {@code degree}. */
    static Set<Long> minDegreeGraph(int n, int degree, Random random) {
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
        return edges;
    }

    private static boolean connected(int n, Set<Long> edges) {
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        int components = n;
        for (long e : edges) {
            int a = find(parent, (int) (e >> 32));
            int b = find(parent, (int) e);
            if (a != b) {
                parent[a] = b;
                components--;
            }
        }
        return components == 1;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            i = parent[i];
        }
        return i;
    }

    private static void addEdge(Set<Long> edges, int[] deg, int a, int b) {
        edges.add(key(a, b));
        deg[a]++;
        deg[b]++;
    }

    private static long key(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** One run's figures, printed as bench.mjs's columns and as one {@code RESULT {json}} line for the script. */
    record Result(Options opt, double degree, double avgTxBytes, int delivered, long[] perDelivery, long[] toEveryMempool,
                  int complete, double publishSeconds, double windowSeconds, long cpuNanos, long loopbackBytes,
                  long bodies, long duplicates, long gossipBytes, long bodyBytes, long announcements) {
        static Result of(Options opt, List<P2pNode> nodes, double degree, double avgTxBytes, int delivered, long[] perDelivery,
                         long[] toEveryMempool, int complete, double publishSeconds, double windowSeconds, long cpuNanos,
                         long loopbackBytes) {
            long bodies = 0;
            long duplicates = 0;
            long gossipBytes = 0;
            long bodyBytes = 0;
            long announcements = 0;
            for (P2pNode node : nodes) {
                P2pMetrics m = node.metrics();
                bodies += m.txBodiesReceived.sum();
                duplicates += m.txBodiesDuplicate.sum();
                gossipBytes += m.gossipBytesReceived.sum();
                bodyBytes += m.bodyBytesReceived.sum();
                announcements += m.announcementsReceived.sum();
            }
            Arrays.sort(perDelivery);
            return new Result(opt, degree, avgTxBytes, delivered, perDelivery, toEveryMempool.clone(), complete, publishSeconds,
                    windowSeconds, cpuNanos, loopbackBytes, bodies, duplicates, gossipBytes, bodyBytes, announcements);
        }

        void print() {
            int n = opt.nodes();
            int m = opt.messages();
            long[] every = Arrays.copyOf(toEveryMempool, toEveryMempool.length);
            Arrays.sort(every);
            long[] everySecondHalf = Arrays.copyOfRange(toEveryMempool, m / 2, m);
            Arrays.sort(everySecondHalf);
            double deliveryPct = 100.0 * delivered / ((double) m * (n - 1));
            double bodiesPerDelivery = delivered == 0 ? Double.NaN : (double) bodies / delivered;
            double bytesOverSize = gossipBytes / (double) (n - 1) / m / avgTxBytes;
            System.out.printf(Locale.ROOT, "delivered %d of %d (%.3f %%), %d of %d transactions in every mempool%n", delivered,
                    (long) m * (n - 1), deliveryPct, complete, m);
            System.out.printf(Locale.ROOT, "latency per delivery (ms): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
                    pct(perDelivery, 50), pct(perDelivery, 90), pct(perDelivery, 99), pct(perDelivery, 100));
            System.out.printf(Locale.ROOT, "latency to every mempool (ms): p50 %.1f  p90 %.1f  p99 %.1f (second half: p50 %.1f  p99 %.1f)%n",
                    pct(every, 50), pct(every, 90), pct(every, 99), pct(everySecondHalf, 50), pct(everySecondHalf, 99));
            System.out.printf(Locale.ROOT, "tx bodies received per delivery: %.3f (%d duplicates); announcements received per tx per node: %.2f%n",
                    bodiesPerDelivery, duplicates, announcements / (double) (n - 1) / m);
            double perTxPerNode = gossipBytes / (double) (n - 1) / m;
            double bodyPerTxPerNode = bodyBytes / (double) (n - 1) / m;
            System.out.printf(Locale.ROOT, "gossip bytes received per tx per node: %.0f = %.2f x tx size (bodies %.0f, the rest: "
                            + "announcements, requests, envelopes %.0f)%n", perTxPerNode, bytesOverSize, bodyPerTxPerNode,
                    perTxPerNode - bodyPerTxPerNode);
            System.out.printf(Locale.ROOT, "loopback bytes received during the window: %s; CPU %.0f us per delivery (%.0f %% of one core); achieved %.0f msg/s%n",
                    loopbackBytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB", loopbackBytes / 1e6),
                    cpuNanos / 1e3 / Math.max(1, delivered), 100.0 * cpuNanos / 1e9 / windowSeconds, m / publishSeconds);
            String head = "| config | N | mean degree | delivery % | p50 ms | p90 ms | p99 ms | body receptions / delivery "
                    + "| gossip bytes / (msg x receiver) / size | loopback MB | CPU us / delivery | achieved msg/s |";
            System.out.println(head);
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| protoblock %s | %d | %.1f | %.3f | %.2f | %.2f | %.2f | %.3f | %.2f | %s | %.1f | %.0f |%n",
                    opt.tcp() ? "tcp" : "local", n, degree, deliveryPct, pct(perDelivery, 50), pct(perDelivery, 90), pct(perDelivery, 99),
                    bodiesPerDelivery, bytesOverSize, loopbackBytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", loopbackBytes / 1e6),
                    cpuNanos / 1e3 / Math.max(1, delivered), m / publishSeconds);
            System.out.printf(Locale.ROOT, "RESULT {\"impl\":\"protoblock\",\"N\":%d,\"M\":%d,\"rate\":%d,\"degreeMean\":%.2f,"
                            + "\"deliveryFraction\":%.5f,\"latP50\":%.3f,\"latP90\":%.3f,\"latP99\":%.3f,\"everyP50\":%.3f,\"everyP99\":%.3f,"
                            + "\"receptionsPerDelivery\":%.4f,\"gossipBytesOverSize\":%.3f,\"loopbackBytes\":%d,\"avgTxBytes\":%.1f,"
                            + "\"cpuUsPerDelivery\":%.1f,\"achievedRate\":%.1f}%n",
                    n, m, opt.rate(), degree, delivered / ((double) m * (n - 1)), pct(perDelivery, 50), pct(perDelivery, 90),
                    pct(perDelivery, 99), pct(every, 50), pct(every, 99), bodiesPerDelivery, bytesOverSize, loopbackBytes, avgTxBytes,
                    cpuNanos / 1e3 / Math.max(1, delivered), m / publishSeconds);
        }

        /** bench.mjs's percentile: the value at rank ceil(p/100 × n), in ms. */
        private static double pct(long[] sorted, double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1));
            return sorted[i] / 1e6;
        }
    }
}
