package org.protoblock.p2p.gossip;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that owns a gossip protocol's state: tasks run one at a time, in submission order.
 *
 * <p>Bounded: {@link #execute} refuses (returns false) when {@code maxQueued} tasks wait, so a
 * flood of peer messages or chain events cannot grow memory; callers drop gossip (a peer will
 * announce again, mempool sync catches up) or answer BUSY. {@link #executeAlways} skips the bound
 * for work that must not be lost and is bounded elsewhere: session lifecycle (bounded by the
 * session count) and responses to our own requests (bounded by requests in flight).
 * A task that throws is a bug: logged with its stack trace, the thread lives on.
 */
final class SerialExecutor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final ScheduledThreadPoolExecutor executor;
    private final int maxQueued;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile Thread thread;

    SerialExecutor(String name, int maxQueued) {
        this.maxQueued = maxQueued;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Queues {@code task} unless {@code maxQueued} tasks already wait or the executor is closed. */
    boolean execute(Runnable task) {
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            return false;
        }
        return submit(task);
    }

    /** Queues {@code task} whatever the queue length (see the class comment for when). */
    boolean executeAlways(Runnable task) {
        queued.incrementAndGet();
        return submit(task);
    }

    private boolean submit(Runnable task) {
        try {
            executor.execute(() -> {
                queued.decrementAndGet();
                guarded(task);
            });
            return true;
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            return false;
        }
    }

    void scheduleEvery(Duration period, Runnable task) {
        long ms = Math.max(1, period.toMillis());
        try {
            executor.scheduleWithFixedDelay(() -> guarded(task), ms, ms, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("executor closed; timer not started");
        }
    }

    void schedule(Duration delay, Runnable task) {
        try {
            executor.schedule(() -> guarded(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("executor closed; task dropped");
        }
    }

    boolean inExecutor() {
        return Thread.currentThread() == thread;
    }

    int queued() {
        return queued.get();
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("Gossip task failed", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
