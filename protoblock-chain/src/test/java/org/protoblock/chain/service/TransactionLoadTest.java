package org.protoblock.chain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.store.InMemoryChainStore;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.types.ValidationException;

/**
 * Finding 3 of issue 10 (chain side): transactions, valid or not, never get a block refused. Bad
 * signatures are found before a transaction takes a chain executor slot; good transactions hold at
 * most half of the queue. The chain executor is held busy (a listener blocks on it) meanwhile.
 */
class TransactionLoadTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int QUEUE = 16;

    private final Devnet devnet = Devnet.create(1);

    @Test
    void badSignaturesAreRefusedWithoutTheChainExecutorAndBlocksStillQueue() throws Exception {
        try (Chain chain = open()) {
            ChainTransaction alice = devnet.nameTx("alice");
            ChainBlock first = devnet.childOf(devnet.genesis(), alice);
            assertThat(chain.submitBlock(first).get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(BlockStatus.CONNECTED);
            try (HeldExecutor held = HeldExecutor.hold(chain, devnet.nameTx("seed"))) {
                List<CompletableFuture<TxId>> flood = new ArrayList<>();
                for (int i = 0; i < 4 * QUEUE; i++) {
                    flood.add(chain.submitTransaction(devnet.txBuilder("alice", TransType.DATA).signer(devnet.newKey()).build()));
                }
                // Judged while the chain executor is still held: it took no part.
                await().atMost(WAIT).until(() -> flood.stream().allMatch(CompletableFuture::isDone));
                assertThat(flood).allSatisfy(f -> assertThat(failureOf(f)).satisfiesAnyOf(
                        e -> assertThat(e).isInstanceOf(RejectedExecutionException.class),
                        e -> assertThat(((ValidationException) e).rule()).isEqualTo(Rule.BAD_TX_SIGNATURE)));
                assertThat(flood).anySatisfy(f -> assertThat(failureOf(f)).isInstanceOf(ValidationException.class));

                List<CompletableFuture<AddOutcome>> blocks = submitChain(chain, first, QUEUE / 2);
                held.release();
                assertConnectedInOrder(blocks);
            }
        }
    }

    @Test
    void validTransactionsHoldAtMostHalfTheQueue() throws Exception {
        try (Chain chain = open()) {
            try (HeldExecutor held = HeldExecutor.hold(chain, devnet.nameTx("seed"))) {
                List<CompletableFuture<TxId>> load = new ArrayList<>();
                for (int i = 0; i < 2 * QUEUE; i++) {
                    load.add(chain.submitTransaction(devnet.nameTx("user" + i)));
                }
                await().atMost(WAIT).until(() -> load.stream().filter(f -> !f.isDone()).count() <= QUEUE);
                List<CompletableFuture<AddOutcome>> blocks = submitChain(chain, devnet.genesis(), QUEUE / 2);
                // The held seed is one of the transactions' QUEUE / 2 slots.
                assertThat(load.stream().filter(f -> !f.isDone()).count()).isLessThanOrEqualTo(QUEUE / 2 - 1);
                held.release();
                assertConnectedInOrder(blocks);
            }
        }
    }

    private Chain open() throws ValidationException {
        return Chain.open(ChainConfig.defaults(devnet.params()).withClock(devnet.clock()).withMaxQueuedTasks(QUEUE),
                new InMemoryChainStore());
    }

    private List<CompletableFuture<AddOutcome>> submitChain(Chain chain, ChainBlock parent, int count) {
        List<CompletableFuture<AddOutcome>> blocks = new ArrayList<>();
        for (ChainBlock block : devnet.emptyChain(parent, count)) {
            CompletableFuture<AddOutcome> submitted = chain.submitBlock(block);
            assertThat(submitted).as("block %s refused under transaction load", block).isNotCompletedExceptionally();
            blocks.add(submitted);
        }
        return blocks;
    }

    private static void assertConnectedInOrder(List<CompletableFuture<AddOutcome>> blocks) throws Exception {
        for (CompletableFuture<AddOutcome> block : blocks) {
            assertThat(block.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(BlockStatus.CONNECTED);
        }
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected " + future + " to fail");
    }

    /** The chain executor blocked inside a listener until released (or closed). */
    private static final class HeldExecutor implements AutoCloseable {
        private final Chain chain;
        private final ChainListener listener;
        private final CountDownLatch release = new CountDownLatch(1);

        private HeldExecutor(Chain chain) {
            this.chain = chain;
            this.listener = new ChainListener() {
                @Override
                public void onTransactionAccepted(ChainTransaction tx) {
                    try {
                        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }

        static HeldExecutor hold(Chain chain, ChainTransaction seed) throws Exception {
            HeldExecutor held = new HeldExecutor(chain);
            CountDownLatch entered = new CountDownLatch(1);
            chain.addListener(new ChainListener() {
                @Override
                public void onTransactionAccepted(ChainTransaction tx) {
                    entered.countDown();
                }
            });
            chain.addListener(held.listener);
            chain.submitTransaction(seed);
            assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            return held;
        }

        void release() {
            release.countDown();
        }

        @Override
        public void close() {
            release.countDown();
            chain.removeListener(listener);
        }
    }
}
