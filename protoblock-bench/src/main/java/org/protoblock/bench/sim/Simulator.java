package org.protoblock.bench.sim;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.gossip.GossipConfig;
import org.protoblock.p2p.host.P2pConfig;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.InProcessTransport;
import org.protoblock.p2p.transport.LinkProfile;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * The network simulator (issue 14): {@code nodes} real node stacks in one JVM on the in-process
 * transport, each link shaped by {@link SimNetwork} (latency, bandwidth, partitions), in real time.
 * Nodes find each other through seeds and peer exchange (the real peer manager); nothing builds
 * the graph by hand. Phases, each measured and printed: settle (topology, memory per node),
 * transactions, blocks against the shortest-path bound, churn, partition and heal.
 *
 * <p>Real work everywhere: every node checks every signature (libsecp256k1) and runs Noise
 * (ChaCha20-Poly1305) on every byte; no stand-in. What differs from the node program: stores in
 * memory, and (by default) every component's {@link OwnedExecutor} runs on one JVM-wide pool
 * ({@link OwnedExecutor#shareThreads}) instead of a thread each. Run:
 * {@code protoblock-bench/simulate --help}.
 *
 * <p>Threads: the main thread runs the phases and owns the list of live nodes; the nodes own
 * theirs; node stops during churn run on a small pool.
 */
public final class Simulator implements AutoCloseable {
    static final int PRODUCER_A = 0;
    static final int PRODUCER_B = 1;

    final SimConfig config;
    final Devnet devnet = Devnet.create(2);
    final SimNetwork network;
    final Observations observations;
    final InProcessTransport transport;
    final Random random;
    /** Live nodes, by index; written by the main thread only. */
    final Map<Integer, SimNode> live = new ConcurrentHashMap<>();
    final Map<NodeId, Integer> indexOfNode = new ConcurrentHashMap<>();
    final List<PeerAddress> seedAddresses = new CopyOnWriteArrayList<>();
    private final ExecutorService stopper = Executors.newFixedThreadPool(2);
    private int nextIndex;
    private int txCounter;

    Simulator(SimConfig config) {
        this.config = config;
        int capacity = config.nodes() + (int) Math.ceil(config.nodes() * config.churnPerMinute()
                * Math.max(1, config.duration().toSeconds()) / 60.0) + 16;
        this.network = new SimNetwork(config.latency().multipliedBy(config.timeScale()), config.jitter(),
                config.bytesPerSecond() / config.timeScale(), capacity);
        this.observations = new Observations(capacity);
        this.transport = new InProcessTransport(config.eventLoops());
        this.random = new Random(config.seed());
        devnet.at(System.currentTimeMillis() / 1000);
    }

    public static void main(String[] args) throws Exception {
        SimConfig config;
        try {
            config = SimConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());
            return;
        }
        System.out.printf("simulator: %s, cores=%d, max heap %d MiB%n", config, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("every node verifies every signature and encrypts every link: no stand-in");
        if (config.timeScale() > 1) {
            System.out.printf("time scale %d: links run %d x slower; propagation times below are simulated ms (wall / %d); "
                    + "gossip timers (announce interval, request timeouts) are slowed as much; other node timers are not%n",
                    config.timeScale(), config.timeScale(), config.timeScale());
        }
        if (config.ownedThreads() > 0) {
            // Thousands of nodes: every component's owned executor on one pool (same rules, no thread each).
            OwnedExecutor.shareThreads(config.ownedThreads());
        }
        try (Simulator sim = new Simulator(config)) {
            sim.run();
        }
        System.exit(0); // daemon threads of 1,000 nodes are closed, but do not wait for stragglers
    }

    private void run() throws Exception {
        long start = System.nanoTime();
        startNodes();
        settle();
        reportMemory();
        new TxPhase(this).run();
        new BlockPhase(this).run();
        if (!config.duration().isZero() && config.churnPerMinute() > 0) {
            new ChurnPhase(this).run();
        }
        if (!config.partition().isZero()) {
            new PartitionPhase(this).run();
        }
        System.out.printf(Locale.ROOT, "total run time %.0f s; load average %s%n", (System.nanoTime() - start) / 1e9, loadAverage());
    }

    // ---- nodes

    private void startNodes() throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < config.nodes(); i++) {
            SimNode node = startNode();
            if (i < config.seeds()) {
                seedAddresses.add(node.address());
            }
            if ((i + 1) % 100 == 0) {
                System.out.printf(Locale.ROOT, "started %d nodes in %.1f s%n", i + 1, (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** A new node with the next index: producers at indices 0 and 1, seeds 0..seeds-1. */
    SimNode startNode() throws Exception {
        int index = nextIndex++;
        if (index >= network.capacity()) {
            throw new IllegalStateException("node capacity " + network.capacity() + " reached");
        }
        String name = "sim-" + index;
        ChainConfig chainConfig = ChainConfig.defaults(devnet.params());
        if (index == PRODUCER_A || index == PRODUCER_B) {
            chainConfig = chainConfig.withProducer(devnet.producer(index), Duration.ofHours(1)); // produceNow only
        }
        List<PeerAddress> seeds = seedAddresses.stream().filter(a -> !a.host().equals(name)).toList();
        PeerConfig peers = PeerConfig.builder().seeds(seeds).useBuiltInSeeds(false).lanEnabled(false).portMapping(false)
                .peerRequestInterval(Duration.ofSeconds(5)).build();
        P2pConfig p2p = P2pConfig.builder().handshakeTimeout(Duration.ofSeconds(20)).build();
        SimNode node = SimNode.start(index, name, chainConfig, transport, network, p2p, peers,
                GossipConfig.defaults().slowedBy(config.timeScale()), observations);
        indexOfNode.put(node.p2p().host().nodeId(), index);
        live.put(index, node);
        return node;
    }

    /** Takes the node out of the live set at once; its links and threads close in the background. */
    void stopNode(int index) {
        SimNode node = live.remove(index);
        if (node != null) {
            stopper.execute(node::stop);
        }
    }

    boolean isProtected(int index) {
        return index == PRODUCER_A || index == PRODUCER_B || index < config.seeds();
    }

    List<SimNode> liveNodes() {
        return new ArrayList<>(live.values());
    }

    SimNode node(int index) {
        return Optional.ofNullable(live.get(index)).orElseThrow(() -> new IllegalStateException("node " + index + " not live"));
    }

    /** A fresh valid transaction (a name registration: one signature for every node to check). */
    ChainTransaction newTransaction() {
        return devnet.nameTx("sim" + (txCounter++));
    }

    // ---- topology

    /** The graph of open sessions among live nodes now, with each link's latency and bandwidth. */
    LinkGraph captureGraph() {
        LinkGraph graph = new LinkGraph(network.capacity());
        for (SimNode node : liveNodes()) {
            for (Session s : node.p2p().host().sessions()) {
                Integer other = indexOfNode.get(s.nodeId());
                if (s.isOpen() && other != null && live.containsKey(other)) {
                    LinkProfile p = network.profile(node.index(), other);
                    graph.add(node.index(), other, simMillis(p.latency().toNanos()), p.bytesPerSecond() * config.timeScale());
                }
            }
        }
        return graph;
    }

    static int outbound(SimNode node) {
        return (int) node.p2p().host().sessions().stream().filter(s -> s.direction() == Direction.OUTBOUND).count();
    }

    /** Waits until ≥ 99 % of nodes have their outbound slots filled and the graph is connected, or the settle time ends. */
    private void settle() throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + config.settle().toNanos();
        int target = PeerConfig.defaults().dialer().outboundTarget();
        while (true) {
            TimeUnit.SECONDS.sleep(5);
            List<SimNode> nodes = liveNodes();
            long full = nodes.stream().filter(n -> outbound(n) >= target).count();
            LinkGraph graph = captureGraph();
            int[] hops = graph.hops(PRODUCER_A);
            long reached = nodes.stream().filter(n -> hops[n.index()] >= 0).count();
            System.out.printf(Locale.ROOT, "settle %3.0f s: %d/%d nodes with %d outbound, %d links (degree %.1f), "
                            + "%d/%d reachable from node 0, load %s%n", (System.nanoTime() - t0) / 1e9, full, nodes.size(),
                    target, graph.edgeCount(), 2.0 * graph.edgeCount() / nodes.size(), reached, nodes.size(), loadAverage());
            if ((full >= 0.99 * nodes.size() && reached == nodes.size()) || System.nanoTime() > deadline) {
                int maxHops = nodes.stream().mapToInt(n -> hops[n.index()]).max().orElse(0);
                System.out.printf("topology: diameter from node 0 = %d hops%n", maxHops);
                return;
            }
        }
    }

    private void reportMemory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        int n = live.size();
        System.out.printf(Locale.ROOT, "memory: live heap after GC %d MiB for %d nodes = %.0f KiB per node; %d threads "
                + "(%.1f per node)%n", used >> 20, n, used / 1024.0 / n, threads, threads / (double) n);
    }

    // ---- shared helpers

    /** Waits for {@code done} at most {@code timeout}, polling every 50 ms; true if it happened. */
    static boolean await(Duration timeout, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return true;
    }

    /** Wall-clock nanoseconds as simulated milliseconds (divided by the time scale). */
    double simMillis(long wallNanos) {
        return wallNanos / 1e6 / config.timeScale();
    }

    /** CPU time of this whole process so far (all nodes), nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Milliseconds the JVM's collectors have stopped every thread so far. Rationale: every simulated
     * node shares one heap, so a pause freezes the whole network at once (a real node pauses alone);
     * a block whose window holds a pause says so. Concurrent cycles ("ZGC Cycles", "G1 Concurrent GC")
     * do not stop the nodes and are left out.
     */
    static long gcPauseMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(gc -> !gc.getName().contains("Cycles") && !gc.getName().contains("Concurrent"))
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    /** Nodes of {@code indices} that have a time in {@code times}. */
    static long countSeen(AtomicLongArray times, List<Integer> indices) {
        return indices.stream().filter(i -> times.get(i) != 0).count();
    }

    /** The 1- and 5-minute load averages, for every figure (the machine is shared). */
    static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1];
        } catch (java.io.IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    @Override
    public void close() {
        liveNodes().forEach(n -> stopper.execute(n::stop));
        live.clear();
        stopper.shutdown();
        try {
            stopper.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.close();
    }
}
