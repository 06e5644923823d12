package org.protoblock.p2p.testing;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.store.ChainStore;
import org.protoblock.chain.store.InMemoryChainStore;
import org.protoblock.chain.store.RocksDbChainStore;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.P2pNode;
import org.protoblock.p2p.host.P2pConfig;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.transport.InProcessTransport;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.TcpTransport;
import org.protoblock.p2p.transport.Transport;

/**
 * Real nodes (Chain + P2pNode) on one transport for integration tests: RocksDB stores in a temp
 * directory (or in memory), topologies, stop/restart, and convergence waits. Closes everything.
 */
public final class TestNetwork implements AutoCloseable {
    public enum Kind { TCP, IN_PROCESS }

    public enum Storage { ROCKSDB, MEMORY }

    private static final AtomicInteger LOCAL_NAMES = new AtomicInteger();

    private final Devnet devnet;
    private final Kind kind;
    private final Storage storage;
    private final Path dir;
    private final Transport transport;
    private final List<TestNode> nodes = new ArrayList<>();

    public TestNetwork(Devnet devnet, Kind kind, Storage storage, Path dir) {
        this.devnet = devnet;
        this.kind = kind;
        this.storage = storage;
        this.dir = dir;
        this.transport = kind == Kind.TCP ? TcpTransport.create(2) : new InProcessTransport(2);
    }

    public Devnet devnet() {
        return devnet;
    }

    public Transport transport() {
        return transport;
    }

    public List<TestNode> nodes() {
        return List.copyOf(nodes);
    }

    public TestNode node(int index) {
        return nodes.get(index);
    }

    /** Short timeouts so that failure paths finish quickly in tests. */
    public static P2pConfig.Builder fastP2pConfig() {
        return P2pConfig.builder().handshakeTimeout(Duration.ofSeconds(5)).idleTimeout(Duration.ofSeconds(30));
    }

    /** A chain config on the devnet's clock; production only on {@code produceNow()} (1 h interval). */
    public ChainConfig chainConfig() {
        return ChainConfig.defaults(devnet.params()).withClock(devnet.clock());
    }

    public ChainConfig producerConfig(int producerIndex) {
        return chainConfig().withProducer(devnet.producer(producerIndex), Duration.ofHours(1));
    }

    public TestNode addNode() throws Exception {
        return addNode(chainConfig(), fastP2pConfig().build());
    }

    public TestNode addProducer(int producerIndex) throws Exception {
        return addNode(producerConfig(producerIndex), fastP2pConfig().build());
    }

    /** A node listening on a fresh address. */
    public synchronized TestNode addNode(ChainConfig chainConfig, P2pConfig p2pConfig) throws Exception {
        return addNode(chainConfig, p2pConfig, PeerConfig.manual(), Optional.empty());
    }

    /** A node whose store {@code wrapStore} wraps (e.g. to inject write failures). */
    public synchronized TestNode addNode(ChainConfig chainConfig, P2pConfig p2pConfig, UnaryOperator<ChainStore> wrapStore)
            throws Exception {
        TestNode node = new TestNode(this, nodes.size(), NodeKey.generate(), chainConfig, p2pConfig);
        node.wrapStore = wrapStore;
        nodes.add(node);
        node.start();
        return node;
    }

    /**
     * A node with peer management as configured, started after it listens. {@code listenHost}
     * (TCP only) picks the loopback address, e.g. 127.3.0.1 to sit in address group 127.3/16.
     */
    public synchronized TestNode addNode(ChainConfig chainConfig, P2pConfig p2pConfig, PeerConfig peerConfig,
                                         Optional<String> listenHost) throws Exception {
        int index = nodes.size();
        TestNode node = new TestNode(this, index, NodeKey.generate(), chainConfig, p2pConfig);
        node.peerConfig = peerConfig;
        node.listenHost = listenHost;
        nodes.add(node);
        node.start();
        return node;
    }

    ChainStore openStore(int index) {
        return storage == Storage.MEMORY ? new InMemoryChainStore() : RocksDbChainStore.open(dir.resolve("node-" + index));
    }

    boolean persistent() {
        return storage == Storage.ROCKSDB;
    }

    PeerAddress freshAddress() {
        return kind == Kind.TCP ? PeerAddress.tcp("127.0.0.1", 0) : PeerAddress.local("net-node-" + LOCAL_NAMES.incrementAndGet());
    }

    /** Dials {@code to} from {@code from} and waits for the session. */
    public void connect(TestNode from, TestNode to) throws Exception {
        from.p2p().dial(to.address()).get(20, TimeUnit.SECONDS);
    }

