package org.protoblock.chain.concurrent;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a component's state. Every component that keeps mutable state on a
 * thread of its own (the chain, sync, each gossip protocol, the peer manager, discovery) owns one of
 * these and touches that state only from tasks run here.
 *
 * <p>Rules:
 * <ul>
 *   <li><b>Serial.</b> Tasks run one at a time, in submission order, on one named daemon thread.
 *       Rationale: state confined to one thread needs no locks, and its invariants hold between
 *       tasks.</li>
 *   <li><b>Bounded.</b> {@link #execute} refuses (returns false) when {@code maxQueued} tasks wait,
 *       so a flood of peer messages or events cannot grow memory; the caller drops the work or
 *       answers "busy". {@link #executeAlways} skips the bound, for work that must not be lost and is
 *       bounded elsewhere (session lifecycle: by the session count; replies: by requests in flight).
 *       Timers are bounded by their owners (a fixed set of periodic tasks, one-shot timeouts per
 *       bounded request).</li>
 *   <li><b>Guarded.</b> A task that throws is a bug: logged with its stack trace, the thread lives
 *       on.</li>
 *   <li><b>Waits are bounded.</b> {@link #call} from another thread waits at most its timeout; from
 *       the owning thread it runs inline (waiting on itself would deadlock).</li>
 *   <li><b>Closing</b> refuses new work, lets queued tasks finish for at most the given grace, then
 *       interrupts.</li>
 * </ul>
 *
 * <p>Shared mode (the network simulator only): after {@link #shareThreads}, executors made from
 * then on keep these rules but run on a pool shared by the whole JVM instead of a thread each
 * ({@link SharedStrand}), so thousands of nodes fit in one process. Nothing else calls it.
 */
public final class OwnedExecutor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OwnedExecutor.class);

    /** The pool of shared mode; empty (the default): each executor owns a thread. */
    private static volatile Optional<ScheduledThreadPoolExecutor> sharedPool = Optional.empty();

    private final String name;
    private final int maxQueued;
    /** Present in shared mode: tasks run there instead of on {@link #executor} (which then never starts its thread). */
    private final Optional<SharedStrand> strand;
    private final ScheduledThreadPoolExecutor executor;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile Thread thread;

    /** One thread named {@code name}; at most {@code maxQueued} tasks waiting through {@link #execute}. */
    public OwnedExecutor(String name, int maxQueued) {
        this(name, maxQueued, sharedPool);
    }

    /** On {@code pool}'s threads when present (shared mode; tests pass their own pool), else on a thread of its own. */
    OwnedExecutor(String name, int maxQueued, Optional<ScheduledThreadPoolExecutor> pool) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be positive");
        }
        this.name = name;
        this.maxQueued = maxQueued;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.strand = pool.map(p -> new SharedStrand(name, p));
    }

    /**
     * Shared mode for the rest of this JVM's life: executors made after this call run on one pool
     * of {@code threads} daemon threads (see {@link SharedStrand}). For the network simulator,
     * which runs thousands of nodes in one process; call once, before any node is made.
     */
    public static synchronized void shareThreads(int threads) {
        if (sharedPool.isPresent()) {
            throw new IllegalStateException("threads are already shared");
        }
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, runnable -> {
            Thread t = new Thread(runnable, "owned-shared-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        sharedPool = Optional.of(pool);
    }

    public String name() {
        return name;
    }

    /** Queues {@code task} unless {@code maxQueued} tasks already wait or the executor is closed. */
    public boolean execute(Runnable task) {
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            return false;
        }
        return submit(task);
    }

    /** Queues {@code task} whatever the queue length (see the class comment for when); false once closed. */
    public boolean executeAlways(Runnable task) {
        queued.incrementAndGet();
        return submit(task);
    }

    /**
     * Runs {@code task} here and completes the future with its result; the future fails with
     * {@link RejectedExecutionException} when the queue is full or the executor closed.
     */
    public <T> CompletableFuture<T> supply(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean queuedOk = execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        if (!queuedOk) {
            result.completeExceptionally(new RejectedExecutionException(name + " is busy or closed"));
        }
        return result;
    }

    /**
     * Runs {@code task} here and waits for it at most {@code timeout}; inline when called from the
     * owning thread. Failures (including a full queue and the timeout) come back as
     * {@link IllegalStateException}, with the task's own exception as the cause when it threw.
     */
    public <T> T call(Callable<T> task, Duration timeout) {
        if (inThread()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return supply(task).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(name + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " did not answer within " + timeout, e);
        }
    }

    /** Runs {@code task} here once after {@code delay} (to the nanosecond: a sub-millisecond delay is kept); empty when closed. */
    public Optional<ScheduledFuture<?>> schedule(Duration delay, Runnable task) {
        if (strand.isPresent()) {
            return strand.get().schedule(delay, () -> guarded(task));
        }
        try {
            return Optional.of(executor.schedule(() -> guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            return Optional.empty();
        }
    }

    /** Runs {@code task} here every {@code period} (fixed delay), first after {@code initialDelay}; empty when closed. */
    public Optional<ScheduledFuture<?>> scheduleEvery(Duration initialDelay, Duration period, Runnable task) {
        long ms = Math.max(1, period.toMillis());
        if (strand.isPresent()) {
            return strand.get().scheduleEvery(initialDelay, ms, () -> guarded(task));
        }
        try {
            return Optional.of(executor.scheduleWithFixedDelay(() -> guarded(task), Math.max(0, initialDelay.toMillis()), ms,
                    TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            return Optional.empty();
        }
    }

    /** An {@link Executor} view for future continuations: bounded like {@link #execute}; a refused task is logged and dropped. */
    public Executor asExecutor() {
        return task -> {
            if (!execute(task)) {
                log.debug("{} busy or closed: continuation dropped", name);
            }
        };
    }

    /** An {@link Executor} view that never refuses for load (see {@link #executeAlways}). */
    public Executor asUnboundedExecutor() {
        return task -> {
            if (!executeAlways(task)) {
                log.debug("{} closed: continuation dropped", name);
            }
        };
    }

    /** True on the owning thread. */
    public boolean inThread() {
        if (strand.isPresent()) {
            return strand.get().inStrand();
        }
        return Thread.currentThread() == thread;
    }

    /** Throws unless called on the owning thread: a cheap guard for state-touching methods. */
    public void checkThread() {
        if (!inThread()) {
            throw new IllegalStateException("must run on " + name + ", not " + Thread.currentThread().getName());
        }
    }

    /** Tasks waiting (not counting timers). */
    public int queued() {
        return queued.get();
    }

    public int maxQueued() {
        return maxQueued;
    }

    public boolean isClosed() {
        if (strand.isPresent()) {
            return strand.get().isClosed();
        }
        return executor.isShutdown();
    }

    private boolean submit(Runnable task) {
        if (strand.isPresent()) {
            boolean ok = strand.get().submit(() -> {
                queued.decrementAndGet();
                guarded(task);
            });
            if (!ok) {
                queued.decrementAndGet();
            }
            return ok;
        }
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

    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | AssertionError e) {
            log.warn("Task on {} failed", name, e);
        }
    }

    /** Refuses new work, runs what is queued for at most {@code grace}, then interrupts. */
    public void close(Duration grace) {
        if (strand.isPresent()) {
            strand.get().close(grace);
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} did not finish its tasks within {}; interrupting", name, grace);
                executor.shutdownNow();
                executor.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
