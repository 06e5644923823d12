package org.protoblock.chain.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OwnedExecutorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void runsTasksInOrderOnItsOwnThread() throws Exception {
        try (OwnedExecutor ex = new OwnedExecutor("owner-test", 100)) {
            List<Integer> seen = new ArrayList<>();
            List<String> threads = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                assertThat(ex.execute(() -> {
                    seen.add(n);
                    threads.add(Thread.currentThread().getName());
                })).isTrue();
            }
            ex.call(() -> null, WAIT);
            assertThat(seen).hasSize(50).isSorted();
            assertThat(threads).containsOnly("owner-test");
        }
    }

    @Test
    void refusesPastTheBoundButExecuteAlwaysQueues() throws Exception {
        try (OwnedExecutor ex = new OwnedExecutor("bounded", 2)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            assertThat(ex.execute(() -> {
                started.countDown();
                await(release);
            })).isTrue();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ex.execute(() -> { })).isTrue();
            assertThat(ex.execute(() -> { })).isTrue();
            assertThat(ex.execute(() -> { })).isFalse();
            assertThat(ex.supply(() -> 1)).isCompletedExceptionally();
            assertThat(ex.executeAlways(() -> { })).isTrue();
            assertThat(ex.queued()).isEqualTo(3);
            release.countDown();
            // The bound still holds while the backlog drains: wait for it, then calls are served.
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> ex.queued() == 0);
            assertThat(ex.call(() -> 7, WAIT)).isEqualTo(7);
        }
    }

    @Test
    void callRunsInlineOnTheOwningThreadAndTimesOutElsewhere() throws Exception {
        try (OwnedExecutor ex = new OwnedExecutor("caller", 10)) {
            assertThat(ex.call(() -> ex.call(() -> "inner", WAIT), WAIT)).isEqualTo("inner");
            CountDownLatch release = new CountDownLatch(1);
            ex.execute(() -> await(release));
            assertThatThrownBy(() -> ex.call(() -> 1, Duration.ofMillis(50)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not answer");
            release.countDown();
        }
    }

    @Test
    void aThrowingTaskDoesNotKillTheThreadAndCallRethrows() {
        try (OwnedExecutor ex = new OwnedExecutor("guarded", 10)) {
            ex.execute(() -> {
                throw new IllegalArgumentException("boom");
            });
            assertThatThrownBy(() -> ex.call(() -> {
                throw new IllegalArgumentException("bad");
            }, WAIT)).isInstanceOf(IllegalArgumentException.class).hasMessage("bad");
            assertThat(ex.call(() -> "alive", WAIT)).isEqualTo("alive");
            assertThatThrownBy(ex::checkThread).isInstanceOf(IllegalStateException.class);
            ex.call(() -> {
                ex.checkThread();
                return null;
            }, WAIT);
        }
    }

    @Test
    void timersRunOnTheOwnerAndStopAtClose() throws Exception {
        OwnedExecutor ex = new OwnedExecutor("timers", 10);
        CountDownLatch ticks = new CountDownLatch(3);
        List<Boolean> onOwner = new ArrayList<>();
        ex.scheduleEvery(Duration.ZERO, Duration.ofMillis(5), () -> {
            onOwner.add(ex.inThread());
            ticks.countDown();
        });
        assertThat(ticks.await(10, TimeUnit.SECONDS)).isTrue();
        ex.close(WAIT);
        assertThat(ex.isClosed()).isTrue();
        assertThat(ex.execute(() -> { })).isFalse();
        assertThat(ex.schedule(Duration.ZERO, () -> { })).isEmpty();
        assertThatThrownBy(() -> ex.supply(() -> 1).orTimeout(30, TimeUnit.SECONDS).join()).hasCauseInstanceOf(RejectedExecutionException.class);
        assertThat(onOwner).containsOnly(true);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
