package org.protoblock.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.store.InMemoryChainStore;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.P2pNode;
import org.protoblock.p2p.chain.StaticChainInfo;
import org.protoblock.p2p.host.P2pConfig;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.TcpTransport;

/**
 * The heap one node needs for many idle, authenticated links: a full {@link P2pNode} (every
 * protocol, in-memory chain at the devnet genesis) listens on loopback TCP; a second JVM opens
 * {@code links} links to it, each from its own node key through Noise XX and Hello, and leaves them
 * idle (pings only). The node's live heap after a full GC is reported before and after, and per link.
 *
 * <p>Admission: a public node refuses most of these with its defaults (125 sessions, 2 accepts/s
 * and 16 pending handshakes per host, every link here comes from 127.0.0.1). This benchmark raises
 * {@code P2pConfig.maxSessions}, the pending-handshake caps and the accept rate, and
 * {@code PeerConfig.maxInbound}, through the public builders; nothing else changes.
 *
 * <p>Run (the script raises {@code ulimit -n}; each JVM holds one descriptor per link):
 * {@code protoblock-bench/idle-links [links] [idleSeconds]}, or
 * {@code java -Xmx1g -cp protoblock-bench/target/benchmarks.jar org.protoblock.bench.IdleLinksBenchmark [links] [idleSeconds] [clientHeap]}.
 */
public final class IdleLinksBenchmark {
    private static final int CONCURRENT_DIALS = 128;
    private static final int DIAL_ATTEMPTS = 3;
    private static final int HISTOGRAM_LINES = 15;

