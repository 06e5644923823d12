package org.protoblock.node.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.protoblock.chain.types.TxId;

/**
 * The kill loop: a private network of node programs (node 0 producing, node 1 following, node 2
 * joining late and syncing a pre-written backlog), under transaction load through JSON-RPC, with
 * node processes killed by SIGKILL at random moments and restarted on the same data dir:
 * alternately node 2 in the middle of its sync (at a random height between where it started and
 * the producer's head) and node 0 while it produces (after a random 0.5–4 s of production).
 * After each kill the killed node's store is opened and checked ({@code StoreConsistency}) before
 * the node restarts.
 *
 * <p>Checked at the end, after the load stops and every node is up again: the heads agree, every
 * transaction whose {@code sendrawtransaction} returned its id is on every node's main chain, and
 * every store (opened after SIGTERM) is consistent. The guarantee behind the inclusion check: a
 * node answers {@code sendrawtransaction} with the id only after writing the transaction to its
 * store's mempool column (RocksDB WAL, in the OS page cache, synced within a second), restores
 * that mempool on restart, and peers ask each other for their mempools after each handshake; so
 * an accepted transaction survives a SIGKILL of the process (not a power cut in the next second)
 * even if the node never relayed it before dying.
 *
 * <p>Threads: the caller's (the harness thread) plus {@link TxLoad}'s.
 */
public final class KillLoop {
    private static final Set<String> OPTIONS = Set.of("kills", "tx-rate", "backlog-blocks", "backlog-txs", "seed",
            "out", "node-jar", "node-jvm-opts");
    private static final int PRODUCER = 0;
    private static final int SYNCER = 2;
    private static final Duration SETTLE = Duration.ofSeconds(180);

    /**
     * @param kills          SIGKILLs in all (odd ones node 2 during sync, even ones node 0 during production)
     * @param txRate         transactions per second submitted through the nodes' RPC
     * @param backlogBlocks  blocks written into the producer's store before the start (what node 2 syncs)
     * @param backlogTxs     transactions per backlog block
     */
    public record Config(int kills, double txRate, int backlogBlocks, int backlogTxs, long seed) {
    }

    /** One kill: which node, its height at the kill, the producer's height then, and the killed store's audit. */
    public record Kill(int number, String node, boolean midSync, int heightAtKill, int producerHeight, int storedHeight,
                       List<String> violations) {
    }

    /** The whole run. {@code failures} empty: it passed. */
    public record Result(List<Kill> kills, long submitted, int accepted, long unreachable, Map<String, Long> rejected,
                         int finalHeight, Duration elapsed, List<String> failures) {
        public long midSyncKills() {
            return kills.stream().filter(Kill::midSync).count();
        }

        public String summary() {
            long producer = kills.stream().filter(k -> k.node().equals("node-" + PRODUCER)).count();
            return String.format("kill loop: %d SIGKILLs (%d of the producer while producing, %d of node-%d of which %d mid-sync),"
                            + " every store checked after each kill; transactions: %d submitted, %d returned an id (accepted),"
                            + " %d not answered (node down or killed meanwhile), rejected %s; final height %d; %d s%n%s",
                    kills.size(), producer, kills.size() - producer, SYNCER, midSyncKills(), submitted, accepted, unreachable,
                    rejected, finalHeight, elapsed.toSeconds(),
                    failures.isEmpty() ? "PASSED: stores consistent after every kill and at the end, heads agree, every"
                            + " accepted transaction is on every node's chain"
                            : "FAILED:\n  " + String.join("\n  ", failures));
        }
    }

