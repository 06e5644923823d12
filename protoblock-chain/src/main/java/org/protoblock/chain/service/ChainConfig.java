package org.protoblock.chain.service;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.network.NetworkParams;

/**
 * How a {@link Chain} runs.
 *
 * @param producerKey       when present and one of the network's producer keys, this node makes blocks
 * @param producerInterval  a block is made this often when the mempool holds transactions
 * @param produceEmptyBlocks whether to make a block at each interval even with an empty mempool
 * @param produceAtTxCount  a block is made at once when the mempool reaches this many transactions
 * @param maxQueuedTasks    bound of the chain executor's queue: submissions beyond it are refused;
 *                          transactions may hold at most half of it (the rest stays free for blocks),
 *                          and as many may wait for their signature check before it
 */
public record ChainConfig(NetworkParams network, Optional<KeyPair> producerKey, Duration producerInterval,
                          boolean produceEmptyBlocks, int produceAtTxCount, int mempoolMaxCount,
                          long mempoolMaxBytes, int maxOrphans, long maxOrphanBytes, int maxQueuedTasks,
                          Clock clock) {
    public ChainConfig {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(producerKey, "producerKey");
        Objects.requireNonNull(producerInterval, "producerInterval");
        Objects.requireNonNull(clock, "clock");
    }

    /** Defaults for a node of {@code network}: no producer. */
    public static ChainConfig defaults(NetworkParams network) {
        return new ChainConfig(network, Optional.empty(), Duration.ofSeconds(1), false, 2_000,
                50_000, 64L << 20, 1_024, 64L << 20, 10_000, Clock.systemUTC());
    }

    public ChainConfig withProducer(KeyPair key, Duration interval) {
        return new ChainConfig(network, Optional.of(key), interval, produceEmptyBlocks, produceAtTxCount,
                mempoolMaxCount, mempoolMaxBytes, maxOrphans, maxOrphanBytes, maxQueuedTasks, clock);
    }

    public ChainConfig withProduceEmptyBlocks(boolean produceEmpty) {
        return new ChainConfig(network, producerKey, producerInterval, produceEmpty, produceAtTxCount,
                mempoolMaxCount, mempoolMaxBytes, maxOrphans, maxOrphanBytes, maxQueuedTasks, clock);
    }

    public ChainConfig withMempoolLimits(int maxCount, long maxBytes) {
        return new ChainConfig(network, producerKey, producerInterval, produceEmptyBlocks, produceAtTxCount,
                maxCount, maxBytes, maxOrphans, maxOrphanBytes, maxQueuedTasks, clock);
    }

    public ChainConfig withMaxQueuedTasks(int maxQueued) {
        return new ChainConfig(network, producerKey, producerInterval, produceEmptyBlocks, produceAtTxCount,
                mempoolMaxCount, mempoolMaxBytes, maxOrphans, maxOrphanBytes, maxQueued, clock);
    }

    public ChainConfig withClock(Clock newClock) {
        return new ChainConfig(network, producerKey, producerInterval, produceEmptyBlocks, produceAtTxCount,
                mempoolMaxCount, mempoolMaxBytes, maxOrphans, maxOrphanBytes, maxQueuedTasks, newClock);
    }
}
