package org.protoblock.node.devnet;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.store.TxLocation;
import org.protoblock.chain.types.TxId;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.app.NodeSpec;
import org.protoblock.node.wallet.NonceSource;
import org.protoblock.node.wallet.TxFactory;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.session.PeerListener;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.TcpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devnet demo: a private network of N nodes in this JVM on loopback TCP (node 0 produces every
 * second), each running the real peer manager: node 0 is every node's seed and each node keeps the
 * one before it as an operator peer ({@code addnode}); discovery does the rest. Under load from
 * {@link LoadGenerator}, shown live by {@link ConsoleView}. At the end the load stops and the
 * network settles: it waits (up to the settle timeout) until every node has the same head and
 * every accepted transaction is on the main chain; the summary says whether that happened.
 */
public final class DevnetRunner {
    private static final Logger log = LoggerFactory.getLogger(DevnetRunner.class);
    public static final int MAX_NODES = 32;
    private static final long POLL_MILLIS = 250;
    private static final long CONNECT_SECONDS = 20;

    /** What to run. */
    public record Options(int nodes, Duration duration, double txRate, Path dir, Duration settleTimeout,
                          boolean ansiConsole) {
        public Options {
            if (nodes < 1 || nodes > MAX_NODES) {
                throw new IllegalArgumentException("nodes must be 1.." + MAX_NODES);
            }
            if (duration.isNegative() || txRate < 0 || txRate > 10_000) {
                throw new IllegalArgumentException("duration >= 0 and tx-rate 0..10000");
            }
        }
    }

    private final Options options;
    private final PrintStream out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    public DevnetRunner(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Ends the load phase early (Ctrl-C); settling and the summary still happen. */
    public void requestStop() {
        stopRequested.countDown();
    }

    public DevnetSummary run() throws Exception {
        Path dir = options.dir();
        DevnetFiles.Devnet devnet = DevnetFiles.exists(dir) ? DevnetFiles.load(dir)
                : DevnetFiles.create(dir, "devnet", 1, Clock.systemUTC());
        if (devnet.producers().isEmpty()) {
            throw new IllegalStateException("no producer-1.key in " + dir);
        }
        out.printf("Devnet %s in %s: starting %d nodes%n", devnet.network().networkId(), dir, options.nodes());
        List<NodeApp> nodes = new ArrayList<>();
        try (TcpTransport transport = TcpTransport.create(2)) {
            try {
                for (int i = 0; i < options.nodes(); i++) {
                    List<PeerAddress> seeds = i == 0 ? List.of() : List.of(nodes.get(0).p2pAddress());
                    NodeSpec spec = NodeSpec.local(devnet.network(), dir.resolve("node-" + i)).withTransport(transport)
                            .withPeerManagement(DevnetPeers.config(seeds));
                    NodeApp node = NodeApp.start(i == 0 ? spec.withProducer(devnet.producers().get(0)) : spec);
                    if (i > 0) {
                        node.p2p().peerManager().operator().addNode(nodes.get(i - 1).p2pAddress());
                    }
                    nodes.add(node);
                }
                awaitLinks(nodes);
                for (int i = 0; i < nodes.size(); i++) {
                    out.printf("  node %d: P2P %s  RPC %s%n", i, nodes.get(i).p2pAddress(), nodes.get(i).rpcUrl());
                }
                return exercise(devnet, nodes);
            } finally {
                for (int i = nodes.size() - 1; i >= 0; i--) {
                    nodes.get(i).close();
                }
            }
        }
    }

    /** Waits until each node is linked to the one before it (its operator peer): the line carries every block. */
    private static void awaitLinks(List<NodeApp> nodes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONNECT_SECONDS);
        for (int i = 1; i < nodes.size(); i++) {
            NodeApp node = nodes.get(i);
            NodeId previous = nodes.get(i - 1).p2p().host().nodeId();
            CountDownLatch linked = new CountDownLatch(1);
            PeerListener watch = new PeerListener() {
                @Override
                public void connected(Session session, Hello remoteHello) {
                    if (session.nodeId().equals(previous)) {
                        linked.countDown();
                    }
                }
            };
            // Registered before looking, so a link that forms in between is seen either way.
            try (AutoCloseable registration = node.p2p().host().events().register(watch, Set.of())) {
                if (node.p2p().host().session(previous).isEmpty()
                        && !linked.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("node " + i + " did not link to node " + (i - 1) + " within "
                            + CONNECT_SECONDS + " s");
                }
            }
        }
    }

