package org.protoblock.node.faults;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.network.DevnetGenesis;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;
import org.protoblock.node.rpc.RpcClient;
import org.protoblock.node.wallet.NonceSource;
import org.protoblock.node.wallet.TxFactory;

/**
 * A client's transaction load through the nodes' JSON-RPC {@code sendrawtransaction}, at a steady
 * rate, to the running nodes in turn: half NAME registrations of fresh names, half version-4 DATA
 * transactions by the producer's genesis name (valid on every node at any height, so a node that
 * is still syncing takes them too). Remembers every transaction whose submission returned its id.
 *
 * <p>Threads: one scheduler thread makes and sends (blocking calls, bounded by the RPC timeout);
 * counters and the accepted map are concurrent. Bounds: at most {@code maxTracked} accepted ids,
 * then the load stops.
 */
public final class TxLoad implements AutoCloseable {
    /** A transaction a node answered with its id. */
    public record Accepted(TxId id, String node, long atMillis) {
    }

    private final List<NodeProcess> targets;
    private final double ratePerSecond;
    private final int maxTracked;
    private final KeyPair agentKey;
    private final String agentName = DevnetGenesis.agentName(0);
    private final TxFactory factory = new TxFactory(NonceSource.system());
    private final Random random;
    private final long startMillis = System.currentTimeMillis();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tx-load");
        t.setDaemon(true);
        return t;
    });
    private final Map<TxId, Accepted> accepted = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final LongAdder submitted = new LongAdder();
    private final LongAdder unreachable = new LongAdder();
    private final LongAdder idMismatches = new LongAdder();
    private long ticks; // scheduler thread

    /** {@code agentKey}: producer 1's key, which owns the genesis name {@code FantasyAgent}. */
    public TxLoad(List<NodeProcess> targets, double ratePerSecond, KeyPair agentKey, int maxTracked, long seed) {
        if (targets.isEmpty() || ratePerSecond <= 0) {
            throw new IllegalArgumentException("need nodes and a rate > 0");
        }
        this.targets = List.copyOf(targets);
        this.ratePerSecond = ratePerSecond;
        this.agentKey = agentKey;
        this.maxTracked = maxTracked;
        this.random = new Random(seed);
    }

    public TxLoad start() {
        scheduler.scheduleAtFixedRate(this::tick, 0, Math.max(1, (long) (1e9 / ratePerSecond)), TimeUnit.NANOSECONDS);
        return this;
    }

    /** Stops making transactions; waits (bounded) for the one being sent. */
    @Override
    public void close() throws InterruptedException {
        scheduler.shutdown();
        if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("tx load did not stop within 30 s");
        }
    }

    private void tick() {
        if (accepted.size() >= maxTracked) {
            scheduler.shutdown();
            return;
        }
        Optional<NodeProcess> target = nextRunning();
        if (target.isEmpty()) {
            unreachable.increment();
            return;
        }
        ChainTransaction tx = random.nextBoolean()
                ? factory.nameRegistration("kill-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36), KeyPair.generate())
                : factory.data(agentName, agentKey);
        submitted.increment();
        try {
            String id = target.get().client().call("sendrawtransaction", HexFormat.of().formatHex(tx.proto().toByteArray()))
                    .asText();
            if (!id.equals(tx.id().toHex())) {
                idMismatches.increment();
            }
            accepted.put(tx.id(), new Accepted(tx.id(), target.get().name(), System.currentTimeMillis() - startMillis));
        } catch (RpcClient.RpcCallException e) {
            rejected.computeIfAbsent(e.code() + " " + e.getMessage(), k -> new LongAdder()).increment();
        } catch (IOException | IllegalStateException e) {
            unreachable.increment(); // killed meanwhile: no id returned, so nothing promised
        }
    }

    private Optional<NodeProcess> nextRunning() {
        for (int i = 0; i < targets.size(); i++) {
            NodeProcess node = targets.get((int) (ticks++ % targets.size()));
            if (node.alive() && node.rpcUri().isPresent()) {
                return Optional.of(node);
            }
        }
        return Optional.empty();
    }

    public Map<TxId, Accepted> accepted() {
        return Map.copyOf(accepted);
    }

    public long submitted() {
        return submitted.sum();
    }

    public long unreachable() {
        return unreachable.sum();
    }

    public long idMismatches() {
        return idMismatches.sum();
    }

    public Map<String, Long> rejected() {
        Map<String, Long> out = new TreeMap<>();
        rejected.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
