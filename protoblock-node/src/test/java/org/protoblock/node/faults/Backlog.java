package org.protoblock.node.faults;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.store.RocksDbChainStore;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.node.devnet.DevnetFiles;

/**
 * Blocks signed by the network's producer, written into the producer's store before it first
 * starts, so that a node joining later has a sync of known length to be killed in (the producer
 * alone makes one block a second). Each block: NAME registrations of fresh names and DATA
 * transactions by the producer's genesis name, alternately; all at the time of writing.
 */
final class Backlog {
    private static final int CHUNK = 200;

    private Backlog() {
    }

    /** Appends {@code blocks} blocks of {@code txsPerBlock} transactions to the chain in {@code storeDir}; its height. */
    static int write(Path storeDir, DevnetFiles.Devnet network, int blocks, int txsPerBlock, long seed) throws Exception {
        Devnet devnet = Devnet.of(network.network(), network.producers(), seed).at(Instant.now().getEpochSecond());
        String agent = devnet.producerName(0);
        ChainConfig config = ChainConfig.defaults(network.network());
        Chain chain = Chain.open(config, RocksDbChainStore.open(storeDir));
        try {
            ChainBlock tip = chain.store().block(chain.head().id()).orElseThrow();
            long txCount = 0;
            for (int done = 0; done < blocks; ) {
                List<ChainBlock> chunk = new ArrayList<>();
                for (int i = 0; i < CHUNK && done < blocks; i++, done++) {
                    List<ChainTransaction> txs = new ArrayList<>(txsPerBlock);
                    for (int t = 0; t < txsPerBlock; t++, txCount++) {
                        txs.add(txCount % 2 == 0 ? devnet.nameTx("backlog-" + txCount) : devnet.dataTx(agent));
                    }
                    tip = devnet.childOf(tip, 0, txs);
                    chunk.add(tip);
                }
                for (AddOutcome outcome : chain.submitBlocks(chunk).get(5, TimeUnit.MINUTES)) {
                    if (outcome.status() != BlockStatus.CONNECTED) {
                        throw new IllegalStateException("backlog block not connected: " + outcome);
                    }
                }
            }
            return chain.head().num();
        } finally {
            chain.close();
        }
    }
}
