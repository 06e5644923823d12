package org.protoblock.bench;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.p2p.P2pNode;
import org.protoblock.p2p.chain.StaticChainInfo;
import org.protoblock.p2p.host.P2pConfig;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.TcpTransport;
import org.protoblock.p2p.transport.Transport;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.GetBlocks;

/**
 * Sync throughput of a fresh node over loopback TCP, with and without a round-trip time, against
 * the machine's verify-and-store limit and against the seed design, all measured in the same run.
 * Every node (servers and the syncing one) is in this JVM on the same cores, and every chain is a
 * real {@link Chain} over RocksDB (sync=true writes) under {@code -Dbench.dir} (default: the temp dir).
 *
 * <ol>
 *   <li>local: the blocks handed to a fresh chain with {@link Chain#submitBlocks} in chunks of 128,
 *       all queued at once (signatures on all cores, then applied in order), either as parsed
 *       objects or decoded from their bytes first (as an import from a file would): the latter is
 *       the limit sync is compared to, since sync must decode what it receives;</li>
 *   <li>for each RTT (0 = loopback directly; otherwise each peer behind its own {@link DelayProxy}
 *       adding RTT/2 per direction): sync from 1 peer and from 4 peers: a fresh {@link P2pNode}
 *       dials the peers and its {@code SyncManager} does the rest (headers first, parallel bodies,
 *       pipelined apply);</li>
 *   <li>and the seed baseline over the same path: one peer, one block per round trip (GetBlocks of
 *       one id, wait, parse, {@link Chain#submitBlock}, wait, next), as the 2015 node fetched blocks
 *       one height at a time; at most {@code seedSeconds} (it is slow under latency), reported as
 *       blocks/s, next to its formula bound 1 / (RTT + local time per block).</li>
 * </ol>
 * Peers are loaded before timing (which also warms the JIT up). Each measurement is repeated for
 * a number of rounds, interleaved, and the best of each is reported (the machine is shared). Run:
 * {@code java -cp protoblock-bench/target/benchmarks.jar org.protoblock.bench.SyncBenchmark
 * [blocks] [txsPerBlock] [rounds] [rtts in ms, e.g. 0,50,200] [seedSeconds]}.
 */
public final class SyncBenchmark {
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final int PEERS = 4;

    private SyncBenchmark() {
    }

    /** Best times of one RTT's runs, in seconds for all blocks (seed: for the blocks it fetched, scaled). */
    private static final class RttResult {
        final int rttMillis;
        double one = Double.MAX_VALUE;
        double four = Double.MAX_VALUE;
        double seedRate;

        RttResult(int rttMillis) {
            this.rttMillis = rttMillis;
        }
    }

