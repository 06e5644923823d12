package org.protoblock.chain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.store.RocksDbChainStore;
import org.protoblock.chain.store.StoreConsistency;
import org.protoblock.chain.store.StoreException;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.testing.FailingChainStore;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;

/**
 * Finding 13 of issue 10: a store write that fails (a full disk, injected here) stops the chain
 * with memory matching the store, no later write gets through, and the store reopens consistent.
 */
class StoreWriteFailureTest {
    @TempDir
    Path dir;

    private final Devnet devnet = Devnet.create(2);

    private ChainConfig config() {
        return ChainConfig.defaults(devnet.params()).withClock(devnet.clock())
                .withProducer(devnet.producer(0), Duration.ofHours(1));
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static void assertStopped(Supplier<CompletableFuture<?>> write) {
        assertThatThrownBy(() -> await(write.get())).cause().isInstanceOf(ChainStoppedException.class);
    }

    @Test
    void aFailedBlockWriteStopsTheChainAndTheStoreReopensConsistent() throws Exception {
        ChainBlock b1 = devnet.childOf(devnet.genesis(), 0, devnet.nameTx("alice"));
        ChainBlock b2 = devnet.childOf(b1, 0, devnet.dataTx("alice"));
        ChainBlock b3 = devnet.childOf(b2, 0);
        RocksDbChainStore disk = RocksDbChainStore.open(dir.resolve("store"));
        FailingChainStore failing = new FailingChainStore(disk);
        Chain chain = Chain.open(config(), failing);
        try {
            assertThat(await(chain.submitBlock(b1)).status()).isEqualTo(BlockStatus.CONNECTED);

            failing.failFromWrite(1);
            assertThatThrownBy(() -> await(chain.submitBlock(b2))).cause().isInstanceOf(StoreException.class);

            assertThat(chain.head()).isEqualTo(b1.asHead());
            assertThat(chain.hasBlock(b2.id())).isFalse();
            assertThat(chain.storeFailure()).isPresent();
            assertThat(await(chain.sanityCheck())).isEmpty(); // the index does not claim b2
            failing.heal();
            // the disk has room again, but memory may be ahead of the store: nothing is written until a restart
            assertStopped(() -> chain.submitBlock(b2));
            assertStopped(() -> chain.submitBlocks(List.of(b2, b3)));
            assertStopped(() -> chain.submitTransaction(devnet.nameTx("bob")));
            assertStopped(chain::produceNow);
            assertThat(failing.failedWrites()).isEqualTo(1);
            assertThat(StoreConsistency.check(disk)).isEmpty();
        } finally {
            chain.close(); // leaves the store open
        }

        try (Chain reopened = Chain.open(config(), disk)) {
            assertThat(reopened.head()).isEqualTo(b1.asHead());
            assertThat(await(reopened.sanityCheck())).isEmpty();
            assertThat(await(reopened.submitBlock(b2)).status()).isEqualTo(BlockStatus.CONNECTED);
            assertThat(await(reopened.submitBlock(b3)).status()).isEqualTo(BlockStatus.CONNECTED);
            assertThat(reopened.head()).isEqualTo(b3.asHead());
            assertThat(StoreConsistency.check(disk)).isEmpty();
        }
    }

    @Test
    void aBlockIncludingAPendingTransactionLeavesNoMempoolEntryBehindWhenTheNextWriteFails() throws Exception {
        // What the kill loop (protoblock-node KillLoopTest) found: the mempool entry of an included
        // transaction was deleted by a later write, so a SIGKILL between the two left it in the store.
        ChainTransaction pendingTx = devnet.nameTx("carol");
        ChainBlock b1 = devnet.childOf(devnet.genesis(), 0, pendingTx);
        RocksDbChainStore disk = RocksDbChainStore.open(dir.resolve("store"));
        FailingChainStore failing = new FailingChainStore(disk);
        Chain chain = Chain.open(config(), failing);
        try {
            await(chain.submitTransaction(pendingTx));
            failing.failFromWrite(2); // the block's write goes through, the one after it does not
            chain.submitBlock(b1).handle((outcome, failure) -> null).get(30, TimeUnit.SECONDS);
            assertThat(disk.head()).contains(b1.asHead());
            assertThat(StoreConsistency.check(disk)).isEmpty();
        } finally {
            chain.close();
        }
    }

    @Test
    void aWriteFailingHalfwayThroughAReorgLeavesAConsistentStoreThatResumesOnReopen() throws Exception {
        ChainBlock a1 = devnet.childOf(devnet.genesis(), 0, devnet.nameTx("alice"));
        ChainBlock a2 = devnet.childOf(a1, 0);
        devnet.advance(1);
        ChainBlock b1 = devnet.childOf(devnet.genesis(), 1, devnet.nameTx("carol"));
        ChainBlock b2 = devnet.childOf(b1, 1);
        ChainBlock b3 = devnet.childOf(b2, 1);
        RocksDbChainStore disk = RocksDbChainStore.open(dir.resolve("store"));
        FailingChainStore failing = new FailingChainStore(disk);
        Chain chain = Chain.open(config(), failing);
        try {
            for (ChainBlock b : List.of(a1, a2, b1, b2)) {
                await(chain.submitBlock(b));
            }
            assertThat(chain.head()).isEqualTo(a2.asHead());

            // b3 makes the b branch longer: disconnect a2, disconnect a1, then connecting b1 fails
            failing.failFromWrite(3);
            assertThatThrownBy(() -> await(chain.submitBlock(b3))).cause().isInstanceOf(StoreException.class);

            assertThat(chain.head()).isEqualTo(disk.head().orElseThrow());
            assertThat(chain.hasBlock(b3.id())).isFalse();
            assertThat(await(chain.sanityCheck())).isEmpty();
            assertThat(StoreConsistency.check(disk)).isEmpty();
            failing.heal();
            assertStopped(() -> chain.submitBlock(b3));
        } finally {
            chain.close();
        }

        try (Chain reopened = Chain.open(config(), disk)) {
            // resumed towards the best stored tip: a2 and b2 tie, the first seen wins
            assertThat(reopened.head()).isEqualTo(a2.asHead());
            assertThat(await(reopened.submitBlock(b3)).status()).isEqualTo(BlockStatus.CONNECTED);
            assertThat(reopened.head()).isEqualTo(b3.asHead());
            assertThat(await(reopened.sanityCheck())).isEmpty();
            assertThat(StoreConsistency.check(disk)).isEmpty();
        }
    }

    @Test
    void aReorgCutShortAfterItsDisconnectKeepsTheReturningTransactionsOnDisk() throws Exception {
        // Issue 10's reorg crash window: the disconnect was written in one batch and the returning
        // transactions re-added to the persisted mempool in a later one; a crash between lost them.
        ChainTransaction alice = devnet.nameTx("alice");
        ChainBlock a1 = devnet.childOf(devnet.genesis(), 0, alice);
        devnet.advance(1);
        ChainBlock b1 = devnet.childOf(devnet.genesis(), 1);
        ChainBlock b2 = devnet.childOf(b1, 1);
        RocksDbChainStore disk = RocksDbChainStore.open(dir.resolve("store"));
        FailingChainStore failing = new FailingChainStore(disk);
        Chain chain = Chain.open(config(), failing);
        try {
            for (ChainBlock b : List.of(a1, b1)) {
                await(chain.submitBlock(b));
            }
            assertThat(chain.head()).isEqualTo(a1.asHead());

            failing.failFromWrite(2); // b2 makes the b branch longer: a1's disconnect is written, b1's connect fails
            assertThatThrownBy(() -> await(chain.submitBlock(b2))).cause().isInstanceOf(StoreException.class);
            assertThat(disk.mempool()).extracting(e -> ChainTransaction.of(e.transaction()).id()).containsExactly(alice.id());
        } finally {
            chain.close();
        }

        try (Chain reopened = Chain.open(config(), disk)) {
            // a1 and b1 tie and the first seen wins again: alice is back in a1, not pending
            assertThat(reopened.head()).isEqualTo(a1.asHead());
            assertThat(reopened.mempoolContains(alice.id())).isFalse();
            assertThat(await(reopened.submitBlock(b2)).status()).isEqualTo(BlockStatus.CONNECTED);
            assertThat(reopened.mempoolContains(alice.id())).isTrue();
            assertThat(await(reopened.sanityCheck())).isEmpty();
            assertThat(StoreConsistency.check(disk)).isEmpty();
        }
    }

    @Test
    void aReorgPersistsTheReturningTransactionsItKeepsAndForgetsThoseItRefuses() throws Exception {
        ChainTransaction alice = devnet.nameTx("alice");
        ChainTransaction bob = devnet.nameTx("bob");
        ChainTransaction bobData = devnet.dataTx("bob");
        ChainBlock a1 = devnet.childOf(devnet.genesis(), 0, alice, bob);
        ChainBlock a2 = devnet.childOf(a1, 0, bobData);
        devnet.advance(1);
        ChainTransaction aliceOtherKey = devnet.nameTx("alice");
        ChainBlock b1 = devnet.childOf(devnet.genesis(), 1, aliceOtherKey);
        ChainBlock b2 = devnet.childOf(b1, 1);
        ChainBlock b3 = devnet.childOf(b2, 1);
        RocksDbChainStore disk = RocksDbChainStore.open(dir.resolve("store"));
        try (Chain chain = Chain.open(config(), disk)) {
            for (ChainBlock b : List.of(a1, a2, b1, b2, b3)) {
                await(chain.submitBlock(b));
            }
            assertThat(chain.head()).isEqualTo(b3.asHead());

            // the name alice is taken on b by another key: her registration cannot return
            assertThat(chain.mempoolContains(alice.id())).isFalse();
            assertThat(disk.mempool()).extracting(e -> ChainTransaction.of(e.transaction()).id())
                    .containsExactlyInAnyOrder(bob.id(), bobData.id());
            assertThat(StoreConsistency.check(disk)).isEmpty();
        }
    }

    @Test
    void aFailedTransactionWriteStopsTheChainWithoutAnnouncingTheTransaction() throws Exception {
        RocksDbChainStore disk = RocksDbChainStore.open(dir.resolve("store"));
        FailingChainStore failing = new FailingChainStore(disk);
        ChainTransaction alice = devnet.nameTx("alice");
        try (Chain chain = Chain.open(config(), failing)) {
            failing.failFromWrite(1);
            assertThatThrownBy(() -> await(chain.submitTransaction(alice))).cause().isInstanceOf(StoreException.class);

            assertThat(chain.mempoolContains(alice.id())).isFalse(); // never offered to peers or the RPC
            failing.heal();
            assertStopped(() -> chain.submitTransaction(devnet.nameTx("bob")));
            assertStopped(chain::produceNow);
        } finally {
            assertThat(disk.mempool()).isEmpty();
        }
        try (Chain reopened = Chain.open(config(), disk)) {
            assertThat(reopened.mempoolSize()).isZero();
            assertThat(await(reopened.submitTransaction(alice))).isEqualTo(alice.id());
        }
    }

    @Test
    void aFailedWriteOnTheProducersTimerStopsTheChainToo() throws Exception {
        RocksDbChainStore disk = RocksDbChainStore.open(dir.resolve("store"));
        FailingChainStore failing = new FailingChainStore(disk);
        ChainConfig producing = ChainConfig.defaults(devnet.params()).withClock(devnet.clock())
                .withProducer(devnet.producer(0), Duration.ofMillis(50)).withProduceEmptyBlocks(true);
        try (Chain chain = Chain.open(producing, failing)) {
            failing.failFromWrite(1);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> chain.storeFailure().isPresent());
            int failed = failing.failedWrites();
            failing.heal();

            assertStopped(chain::produceNow);
            assertThat(failing.failedWrites()).isEqualTo(failed); // the timer stopped writing too
            assertThat(chain.head()).isEqualTo(disk.head().orElseThrow());
            assertThat(await(chain.sanityCheck())).isEmpty();
        } finally {
            disk.close();
        }
    }
}
