package org.protoblock.bench;

import com.google.protobuf.ByteString;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.chain.StaticChainInfo;
import org.protoblock.p2p.host.P2pConfig;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.PeerListener;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.InProcessTransport;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.TcpTransport;
import org.protoblock.p2p.transport.Transport;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Txs;

/**
 * Plain-main benchmark of the secure link stack (both ends in this JVM, so every number pays for
 * both sides): handshakes per second, heap per idle link, request round trips per second, over
 * loopback TCP, the in-process transport, or both one after the other (the default). Run:
 * {@code java -cp protoblock-bench/target/benchmarks.jar org.protoblock.bench.P2pLinkBenchmark [tcp|local|both] [links]}.
 */
public final class P2pLinkBenchmark {
    private static final StaticChainInfo CHAIN = new StaticChainInfo("bench", BlockId.fromHex("ab".repeat(32)), new ChainHead(BlockId.fromHex("cd".repeat(32)), 1));

    private P2pLinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "both";
        int links = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        if (!which.equals("tcp") && !which.equals("local") && !which.equals("both")) {
            throw new IllegalArgumentException("usage: P2pLinkBenchmark [tcp|local|both] [links]");
        }
        if (!which.equals("local")) {
            run(true, links);
        }
        if (!which.equals("tcp")) {
            run(false, links);
        }
    }

    private static void run(boolean tcp, int links) throws Exception {
        System.out.printf("transport=%s links=%d cores=%d%n", tcp ? "tcp" : "local", links,
                Runtime.getRuntime().availableProcessors());
        try (Transport serverT = tcp ? TcpTransport.create(1) : new InProcessTransport(1);
             Transport clientT = tcp ? TcpTransport.create(1) : new InProcessTransport(1)) {
            PeerAddress listen = tcp ? PeerAddress.tcp("127.0.0.1", 0) : PeerAddress.local("bench-server");
            P2pConfig config = P2pConfig.builder().maxSessions(links + 10).maxPendingHandshakes(links + 10)
                    .maxPendingHandshakesPerHost(links + 10)
                    .handshakeTimeout(Duration.ofSeconds(120)).build();
            try (PeerHost server = new PeerHost(NodeKey.generate(), CHAIN, serverT, config, echo())) {
                PeerAddress address = server.listen(listen).get(10, TimeUnit.SECONDS);
                handshakes(clientT, address, config, 100, "warm-up");
                handshakesConcurrent(clientT, address, config, 8, links / 5);
                idleHeap(clientT, address, config, links, server);
                roundTrips(clientT, address, config);
            }
        }
    }

    private static void handshakes(Transport t, PeerAddress a, P2pConfig c, int n, String label) throws Exception {
        List<PeerHost> hosts = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            PeerHost h = new PeerHost(NodeKey.generate(), CHAIN, t, c, new PeerEvents());
            hosts.add(h);
            h.dial(a).get(30, TimeUnit.SECONDS);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d sequential handshakes, %.0f handshakes/s (%.2f ms each)%n", label, n, n / secs, secs * 1000 / n);
        hosts.forEach(PeerHost::close);
    }

    private static void handshakesConcurrent(Transport t, PeerAddress a, P2pConfig c, int concurrency, int n) throws Exception {
        List<PeerHost> hosts = new ArrayList<>();
        Semaphore window = new Semaphore(concurrency);
        List<CompletableFuture<Session>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            PeerHost h = new PeerHost(NodeKey.generate(), CHAIN, t, c, new PeerEvents());
            hosts.add(h);
            CompletableFuture<Session> f = h.dial(a);
            f.whenComplete((s, e) -> window.release());
            all.add(f);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("handshakes, %d in parallel: %.0f handshakes/s over %d links%n", concurrency, n / secs, n);
        hosts.forEach(PeerHost::close);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void idleHeap(Transport t, PeerAddress a, P2pConfig c, int n, PeerHost server) throws Exception {
        long before = usedHeap();
        List<PeerHost> hosts = new ArrayList<>();
        List<CompletableFuture<Session>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PeerHost h = new PeerHost(NodeKey.generate(), CHAIN, t, c, new PeerEvents());
            hosts.add(h);
            all.add(h.dial(a));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        long after = usedHeap();
        System.out.printf("idle links: %d open on the server; heap %.1f KiB per link (both ends, incl. client PeerHost)%n",
                server.sessionCount(), (after - before) / 1024.0 / n);
        hosts.forEach(PeerHost::close);
    }

    private static void roundTrips(Transport t, PeerAddress a, P2pConfig c) throws Exception {
        try (PeerHost client = new PeerHost(NodeKey.generate(), CHAIN, t, c, new PeerEvents())) {
            Session s = client.dial(a).get(10, TimeUnit.SECONDS);
            Envelope small = Envelope.newBuilder().setTxs(Txs.newBuilder().addTxs(ByteString.copyFrom(new byte[100]))).build();
            for (int i = 0; i < 20_000; i++) {
                s.request(small).get(10, TimeUnit.SECONDS); // warm-up
            }
            int n = 20_000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                s.request(small).get(10, TimeUnit.SECONDS);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("round trips, one at a time: %.0f/s (%.0f us each)%n", n / secs, secs * 1e6 / n);
            for (int window : new int[] {32}) {
                Semaphore inFlight = new Semaphore(window);
                AtomicLong done = new AtomicLong();
                long t0 = System.nanoTime();
                long end = t0 + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < end) {
                    inFlight.acquire();
                    s.request(small).whenComplete((r, e) -> {
                        done.incrementAndGet();
                        inFlight.release();
                    });
                }
                inFlight.acquire(window);
                System.out.printf("round trips, %d in flight: %.0f/s%n", window, done.get() / ((System.nanoTime() - t0) / 1e9));
            }
        }
    }

    private static PeerEvents echo() {
        PeerEvents events = new PeerEvents();
        events.register(new PeerListener() {
            @Override
            public void message(Session session, Envelope envelope) {
                session.respond(envelope, Envelope.newBuilder().setTxs(envelope.getTxs()).build());
            }
        }, EnumSet.of(Envelope.BodyCase.TXS));
        return events;
    }
}
