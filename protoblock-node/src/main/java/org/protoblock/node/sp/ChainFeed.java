package org.protoblock.node.sp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;

/**
 * Chain events to the PUB topics: each block the main chain gains (after a reorg, the new
 * branch's blocks, oldest first) as its serialized {@code Block}, each transaction entering the
 * mempool as its serialized {@code SignedTransaction}.
 *
 * <p>Threads: the chain calls on its executor; serializing and fan-out run on "sp-feed", whose
 * queue is bounded ({@value #MAX_QUEUED}): when full, the event is dropped for every subscriber
 * (counted in {@link #dropped()}) rather than slowing the chain. Transactions queue apart (at most
 * {@value #MAX_PENDING_TXS}) and go out in batches of up to {@value #BATCH}: a burst costs one
 * fan-out per batch, not per transaction.
 */
public final class ChainFeed implements ChainListener, AutoCloseable {
    public static final int MAX_QUEUED = 1024;
    /** Transactions waiting to be published; more are dropped for every subscriber. */
    public static final int MAX_PENDING_TXS = 8192;
    /** Transactions per fan-out. */
    public static final int BATCH = 256;

    private final SpPublisher blocks;
    private final SpPublisher transactions;
    private final OwnedExecutor executor = new OwnedExecutor("sp-feed", MAX_QUEUED);
    private final AtomicLong dropped = new AtomicLong();
    private final BlockingQueue<ChainTransaction> pendingTxs = new ArrayBlockingQueue<>(MAX_PENDING_TXS);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    public ChainFeed(SpPublisher blocks, SpPublisher transactions) {
        this.blocks = blocks;
        this.transactions = transactions;
    }

    @Override
    public void onHeadChanged(AddOutcome outcome) {
        if (blocks.subscriberCount() == 0) {
            return;
        }
        for (ChainBlock block : outcome.connected()) {
            run(() -> blocks.publish(block.proto().toByteArray()));
        }
    }

    @Override
    public void onTransactionAccepted(ChainTransaction tx) {
        if (transactions.subscriberCount() == 0) {
            return;
        }
        if (!pendingTxs.offer(tx)) {
            dropped.incrementAndGet();
            return;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            run(this::drainTransactions);
        }
    }

    /** On "sp-feed": publishes what queued up since the last drain, in batches. */
    private void drainTransactions() {
        drainScheduled.set(false); // a transaction queued from now on schedules another drain
        List<ChainTransaction> batch = new ArrayList<>(BATCH);
        while (pendingTxs.drainTo(batch, BATCH) > 0) {
            transactions.publish(batch.stream().map(tx -> tx.proto().toByteArray()).toList());
            batch.clear();
        }
    }

    private void run(Runnable task) {
        if (!executor.execute(task)) {
            dropped.incrementAndGet();
        }
    }

    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        executor.close();
    }
}
