package org.protoblock.chain.concurrent;

import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of an {@link OwnedExecutor} in shared mode ({@link OwnedExecutor#shareThreads}): tasks
 * run one at a time, in submission order, like on an owned thread, but on whichever thread of a
 * pool shared by every executor in the JVM is free. Rationale: the network simulator runs
 * thousands of nodes of about ten owned threads each in one JVM; as threads, their timers woke
 * thousands of threads a second and the kernel spent a third of the CPU switching between them.
 *
 * <p>Rules: at most one drain of the queue is submitted or running at a time (the {@code draining}
 * flag), so tasks never overlap and each sees the previous one's writes (queue and flag publish
 * them); a drain runs at most {@link #BATCH} tasks, then yields the pool thread to other strands.
 * Timers fire on the pool's scheduler and queue their task here; a periodic task whose previous
 * run is still queued skips a beat (fixed delay, as on an owned thread). Closing cancels periodic
 * timers, lets queued tasks run for at most the grace, then drops the rest (a shared thread cannot
 * be interrupted for one owner).
 *
 * <p>Threads: thread-safe; the queued tasks own the owner's state as on an owned thread.
 */
final class SharedStrand {
    private static final Logger log = LoggerFactory.getLogger(SharedStrand.class);
    private static final int BATCH = 64;
    private static final ThreadLocal<SharedStrand> CURRENT = new ThreadLocal<>();

    private final String name;
    private final ScheduledThreadPoolExecutor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** Periodic timers, cancelled at close (bounded by their owner's fixed set). */
    private final Set<ScheduledFuture<?>> periodic = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    SharedStrand(String name, ScheduledThreadPoolExecutor pool) {
        this.name = name;
        this.pool = pool;
    }

    /** Queues {@code task}; false once closed or when the pool refuses. */
    boolean submit(Runnable task) {
        if (closed) {
            return false;
        }
        tasks.add(task);
        return scheduleDrain();
    }

    private boolean scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                return false;
            }
        }
        return true;
    }

    private void drain() {
        CURRENT.set(this);
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                task.run();
            }
        } finally {
            CURRENT.remove();
            draining.set(false);
        }
        if (!tasks.isEmpty()) {
            scheduleDrain();
        }
    }

    boolean inStrand() {
        return CURRENT.get() == this;
    }

    Optional<ScheduledFuture<?>> schedule(Duration delay, Runnable task) {
        if (closed) {
            return Optional.empty();
        }
        try {
            return Optional.of(pool.schedule(() -> submit(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            return Optional.empty();
        }
    }

    Optional<ScheduledFuture<?>> scheduleEvery(Duration initialDelay, long periodMs, Runnable task) {
        if (closed) {
            return Optional.empty();
        }
        AtomicBoolean queued = new AtomicBoolean();
        Runnable tick = () -> {
            queued.set(false);
            task.run();
        };
        try {
            ScheduledFuture<?> timer = pool.scheduleWithFixedDelay(() -> {
                if (queued.compareAndSet(false, true) && !submit(tick)) {
                    queued.set(false);
                }
            }, Math.max(0, initialDelay.toMillis()), periodMs, TimeUnit.MILLISECONDS);
            periodic.add(timer);
            return Optional.of(timer);
        } catch (RejectedExecutionException e) {
            return Optional.empty();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Refuses new work, cancels periodic timers, runs what is queued for at most {@code grace}, drops the rest. */
    void close(Duration grace) {
        closed = true;
        periodic.forEach(t -> t.cancel(false));
        periodic.clear();
        if (inStrand()) {
            return; // the rest of the queue runs after this task; waiting here would wait on ourselves
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while ((!tasks.isEmpty() || draining.get()) && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!tasks.isEmpty()) {
            log.warn("{} did not finish its tasks within {}; dropping {}", name, grace, tasks.size());
            tasks.clear();
        }
    }
}