    /** 0-1-2-…-(n-1). */
    public void line() throws Exception {
        for (int i = 1; i < nodes.size(); i++) {
            connect(nodes.get(i), nodes.get(i - 1));
        }
    }

    /** A line closed into a ring. */
    public void ring() throws Exception {
        line();
        if (nodes.size() > 2) {
            connect(nodes.get(0), nodes.get(nodes.size() - 1));
        }
    }

    /** A random connected graph: a random spanning tree plus extra random edges, each node at least {@code degree}. */
    public void random(int degree, long seed) throws Exception {
        Random random = new Random(seed);
        List<int[]> edges = new ArrayList<>();
        for (int i = 1; i < nodes.size(); i++) {
            edges.add(new int[] {i, random.nextInt(i)});
        }
        int[] deg = new int[nodes.size()];
        edges.forEach(e -> {
            deg[e[0]]++;
            deg[e[1]]++;
        });
        for (int i = 0; i < nodes.size(); i++) {
            int attempts = 0;
            while (deg[i] < degree && attempts++ < 50) {
                int j = random.nextInt(nodes.size());
                int a = i;
                if (j == i || edges.stream().anyMatch(e -> (e[0] == a && e[1] == j) || (e[0] == j && e[1] == a))) {
                    continue;
                }
                edges.add(new int[] {i, j});
                deg[i]++;
                deg[j]++;
            }
        }
        for (int[] e : edges) {
            connect(nodes.get(e[0]), nodes.get(e[1]));
        }
    }

    /** Waits until every running node has the same head as {@code reference}, which must be running. */
    public void awaitSameHead(Collection<TestNode> group, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            ChainHead first = null;
            for (TestNode node : group) {
                ChainHead head = node.chain().head();
                if (first == null) {
                    first = head;
                } else if (!first.equals(head)) {
                    return false;
                }
            }
            return true;
        });
    }

    public void awaitSameHead(Duration timeout) {
        awaitSameHead(nodes.stream().filter(TestNode::isRunning).toList(), timeout);
    }

    @Override
    public synchronized void close() {
        for (TestNode node : nodes) {
            node.stop();
        }
        transport.close();
    }

    /** One node: its chain (kept across restarts when persistent) and its p2p side. */
    public static final class TestNode {
        private final TestNetwork network;
        private final int index;
        private final NodeKey key;
        private ChainConfig chainConfig;
        private final P2pConfig p2pConfig;
        private PeerConfig peerConfig = PeerConfig.manual();
        private Optional<String> listenHost = Optional.empty();
        private UnaryOperator<ChainStore> wrapStore = UnaryOperator.identity();
        private Chain chain;
        private P2pNode p2p;
        private PeerAddress address;

        TestNode(TestNetwork network, int index, NodeKey key, ChainConfig chainConfig, P2pConfig p2pConfig) {
            this.network = network;
            this.index = index;
            this.key = key;
            this.chainConfig = chainConfig;
            this.p2pConfig = p2pConfig;
        }

        void start() throws Exception {
            chain = Chain.open(chainConfig, wrapStore.apply(network.openStore(index)));
            p2p = P2pNode.create(chain, key, network.transport, p2pConfig, peerConfig);
            PeerAddress at = listenHost.map(h -> PeerAddress.tcp(h, 0)).orElseGet(network::freshAddress);
            address = p2p.listen(at).get(10, TimeUnit.SECONDS);
            p2p.start();
        }

        public int index() {
            return index;
        }

        public Chain chain() {
            return chain;
        }

        public P2pNode p2p() {
            return p2p;
        }

        public PeerAddress address() {
            return address;
        }

        public boolean isRunning() {
            return p2p != null;
        }

        /** Stops p2p and the chain (the store is kept on disk when persistent). */
        public synchronized void stop() {
            if (p2p != null) {
                p2p.close();
                chain.close();
                p2p = null;
            }
        }

        /** Peer management settings used from the next (re)start on. */
        public synchronized void peerConfig(PeerConfig config) {
            this.peerConfig = config;
        }

        /** Restarts with the same identity and store (RocksDB only), on a new address. */
        public synchronized void restart(UnaryOperator<ChainConfig> change) throws Exception {
            if (!network.persistent()) {
                throw new IllegalStateException("restart needs persistent storage");
            }
            stop();
            chainConfig = change.apply(chainConfig);
            start();
        }

        @Override
        public String toString() {
            return "node" + index + (p2p != null ? "(" + p2p.host().nodeId().shortForm() + ")" : "(stopped)");
        }
    }
}
