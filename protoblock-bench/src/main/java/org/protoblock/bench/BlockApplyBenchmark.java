package org.protoblock.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.types.ChainBlock;

/**
 * Blocks (and transactions) applied per second into RocksDB through the real {@link Chain}: block
 * rules, transaction rules against the name registry and transaction index, one synced RocksDB
 * write batch per store step, mempool bookkeeping.
 *
 * <p>One invocation applies the same pre-made blocks (see {@link BenchChain}) to a fresh chain over
 * a new, empty store: {@code blocksPerInvocation = clamp(5000 / txsPerBlock, 5, 200)}, i.e. 200
 * blocks of 1 tx, 50 of 100, 5 of 1000. Opening the store and the chain, closing it and deleting the
 * directory are {@code Level.Invocation} setup/teardown, outside the timed region; each invocation
 * lasts 0.5–3 s, so JMH's per-invocation timestamp overhead is negligible.
 *
 * <p>How to read the results. Mode is throughput; the primary score counts invocations (batches) per
 * second and is not the interesting number. The {@link Applied} auxiliary counters divide the blocks
 * and transactions actually applied by the same measured time, so the {@code :blocks} and {@code :txs}
 * rows are blocks/s and transactions/s, with JMH's error over the measurement iterations. (A fixed
 * {@code @OperationsPerInvocation} cannot be used: it is a constant and the blocks per invocation depend
 * on the parameter.)
 *
 * <ul>
 *   <li>{@link #submitBlocks}: one {@link Chain#submitBlocks} call for the whole batch: signatures are
 *       verified on all cores first, then blocks are applied in order on the chain executor.</li>
 *   <li>{@link #submitBlockOneByOne}: {@link Chain#submitBlock} per block (all queued, then awaited),
 *       so every signature is verified on the chain executor thread, one core.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 6, time = 3)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class BlockApplyBenchmark {
    static final int TARGET_TXS_PER_INVOCATION = 5_000;
    static final int MIN_BLOCKS = 5;
    /** Caps the 1-tx case: each block costs two synced writes (a few ms each on a typical VM disk). */
    static final int MAX_BLOCKS = 200;

    @Param({"1", "100", "1000"})
    public int txsPerBlock;

    BenchChain fixture;
    List<ChainBlock> blocks;
    int txCount;

    @Setup(Level.Trial)
    public void makeChain() {
        int blockCount = Math.max(MIN_BLOCKS, Math.min(MAX_BLOCKS, TARGET_TXS_PER_INVOCATION / txsPerBlock));
        fixture = BenchChain.generate(blockCount, txsPerBlock);
        blocks = fixture.blocks();
        txCount = fixture.transactionCount();
        applyOnceOrFail();
    }

    /** Every block must connect: otherwise the benchmark would time rejections. */
    private void applyOnceOrFail() {
        Path dir = BenchChain.newStoreDir();
        try (Chain chain = fixture.openChain(dir)) {
            fixture.checkAllConnected(chain.submitBlocks(blocks).join(), chain);
        } finally {
            BenchChain.deleteRecursively(dir);
        }
    }

    /** A new chain over an empty store for every invocation. */
    @State(Scope.Thread)
    public static class FreshChain {
        Path dir;
        Chain chain;
        List<AddOutcome> outcomes;

        @Setup(Level.Invocation)
        public void open(BlockApplyBenchmark bench) {
            dir = BenchChain.newStoreDir();
            chain = bench.fixture.openChain(dir);
        }

        @TearDown(Level.Invocation)
        public void close(BlockApplyBenchmark bench) {
            try {
                bench.fixture.checkAllConnected(outcomes, chain);
            } finally {
                chain.close();
                BenchChain.deleteRecursively(dir);
            }
        }
    }

    /**
     * Blocks and transactions applied. {@code Type.OPERATIONS} makes JMH divide them by the measured
     * time exactly like the primary score (which excludes the per-invocation setup and teardown).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Applied {
        public long blocks;
        public long txs;

        @Setup(Level.Iteration)
        public void reset() {
            blocks = 0;
            txs = 0;
        }
    }

    @Benchmark
    public List<AddOutcome> submitBlocks(FreshChain fresh, Applied applied) {
        fresh.outcomes = fresh.chain.submitBlocks(blocks).join();
        applied.blocks += blocks.size();
        applied.txs += txCount;
        return fresh.outcomes;
    }

    @Benchmark
    public List<AddOutcome> submitBlockOneByOne(FreshChain fresh, Applied applied) {
        List<CompletableFuture<AddOutcome>> pending = blocks.stream().map(fresh.chain::submitBlock).toList();
        fresh.outcomes = pending.stream().map(CompletableFuture::join).toList();
        applied.blocks += blocks.size();
        applied.txs += txCount;
        return fresh.outcomes;
    }
}