    private DevnetSummary exercise(DevnetFiles.Devnet devnet, List<NodeApp> nodes) throws Exception {
        int startHeight = nodes.get(0).chain().head().num();
        List<Chain> chains = nodes.stream().map(NodeApp::chain).toList();
        LoadGenerator load = new LoadGenerator(chains, options.txRate(), new TxFactory(NonceSource.system()), new Random());
        ConsoleView view = new ConsoleView(out, options.ansiConsole(), nodes, load);
        long total = options.duration().toSeconds();
        long start = System.nanoTime();
        try (load) {
            load.start();
            while (!stopRequested.await(1, TimeUnit.SECONDS)) {
                long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
                view.render("running", elapsed, total);
                if (elapsed >= total) {
                    break;
                }
            }
            load.stop(10_000);
        }
        // Settling is checked again whenever a head moves (or each POLL_MILLIS, to redraw).
        Semaphore headMoved = new Semaphore(0);
        ChainListener onHead = new ChainListener() {
            @Override
            public void onHeadChanged(AddOutcome outcome) {
                headMoved.release();
            }
        };
        chains.forEach(c -> c.addListener(onHead));
        long settleStart = System.nanoTime();
        long deadline = settleStart + options.settleTimeout().toNanos();
        Set<TxId> accepted = load.acceptedIds();
        Set<TxId> missing = new HashSet<>(accepted);
        long lastRender = 0;
        while (true) {
            missing.removeIf(id -> included(chains.get(0), id));
            if (headsAgree(chains) && missing.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                log.warn("Devnet did not settle within {}: heads agree {}, {} accepted txs not included",
                        options.settleTimeout(), headsAgree(chains), missing.size());
                break;
            }
            if (System.nanoTime() - lastRender > 1_000_000_000L) {
                lastRender = System.nanoTime();
                view.render("settling", (lastRender - start) / 1_000_000_000L, total);
            }
            if (headMoved.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                headMoved.drainPermits();
            }
        }
        chains.forEach(c -> c.removeListener(onHead));
        double settleSeconds = (System.nanoTime() - settleStart) / 1e9;
        view.render("done", (System.nanoTime() - start) / 1_000_000_000L, total);
        long included = accepted.stream().filter(id -> included(chains.get(0), id)).count();
        return summary(devnet, nodes, load, startHeight, included, settleSeconds);
    }

    private DevnetSummary summary(DevnetFiles.Devnet devnet, List<NodeApp> nodes, LoadGenerator load, int startHeight,
                                  long included, double settleSeconds) {
        List<DevnetSummary.NodeSummary> perNode = new ArrayList<>();
        long bodies = 0;
        long dups = 0;
        for (int i = 0; i < nodes.size(); i++) {
            NodeApp n = nodes.get(i);
            P2pMetrics m = n.p2p().metrics();
            bodies += m.txBodiesReceived.sum();
            dups += m.txBodiesDuplicate.sum();
            perNode.add(new DevnetSummary.NodeSummary(i, n.p2p().host().nodeId().hex(), n.chain().isProducer(),
                    n.chain().head().num(), n.chain().head().id().toHex(), n.p2p().host().sessionCount(),
                    n.chain().mempoolSize(), m.txBodiesReceived.sum(), m.txBodiesDuplicate.sum(), m.blocksReceived.sum(),
                    n.p2pAddress().toString(), n.rpcUrl().toString()));
        }
        List<Chain> chains = nodes.stream().map(NodeApp::chain).toList();
        boolean agree = headsAgree(chains);
        boolean allIncluded = included == load.accepted();
        Map<String, Long> byRule = load.rejectedByRule();
        return new DevnetSummary(devnet.network().networkId(), options.dir().toString(), nodes.size(),
                options.duration().toSeconds(), options.txRate(), load.submitted(), load.names(), load.data(), load.accepted(), load.rejected(), byRule,
                included, nodes.get(0).chain().head().num() - startHeight, agree, allIncluded, bodies, dups,
                settleSeconds, perNode, agree && allIncluded);
    }

    private static boolean headsAgree(List<Chain> chains) {
        return chains.stream().map(c -> c.head().id()).distinct().count() == 1;
    }

    /** On {@code chain}'s main chain (not only in some stored side branch). */
    static boolean included(Chain chain, TxId id) {
        Optional<TxLocation> at = chain.store().txLocation(id);
        return at.isPresent() && chain.mainChainId(at.get().num()).filter(at.get().blockId()::equals).isPresent();
    }
}