    private final Path dir;
    private final NodeLauncher launcher;
    private final Config config;
    private final Random random;
    private final List<Kill> kills = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    public KillLoop(Path dir, NodeLauncher launcher, Config config) {
        this.dir = dir;
        this.launcher = launcher;
        this.config = config;
        this.random = new Random(config.seed());
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, OPTIONS);
        Config config = new Config(args.integer("kills", 100), args.decimal("tx-rate", 20), args.integer("backlog-blocks", 8_000),
                args.integer("backlog-txs", 10), args.longValue("seed", 1));
        NodeLauncher launcher = NodeLauncher.jar(Path.of(args.string("node-jar", "protoblock-node/target/protoblock-node.jar")),
                args.string("node-jvm-opts", "-Xmx256m"));
        Path out = Path.of(args.string("out", "kill-loop"));
        Result result = new KillLoop(out, launcher, config).run();
        StringBuilder kills = new StringBuilder("kill,node,mid_sync,height_at_kill,producer_height,stored_height,violations\n");
        result.kills().forEach(k -> kills.append(String.format("%d,%s,%s,%d,%d,%d,%d%n", k.number(), k.node(), k.midSync(),
                k.heightAtKill(), k.producerHeight(), k.storedHeight(), k.violations().size())));
        Files.writeString(out.resolve("kills.csv"), kills);
        Files.writeString(out.resolve("summary.txt"), result.summary() + "\n");
        System.out.println(result.summary());
        System.exit(result.failures().isEmpty() ? 0 : 1);
    }

    public Result run() throws Exception {
        long start = System.nanoTime();
        TestNet net = TestNet.create(dir, launcher, 3);
        int backlog = Backlog.write(net.storeDir(PRODUCER), net.devnet(), config.backlogBlocks(), config.backlogTxs(), config.seed());
        say("backlog of %d blocks written into node-0's store (%d s)", backlog, seconds(start));
        TxLoad load = null;
        int finalHeight = -1;
        try {
            net.node(PRODUCER).start(TestNet.START_TIMEOUT);
            net.node(1).start(TestNet.START_TIMEOUT);
            if (TestNet.awaitSameHead(net.nodes().subList(0, 2), Duration.ofMinutes(5)).isEmpty()) {
                throw new IllegalStateException("node-1 did not sync the backlog: " + net.describeHeads());
            }
            say("node-1 synced the backlog (%d s); load at %.0f tx/s, %d kills", seconds(start), config.txRate(), config.kills());
            load = new TxLoad(net.nodes(), config.txRate(), net.producerKey(), 5_000_000, config.seed()).start();
            // Sync kills stop node 2 after a random 1..maxStep blocks: on average half the backlog is
            // used up by the last one, so (almost) every one of them lands mid-sync.
            int maxStep = Math.max(2, backlog / Math.max(1, (config.kills() + 1) / 2));
            for (int k = 1; k <= config.kills(); k++) {
                Kill kill = k % 2 == 1 ? killSyncer(net, k, maxStep) : killProducer(net, k);
                kills.add(kill);
                if (!kill.violations().isEmpty()) {
                    failures.add("kill " + k + " of " + kill.node() + ": store inconsistent: " + kill.violations());
                }
                say("kill %3d: %s at %d (producer %d)%s; store at %d, %s; load %d accepted", k, kill.node(), kill.heightAtKill(),
                        kill.producerHeight(), kill.midSync() ? " mid-sync" : "", kill.storedHeight(),
                        kill.violations().isEmpty() ? "consistent" : "INCONSISTENT", load.accepted().size());
            }
            load.close();
            finalHeight = settle(net, load);
        } catch (Exception | AssertionError e) {
            failures.add("stopped by " + e);
            e.printStackTrace();
        } finally {
            if (load != null) {
                load.close();
            }
            net.close();
        }
        Map<TxId, TxLoad.Accepted> accepted = load == null ? Map.of() : load.accepted();
        audit(net, accepted);
        return new Result(List.copyOf(kills), load == null ? 0 : load.submitted(), accepted.size(),
                load == null ? 0 : load.unreachable(), load == null ? Map.of() : load.rejected(), finalHeight,
                Duration.ofNanos(System.nanoTime() - start), List.copyOf(failures));
    }

    /** Starts node 2 and kills it once its height passes a random target below the producer's head. */
    private Kill killSyncer(TestNet net, int number, int maxStep) throws Exception {
        NodeProcess syncer = net.node(SYNCER);
        syncer.start(TestNet.START_TIMEOUT);
        int from = syncer.height().orElse(0);
        int producerHeight = net.node(PRODUCER).height().orElse(-1);
        int target = from + 1 + random.nextInt(maxStep);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int height = from;
        while (System.nanoTime() < deadline) {
            height = syncer.height().orElse(height);
            producerHeight = net.node(PRODUCER).height().orElse(producerHeight);
            if (height >= target || height >= producerHeight) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        syncer.kill();
        return audited(net, number, SYNCER, height < producerHeight, height, producerHeight);
    }

    /** Kills node 0 after a random 0.5–4 s of producing under load, checks its store, restarts it. */
    private Kill killProducer(TestNet net, int number) throws Exception {
        NodeProcess producer = net.node(PRODUCER);
        TimeUnit.MILLISECONDS.sleep(500 + random.nextInt(3_500));
        int height = producer.height().orElse(-1);
        producer.kill();
        Kill kill = audited(net, number, PRODUCER, false, height, height);
        producer.start(TestNet.START_TIMEOUT);
        return kill;
    }

    private Kill audited(TestNet net, int number, int index, boolean midSync, int height, int producerHeight) {
        StoreAudit audit = StoreAudit.of(net.storeDir(index), List.of());
        return new Kill(number, "node-" + index, midSync, height, producerHeight, audit.height(), audit.violations());
    }

    /** Node 2 back up, then until heads agree and every mempool is empty; the final height. */
    private int settle(TestNet net, TxLoad load) throws Exception {
        if (!net.node(SYNCER).alive()) {
            net.node(SYNCER).start(TestNet.START_TIMEOUT);
        }
        Optional<Integer> head = net.awaitSettled(SETTLE);
        if (head.isPresent()) {
            say("settled at height %d with empty mempools (%d accepted)", head.get(), load.accepted().size());
            return head.get();
        }
        failures.add("not settled within " + SETTLE + ": " + net.describeHeads());
        return net.node(PRODUCER).height().orElse(-1);
    }

    /** Every store (nodes stopped): consistent, same head, holding every accepted transaction. */
    private void audit(TestNet net, Map<TxId, TxLoad.Accepted> accepted) {
        List<StoreAudit> audits = new ArrayList<>();
        for (int i = 0; i < net.nodes().size(); i++) {
            StoreAudit audit = StoreAudit.of(net.storeDir(i), accepted.keySet());
            audits.add(audit);
            if (!audit.consistent()) {
                failures.add("node-" + i + " store inconsistent at the end: " + audit.violations());
            }
            if (!audit.missing().isEmpty()) {
                failures.add(String.format("node-%d: %d accepted transactions not on its chain: %s", i, audit.missing().size(),
                        audit.missing().stream().limit(10).map(accepted::get).toList()));
            }
        }
        if (audits.stream().map(StoreAudit::head).distinct().count() != 1) {
            failures.add("stored heads differ: " + audits.stream().map(StoreAudit::head).toList());
        }
    }

    private static long seconds(long startNanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    }

    private static void say(String format, Object... args) {
        Soak.say(format, args);
    }
}
