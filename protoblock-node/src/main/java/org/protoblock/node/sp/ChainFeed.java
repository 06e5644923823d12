package org.protoblock.node.sp;

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
 * (counted in {@link #dropped()}) rather than slowing the chain.
 */
public final class ChainFeed implements ChainListener, AutoCloseable {
    public static final int MAX_QUEUED = 1024;

    private final SpPublisher blocks;
    private final SpPublisher transactions;
    private final OwnedExecutor executor = new OwnedExecutor("sp-feed", MAX_QUEUED);
    private final AtomicLong dropped = new AtomicLong();

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
        if (transactions.subscriberCount() > 0) {
            run(() -> transactions.publish(tx.proto().toByteArray()));
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