    private IdleLinksBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--clients")) {
            clients(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        int links = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        // idle long enough for pings (every 15 s) to have run on every link
        Duration idleFor = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 40);
        String clientHeap = args.length > 2 ? args[2] : "3g";
        Devnet devnet = Devnet.create(1);
        P2pConfig p2p = P2pConfig.builder()
                .maxSessions(links + 64)
                .maxPendingHandshakes(1024)
                .maxPendingHandshakesPerHost(1024)
                .maxPendingHandshakesPerGroup(1024)
                .acceptRate(new P2pConfig.AcceptRate(1024, 100_000))
                .build();
        PeerConfig peers = PeerConfig.manual().toBuilder().maxInbound(links + 32).build();
        System.out.printf("IdleLinksBenchmark: %d links over loopback TCP to one node, max heap %d MB, %d cores%n", links,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        try (Chain chain = Chain.open(ChainConfig.defaults(devnet.params()).withClock(devnet.clock()), new InMemoryChainStore());
             TcpTransport transport = TcpTransport.create(2);
             P2pNode node = P2pNode.create(chain, NodeKey.generate(), transport, p2p, peers)) {
            PeerAddress address = node.listen(PeerAddress.tcp("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
            long before = liveHeap();
            System.out.printf("node up at %s: live heap %.1f MB, direct buffers %.1f MB%n", address, mb(before), mb(directBytes()));

            Process client = new ProcessBuilder(javaBinary(), "-Xmx" + clientHeap, "-cp", System.getProperty("java.class.path"),
                    IdleLinksBenchmark.class.getName(), "--clients", address.host(), String.valueOf(address.port()), String.valueOf(links))
                    .redirectErrorStream(true).start();
            try {
                long t0 = System.nanoTime();
                String result = awaitClients(client, node, links);
                double secs = (System.nanoTime() - t0) / 1e9;
                int sessions = node.host().sessionCount();
                System.out.printf("clients: %s; node has %d sessions after %.1f s (%.0f links/s)%n", result, sessions, secs,
                        sessions / secs);
                Thread.sleep(idleFor.toMillis()); // idle: only pings
                long after = liveHeap();
                int idle = node.host().sessionCount();
                System.out.printf("%nafter %d s idle: %d sessions, live heap %.1f MB (%.1f MB before the links),"
                        + " %.1f kB per link; direct buffers %.1f MB%n", idleFor.toSeconds(), idle, mb(after), mb(before),
                        (after - before) / 1024.0 / Math.max(1, idle), mb(directBytes()));
                System.out.printf("goal: ≤ 256 MB live heap for 10,000 idle links → %s%n",
                        idle >= links && after <= 256L << 20 ? "met" : "NOT met");
                printHistogram();
            } finally {
                client.destroy();
                client.waitFor(10, TimeUnit.SECONDS);
            }
        }
        System.exit(0);
    }

    /** Reads the client's lines until it reports READY (or ends); returns that line. */
    private static String awaitClients(Process client, P2pNode node, int links) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("READY")) {
                Thread reader = new Thread(() -> out.lines().forEach(l -> { }), "client-output"); // keep the pipe drained
                reader.setDaemon(true);
                reader.start();
                return line;
            }
            if (line.startsWith("PROGRESS") || line.startsWith("FAILED")) {
                System.out.printf("  %s; node sessions %d%n", line, node.host().sessionCount());
            }
        }
        throw new IllegalStateException("client process ended: exit " + client.waitFor());
    }

    /** The client JVM: {@code links} hosts, one node key each, dial {@code host:port} and stay idle. */
    private static void clients(String host, int port, int links) throws Exception {
        Devnet devnet = Devnet.create(1);
        StaticChainInfo info = StaticChainInfo.atGenesis(devnet.params().networkId(), devnet.params().genesisId());
        P2pConfig config = P2pConfig.builder().connectTimeout(Duration.ofSeconds(60)).handshakeTimeout(Duration.ofSeconds(60)).build();
        TcpTransport transport = TcpTransport.create(2);
        PeerAddress target = PeerAddress.tcp(host, port);
        List<PeerHost> hosts = new ArrayList<>(links);
        Semaphore dials = new Semaphore(CONCURRENT_DIALS);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        for (int i = 0; i < links; i++) {
            dials.acquire();
            PeerHost h = new PeerHost(NodeKey.generate(), info, transport, config, new PeerEvents());
            hosts.add(h);
            dial(h, target, DIAL_ATTEMPTS, retried).whenComplete((session, error) -> {
                if (error == null) {
                    ok.incrementAndGet();
                } else if (failed.incrementAndGet() <= 5) {
                    System.out.println("FAILED " + error);
                }
                dials.release();
            });
            if ((i + 1) % 1000 == 0) {
                System.out.printf("PROGRESS %d dialed, %d up, %d failed%n", i + 1, ok.get(), failed.get());
            }
        }
        dials.acquire(CONCURRENT_DIALS); // every dial finished
        System.out.printf("READY %d links up, %d failed, %d dials retried%n", ok.get(), failed.get(), retried.get());
        Thread.sleep(Long.MAX_VALUE); // idle until the node's JVM ends us
    }

    /** Dials, again after a failure (a loaded machine misses handshake deadlines), up to {@code attempts} times. */
    private static CompletableFuture<Session> dial(PeerHost host, PeerAddress target, int attempts, AtomicInteger retried) {
        return host.dial(target).handle((session, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(session);
            }
            if (attempts <= 1) {
                return CompletableFuture.<Session>failedFuture(error);
            }
            retried.incrementAndGet();
            return dial(host, target, attempts - 1, retried);
        }).thenCompose(f -> f);
    }

    /** The node JVM's largest classes by live bytes (the per-link costs show up here). */
    private static void printHistogram() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        System.out.println("\nlargest classes of the node JVM (live, after GC):");
        histogram.lines().limit(HISTOGRAM_LINES + 3L).forEach(System.out::println);
    }

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Direct memory outside the heap: NIO direct buffers plus Netty's own (pooled, cleaner-less) ones. */
    private static long directBytes() {
        long nio = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return nio + Math.max(0, io.netty.util.internal.PlatformDependent.usedDirectMemory());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static double mb(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}
