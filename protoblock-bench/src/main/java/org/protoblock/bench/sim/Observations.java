package org.protoblock.bench.sim;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.TxId;

/**
 * When each node first had each watched transaction in its mempool and each block on its main
 * chain (System.nanoTime; 0 = not yet), indexed by node. Transactions are watched when the
 * simulator submits them; every block that reaches a main chain is recorded.
 *
 * <p>Threads: thread-safe; written by the nodes' chain executors, read by the simulator.
 */
public final class Observations {
    private final int capacity;
    private final Map<TxId, AtomicLongArray> txs = new ConcurrentHashMap<>();
    private final Map<BlockId, AtomicLongArray> blocks = new ConcurrentHashMap<>();

    public Observations(int capacity) {
        this.capacity = capacity;
    }

    public void watch(TxId id) {
        txs.putIfAbsent(id, new AtomicLongArray(capacity));
    }

    void txAccepted(TxId id, int node, long nanos) {
        AtomicLongArray times = txs.get(id);
        if (times != null) {
            times.compareAndSet(node, 0, nanos);
        }
    }

    void blockConnected(BlockId id, int node, long nanos) {
        blocks.computeIfAbsent(id, k -> new AtomicLongArray(capacity)).compareAndSet(node, 0, nanos);
    }

    public Optional<AtomicLongArray> tx(TxId id) {
        return Optional.ofNullable(txs.get(id));
    }

    public Optional<AtomicLongArray> block(BlockId id) {
        return Optional.ofNullable(blocks.get(id));
    }
}
