package org.protoblock.node.status;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;

/**
 * Running totals of chain events (blocks connected, transactions included, accepted into the
 * mempool, reorgs) for metrics and the devnet view. Called on the chain executor: only adds.
 */
public final class ChainStats implements ChainListener {
    public final LongAdder blocksConnected = new LongAdder();
    public final LongAdder blocksDisconnected = new LongAdder();
    public final LongAdder txsIncluded = new LongAdder();
    public final LongAdder txsAccepted = new LongAdder();
    public final LongAdder txsExpired = new LongAdder();
    public final LongAdder reorgs = new LongAdder();

    @Override
    public void onHeadChanged(AddOutcome outcome) {
        for (ChainBlock b : outcome.connected()) {
            blocksConnected.increment();
            txsIncluded.add(b.transactions().size());
        }
        for (ChainBlock b : outcome.disconnected()) {
            blocksDisconnected.increment();
            txsIncluded.add(-b.transactions().size());
        }
        if (outcome.isReorg()) {
            reorgs.increment();
        }
    }

    @Override
    public void onTransactionAccepted(ChainTransaction tx) {
        txsAccepted.increment();
    }

    @Override
    public void onTransactionsRemoved(List<ChainTransaction> txs, RemovalReason reason) {
        if (reason == RemovalReason.EXPIRED) {
            txsExpired.add(txs.size());
        }
    }
}
