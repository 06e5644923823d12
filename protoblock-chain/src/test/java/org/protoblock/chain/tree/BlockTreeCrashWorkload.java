package org.protoblock.chain.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.service.ChainChecks;
import org.protoblock.chain.store.ChainStore;
import org.protoblock.chain.store.CrashWorkload;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.StoreChainState;

/**
 * Real block application for the crash test: a {@link BlockTree} over the child's store extends
 * the main chain with blocks of NAME registrations and, one step in four, grows a competing
 * branch from the head's parent until it wins, so kills also land inside reorgs.
 */
public final class BlockTreeCrashWorkload implements CrashWorkload {
    private Devnet devnet;
    private BlockTree tree;
    private ChainStore store;
    private Random random;

    @Override
    public void resume(ChainStore store, long seed) {
        this.store = store;
        this.devnet = Devnet.create(2, seed);
        ChainChecks checks = new ChainChecks(devnet.params(), devnet.clock(), new StoreChainState(store));
        try {
            this.tree = BlockTree.open(store, devnet.genesis(), checks, 64, 1 << 20);
        } catch (ValidationException e) {
            throw new IllegalStateException(e);
        }
        // fresh keys and names after every restart: the seeded devnet would repeat earlier ones
        this.random = new Random(seed ^ System.nanoTime());
        devnet.at(headBlock().timestamp() + 1);
    }

    @Override
    public int applyNext(ChainStore ignored) {
        ChainBlock head = headBlock();
        devnet.advance(1);
        if (head.num() >= 2 && random.nextInt(4) == 0) {
            ChainBlock fork = store.block(head.parentId().orElseThrow()).orElseThrow();
            for (int i = 0; i < 2; i++) {
                fork = devnet.childOf(fork, 1, names(1));
                tree.add(fork);
            }
        } else {
            tree.add(devnet.childOf(head, 0, names(1 + random.nextInt(3))));
        }
        return tree.head().num();
    }

    private ChainBlock headBlock() {
        return store.block(tree.head().id()).orElseThrow();
    }

    private List<ChainTransaction> names(int count) {
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            KeyPair key = KeyPair.fromRandom(random);
            txs.add(devnet.nameTxBuilder("n" + Long.toHexString(random.nextLong()), key).build());
        }
        return txs;
    }
}