    public static void main(String[] args) throws Exception {
        int blockCount = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int txsPerBlock = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        List<Integer> rtts = args.length > 3
                ? java.util.Arrays.stream(args[3].split(",")).map(String::trim).map(Integer::parseInt).toList()
                : List.of(0, 50, 200);
        double seedSeconds = args.length > 4 ? Double.parseDouble(args[4]) : 10;
        System.out.printf("SyncBenchmark: %d blocks × %d txs, RTTs %s ms, %d cores, store under %s%n", blockCount, txsPerBlock,
                rtts, Runtime.getRuntime().availableProcessors(), System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
        long g0 = System.nanoTime();
        BenchChain fixture = BenchChain.generate(blockCount, txsPerBlock);
        List<ChainBlock> blocks = fixture.blocks();
        int txs = fixture.transactionCount();
        System.out.printf("generated in %.1f s, %.1f MB%n", secondsSince(g0),
                blocks.stream().mapToLong(ChainBlock::serializedSize).sum() / 1e6);

        List<Path> dirs = new ArrayList<>();
        List<Chain> chains = new ArrayList<>();
        List<DelayProxy> proxies = new ArrayList<>();
        try (Transport transport = TcpTransport.create(2)) {
            List<P2pNode> peers = new ArrayList<>();
            List<PeerAddress> addresses = new ArrayList<>();
            long l0 = System.nanoTime();
            List<CompletableFuture<?>> loads = new ArrayList<>();
            for (int i = 0; i < PEERS; i++) {
                Chain chain = fixture.openChain(newDir(dirs));
                chains.add(chain);
                loads.add(load(chain, blocks));
            }
            CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            for (Chain chain : chains) {
                P2pNode peer = P2pNode.create(chain, NodeKey.generate(), transport, P2pConfig.defaults());
                peers.add(peer);
                addresses.add(peer.listen(PeerAddress.tcp("127.0.0.1", 0)).get(10, TimeUnit.SECONDS));
            }
            System.out.printf("(setup, also JIT warm-up: %d peers loaded in parallel in %.1f s)%n", PEERS, secondsSince(l0));
            List<List<PeerAddress>> paths = new ArrayList<>();
            for (int rtt : rtts) {
                paths.add(rtt == 0 ? addresses : behindProxies(addresses, Duration.ofMillis(rtt), proxies));
            }

            List<byte[]> encoded = blocks.stream().map(b -> b.proto().toByteArray()).toList();
            double localObjects = Double.MAX_VALUE;
            double localBytes = Double.MAX_VALUE;
            List<RttResult> results = rtts.stream().map(RttResult::new).toList();
            for (int round = 1; round <= rounds; round++) {
                localObjects = Math.min(localObjects, printed("local, parsed blocks", round, blockCount, local(fixture, dirs, blocks)));
                localBytes = Math.min(localBytes, printed("local, from bytes", round, blockCount, localFromBytes(fixture, dirs, encoded, blocks)));
                for (int i = 0; i < rtts.size(); i++) {
                    RttResult r = results.get(i);
                    List<PeerAddress> via = paths.get(i);
                    String at = " @" + r.rttMillis + "ms";
                    r.one = Math.min(r.one, printed("sync, 1 peer" + at, round, blockCount, sync(fixture, dirs, transport, via.subList(0, 1), blocks)));
                    r.four = Math.min(r.four, printed("sync, 4 peers" + at, round, blockCount, sync(fixture, dirs, transport, via, blocks)));
                    double[] seed = seedBaseline(fixture, dirs, transport, via.get(0), blocks, seedSeconds);
                    printed("seed baseline" + at, round, (int) seed[0], seed[1]);
                    r.seedRate = Math.max(r.seedRate, seed[0] / seed[1]);
                }
            }
            System.out.printf("%nbest of %d rounds; ratio = throughput / local from bytes (and / local parsed)%n", rounds);
            report("local submitBlocks, parsed blocks", blockCount, txs, localObjects, localBytes, localObjects);
            report("local parse + submitBlocks (limit)", blockCount, txs, localBytes, localBytes, localObjects);
            double perBlock = localBytes / blockCount;
            for (RttResult r : results) {
                String at = " @" + r.rttMillis + " ms RTT";
                report("sync from 1 peer" + at, blockCount, txs, r.one, localBytes, localObjects);
                report("sync from 4 peers" + at, blockCount, txs, r.four, localBytes, localObjects);
                double seedSecs = blockCount / r.seedRate;
                report("seed baseline" + at, blockCount, txs, seedSecs, localBytes, localObjects);
                double bound = 1 / (r.rttMillis / 1000.0 + perBlock);
                System.out.printf("    seed formula bound 1/(RTT + %.2f ms local per block) = %.0f blocks/s;"
                        + " sync / seed baseline: 1 peer %.1f×, 4 peers %.1f×; / local limit: %.2f, %.2f%n",
                        perBlock * 1000, bound, seedSecs / r.one, seedSecs / r.four, localBytes / r.one, localBytes / r.four);
            }
            peers.forEach(P2pNode::close);
        } finally {
            proxies.forEach(DelayProxy::close);
            chains.forEach(Chain::close);
            dirs.forEach(BenchChain::deleteRecursively);
        }
        System.exit(0);
    }

    /** Each peer behind a proxy of its own that adds {@code rtt}. */
    private static List<PeerAddress> behindProxies(List<PeerAddress> peers, Duration rtt, List<DelayProxy> proxies)
            throws InterruptedException {
        List<PeerAddress> out = new ArrayList<>();
        for (PeerAddress peer : peers) {
            DelayProxy proxy = DelayProxy.start(new java.net.InetSocketAddress(peer.host(), peer.port()), rtt, 0);
            proxies.add(proxy);
            out.add(PeerAddress.tcp("127.0.0.1", proxy.address().getPort()));
        }
        return out;
    }

    private static double local(BenchChain fixture, List<Path> dirs, List<ChainBlock> blocks) throws Exception {
        try (Chain chain = fixture.openChain(newDir(dirs))) {
            long t0 = System.nanoTime();
            load(chain, blocks).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            double secs = secondsSince(t0);
            check(chain, blocks);
            return secs;
        }
    }

    /** Like importing from a file: each chunk of 128 is decoded (bounded codec) on this thread, then queued. */
    private static double localFromBytes(BenchChain fixture, List<Path> dirs, List<byte[]> encoded, List<ChainBlock> blocks)
            throws Exception {
        try (Chain chain = fixture.openChain(newDir(dirs))) {
            ChainCodec codec = new ChainCodec(chain.config().network().limits());
            long t0 = System.nanoTime();
            List<CompletableFuture<List<AddOutcome>>> parts = new ArrayList<>();
            for (int from = 0; from < encoded.size(); from += 128) {
                List<ChainBlock> chunk = new ArrayList<>();
                for (byte[] bytes : encoded.subList(from, Math.min(encoded.size(), from + 128))) {
                    chunk.add(codec.parseBlock(bytes));
                }
                parts.add(chain.submitBlocks(chunk));
            }
            CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            double secs = secondsSince(t0);
            check(chain, blocks);
            return secs;
        }
    }

    /** Queues every chunk at once (the chain pipelines them); completes when all are applied. */
    private static CompletableFuture<Void> load(Chain chain, List<ChainBlock> blocks) {
        List<CompletableFuture<List<AddOutcome>>> parts = new ArrayList<>();
        for (int from = 0; from < blocks.size(); from += 128) {
            parts.add(chain.submitBlocks(blocks.subList(from, Math.min(blocks.size(), from + 128))));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenRun(() -> parts.forEach(p -> {
            if (!p.join().stream().allMatch(o -> o.status() == BlockStatus.CONNECTED)) {
                throw new IllegalStateException("a block did not connect");
            }
        }));
    }

    private static double sync(BenchChain fixture, List<Path> dirs, Transport transport, List<PeerAddress> peers,
                               List<ChainBlock> blocks) throws Exception {
        try (Chain chain = fixture.openChain(newDir(dirs));
             P2pNode node = P2pNode.create(chain, NodeKey.generate(), transport, P2pConfig.defaults())) {
            ChainBlock last = blocks.get(blocks.size() - 1);
            CompletableFuture<Void> synced = new CompletableFuture<>();
            java.util.concurrent.atomic.AtomicLong firstAt = new java.util.concurrent.atomic.AtomicLong();
            chain.addListener(new ChainListener() {
                @Override
                public void onHeadChanged(AddOutcome outcome) {
                    firstAt.compareAndSet(0, System.nanoTime());
                    if (outcome.newHead().id().equals(last.id())) {
                        synced.complete(null);
                    }
                }
            });
            long t0 = System.nanoTime();
            // all at once, as a node's dialer would: under latency each dial takes a few round trips
            List<CompletableFuture<?>> dials = peers.stream().<CompletableFuture<?>>map(node::dial).toList();
            CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            try {
                synced.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("sync did not finish: " + node.sync().progress());
            }
            double secs = secondsSince(t0);
            check(chain, blocks);
            double setup = (firstAt.get() - t0) / 1e9;
            System.out.printf("    (%d peers: first block applied after %.0f ms (dials, handshakes, first headers and bodies), then %.0f blocks/s;"
                    + " %d bodies received, %d duplicate, %d requests timed out, %d block announcements sent by gossip)%n",
                    peers.size(), setup * 1000, (blocks.size() - 1) / (secs - setup),
                    node.metrics().blocksReceived.sum(), node.metrics().blocksDuplicate.sum(),
                    node.metrics().syncRequestsTimedOut.sum(), node.metrics().announcementsSent.sum());
            return secs;
        }
    }

    /** One block per round trip for up to {@code maxSeconds}: {blocks fetched, seconds}. */
    private static double[] seedBaseline(BenchChain fixture, List<Path> dirs, Transport transport, PeerAddress peer,
                                         List<ChainBlock> blocks, double maxSeconds) throws Exception {
        try (Chain chain = fixture.openChain(newDir(dirs));
             PeerHost client = new PeerHost(NodeKey.generate(), StaticChainInfo.atGenesis(chain.config().network().networkId(),
                     chain.genesisId()), transport,
                     P2pConfig.defaults(), new PeerEvents())) {
            ChainCodec codec = new ChainCodec(chain.config().network().limits());
            Session session = client.dial(peer).get(10, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            int fetched = 0;
            for (ChainBlock wanted : blocks) {
                Envelope request = Envelope.newBuilder()
                        .setGetBlocks(GetBlocks.newBuilder().addBlockIds(ByteString.copyFrom(wanted.id().toBytes()))).build();
                Envelope response = session.request(request).get(30, TimeUnit.SECONDS);
                ChainBlock block = codec.parseBlock(response.getBlocks().getBlocks(0).toByteArray());
                AddOutcome outcome = chain.submitBlock(block).get(30, TimeUnit.SECONDS);
                if (outcome.status() != BlockStatus.CONNECTED || !block.id().equals(wanted.id())) {
                    throw new IllegalStateException("seed baseline: " + outcome.status());
                }
                fetched++;
                if (secondsSince(t0) >= maxSeconds) {
                    break;
                }
            }
            double secs = secondsSince(t0);
            if (!chain.head().id().equals(blocks.get(fetched - 1).id())) {
                throw new IllegalStateException("seed baseline: head " + chain.head());
            }
            return new double[] {fetched, secs};
        }
    }

    private static void check(Chain chain, List<ChainBlock> blocks) {
        if (!chain.head().id().equals(blocks.get(blocks.size() - 1).id())) {
            throw new IllegalStateException("head " + chain.head());
        }
    }

    private static double printed(String label, int round, int blockCount, double secs) {
        System.out.printf("  round %d: %-28s %5d blocks %7.2f s  %6.0f blocks/s%n", round, label, blockCount, secs, blockCount / secs);
        return secs;
    }

    private static void report(String label, int blockCount, int txs, double secs, double limitSecs, double objectsSecs) {
        System.out.printf("%-46s %7.2f s  %6.0f blocks/s  %7.0f txs/s  ratio %.2f (%.2f)%n", label, secs,
                blockCount / secs, txs / secs, limitSecs / secs, objectsSecs / secs);
    }

    private static Path newDir(List<Path> dirs) {
        Path dir = BenchChain.newStoreDir();
        dirs.add(dir);
        return dir;
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
