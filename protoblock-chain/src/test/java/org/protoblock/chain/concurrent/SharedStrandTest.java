package org.protoblock.chain.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Owned executors in shared mode: the same rules as on an owned thread, on a pool many share. */
class SharedStrandTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(3);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private OwnedExecutor shared(String name, int maxQueued) {
        return new OwnedExecutor(name, maxQueued, Optional.of(pool));
    }

    /**
     * A delay under a millisecond is kept, owned thread or shared: it was cut to whole milliseconds
     * once, so a task re-scheduling itself until a time 0.9 ms away ran back to back until then.
     */
    @Test
    void subMillisecondDelaysAreNotCutToZero() throws Exception {
        for (OwnedExecutor ex : List.of(shared("sub-ms", 16), new OwnedExecutor("sub-ms-owned", 16))) {
            try (ex) {
                for (long delayNanos : new long[] {900_000, 1_500_000}) {
                    long start = System.nanoTime();
                    CountDownLatch ran = new CountDownLatch(1);
                    long[] at = new long[1];
                    assertThat(ex.schedule(Duration.ofNanos(delayNanos), () -> {
                        at[0] = System.nanoTime();
                        ran.countDown();
                    })).isPresent();
                    assertThat(ran.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                    assertThat(at[0] - start).as("ran after %d ns", delayNanos).isGreaterThanOrEqualTo(delayNanos);
                }
            }
        }
    }

    @Test
    void manyExecutorsOnAFewThreadsEachRunSeriallyInOrder() throws Exception {
        List<OwnedExecutor> executors = new ArrayList<>();
        List<List<Integer>> seen = new ArrayList<>();
        AtomicBoolean overlap = new AtomicBoolean();
        for (int e = 0; e < 20; e++) {
            OwnedExecutor ex = shared("strand-" + e, 10_000);
            executors.add(ex);
            List<Integer> order = new ArrayList<>(); // touched only by ex's tasks: no lock, as on an owned thread
            seen.add(order);
            AtomicBoolean running = new AtomicBoolean();
            for (int i = 0; i < 500; i++) {
                int n = i;
                assertThat(ex.execute(() -> {
                    if (!running.compareAndSet(false, true)) {
                        overlap.set(true);
                    }
                    assertThat(ex.inThread()).isTrue();
                    order.add(n);
                    running.set(false);
                })).isTrue();
            }
        }
        for (OwnedExecutor ex : executors) {
            ex.call(() -> null, WAIT);
            assertThat(ex.inThread()).isFalse();
        }
        assertThat(overlap).isFalse();
        for (List<Integer> order : seen) {
            assertThat(order).hasSize(500).isSorted();
        }
        assertThat(pool.getPoolSize()).isLessThanOrEqualTo(3);
        executors.forEach(OwnedExecutor::close);
    }

    @Test
    void callRunsInlineInsideATask() throws Exception {
        try (OwnedExecutor ex = shared("inline", 10)) {
            assertThat(ex.supply(() -> ex.call(() -> 5, WAIT)).get(10, TimeUnit.SECONDS)).isEqualTo(5);
        }
    }

    @Test
    void timersFireOnTheStrandAndCloseStopsPeriodicOnes() throws Exception {
        OwnedExecutor ex = shared("timers", 10);
        CountDownLatch once = new CountDownLatch(1);
        AtomicBoolean onStrand = new AtomicBoolean();
        ex.schedule(Duration.ofMillis(20), () -> {
            onStrand.set(ex.inThread());
            once.countDown();
        });
        AtomicInteger ticks = new AtomicInteger();
        assertThat(ex.scheduleEvery(Duration.ZERO, Duration.ofMillis(10), ticks::incrementAndGet)).isPresent();
        assertThat(once.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(onStrand).isTrue();
        await().atMost(WAIT).until(() -> ticks.get() >= 3);
        ex.close();
        assertThat(ex.isClosed()).isTrue();
        int after = ticks.get();
        TimeUnit.MILLISECONDS.sleep(100);
        assertThat(ticks.get()).isEqualTo(after);
        assertThat(ex.execute(() -> { })).isFalse();
        assertThat(ex.scheduleEvery(Duration.ZERO, Duration.ofMillis(10), () -> { })).isEmpty();
        assertThat(pool.getQueue()).isEmpty(); // cancelled timers removed from the shared scheduler
    }

    @Test
    void boundStillHolds() throws Exception {
        try (OwnedExecutor ex = shared("bounded", 2)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            ex.execute(() -> {
                started.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ex.execute(() -> { })).isTrue();
            assertThat(ex.execute(() -> { })).isTrue();
            assertThat(ex.execute(() -> { })).isFalse();
            release.countDown();
            await().atMost(WAIT).until(() -> ex.queued() == 0);
        }
    }
}
