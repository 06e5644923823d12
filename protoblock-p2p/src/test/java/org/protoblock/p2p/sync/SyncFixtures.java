package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;

/** Pre-built chains for sync tests, and loading them into a node's chain (the peers' setup). */
final class SyncFixtures {
    private SyncFixtures() {
    }

    /** {@code count} blocks after {@code parent}; every {@code txEvery}-th has one NAME transaction (0: none). */
    static List<ChainBlock> chain(Devnet devnet, ChainBlock parent, int count, int txEvery) {
        List<ChainBlock> blocks = new ArrayList<>(count);
        ChainBlock tip = parent;
        for (int i = 0; i < count; i++) {
            boolean withTx = txEvery > 0 && i % txEvery == 0;
            ChainTransaction[] txs = withTx ? new ChainTransaction[] {devnet.nameTx("n" + tip.num() + "x" + i)} : new ChainTransaction[0];
            tip = devnet.childOf(tip, 0, txs);
            blocks.add(tip);
        }
        return blocks;
    }

    /** Submits {@code blocks} to each chain in chunks (chains in parallel) and checks they all connected. */
    static void load(List<Chain> chains, List<ChainBlock> blocks) throws Exception {
        int chunk = 500;
        for (int from = 0; from < blocks.size(); from += chunk) {
            List<ChainBlock> part = blocks.subList(from, Math.min(blocks.size(), from + chunk));
            List<CompletableFuture<List<AddOutcome>>> futures = chains.stream().map(c -> c.submitBlocks(part)).toList();
            for (CompletableFuture<List<AddOutcome>> f : futures) {
                assertThat(f.get(120, TimeUnit.SECONDS)).allMatch(o -> o.status() == BlockStatus.CONNECTED);
            }
        }
    }

    static void load(Chain chain, List<ChainBlock> blocks) throws Exception {
        load(List.of(chain), blocks);
    }
}
