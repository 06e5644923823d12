package org.protoblock.chain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.store.InMemoryChainStore;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;

/** The chain executor: bounded queue, the one thread for writes and timers, refusal once closed. */
class ChainExecutorTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Devnet devnet = Devnet.create(1);

    private ChainConfig config() {
        return ChainConfig.defaults(devnet.params()).withClock(devnet.clock());
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected " + future + " to fail");
    }

    @Test
    void submissionsBeyondTheQueueBoundFailFastAndQueuedOnesStillRun() throws Exception {
        try (Chain chain = Chain.open(config().withMaxQueuedTasks(2), new InMemoryChainStore())) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            chain.addListener(new ChainListener() {
                @Override
                public void onTransactionAccepted(ChainTransaction tx) {
                    entered.countDown();
                    try {
                        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            CompletableFuture<TxId> running = chain.submitTransaction(devnet.nameTx("alice"));
            assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            CompletableFuture<List<TxId>> first = chain.mempoolIds();
            CompletableFuture<List<TxId>> second = chain.mempoolIds();

            CompletableFuture<List<TxId>> refused = chain.mempoolIds();
            assertThat(refused).isCompletedExceptionally();
            assertThat(failureOf(refused)).isInstanceOf(RejectedExecutionException.class);

            release.countDown();
            assertThat(running.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
            assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS)).hasSize(1);
            assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void timedProductionRunsOnTheChainExecutor() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        ChainConfig producing = config().withProducer(devnet.producer(0), Duration.ofMillis(20))
                .withProduceEmptyBlocks(true);
        try (Chain chain = Chain.open(producing, new InMemoryChainStore())) {
            chain.addListener(new ChainListener() {
                @Override
                public void onHeadChanged(AddOutcome outcome) {
                    threads.add(Thread.currentThread().getName());
                }
            });
            await().atMost(WAIT).until(() -> chain.head().num() >= 3);
            assertThat(chain.blocksProduced()).isGreaterThanOrEqualTo(3);
        }
        assertThat(threads).containsExactly("chain-executor");
    }

    @Test
    void aClosedChainRefusesSubmissions() throws Exception {
        Chain chain = Chain.open(config(), new InMemoryChainStore());
        chain.close();

        assertThat(failureOf(chain.submitTransaction(devnet.nameTx("alice"))))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(failureOf(chain.produceNow())).isInstanceOf(RejectedExecutionException.class);
    }
}
