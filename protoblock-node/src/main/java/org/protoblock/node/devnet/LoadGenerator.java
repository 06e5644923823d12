package org.protoblock.node.devnet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.node.wallet.TxFactory;

/**
 * Submits signed transactions to the devnet's nodes in turn at a fixed rate: NAME registrations of
 * fresh fantasy names, and version-4 DATA transactions by names the target node already has on
 * its chain (so they are valid where they are sent). Counts what was submitted, accepted into a
 * mempool, and rejected (by rule), and remembers the accepted ids for the inclusion check.
 *
 * <p>Threads: one scheduler thread makes and submits; results arrive on the chain executors and
 * only touch the concurrent counters. Bounds: at most {@value #MAX_IN_FLIGHT} submissions awaiting
 * an answer (ticks beyond it are skipped), at most {@value #MAX_TRACKED} accepted ids remembered
 * (the generator stops there).
 */
public final class LoadGenerator implements AutoCloseable {
    public static final int MAX_IN_FLIGHT = 2_000;
    public static final int MAX_TRACKED = 1_000_000;
    /** Share of DATA transactions once registered names exist. */
    private static final double DATA_SHARE = 0.7;
    private static final int MAX_PENDING_CHECKS_PER_TICK = 8;

    /** A fantasy name and its key. */
    record Account(String name, KeyPair key) {
    }

    private final List<Chain> targets;
    private final double ratePerSecond;
    private final TxFactory factory;
    private final Random random;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "devnet-load");
        t.setDaemon(true);
        return t;
    });
    // Owned by the scheduler thread.
    private final Deque<Account> pendingNames = new ArrayDeque<>();
    private final List<Account> registered = new ArrayList<>();
    private long ticks;

    final LongAdder submitted = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder names = new LongAdder();
    final LongAdder data = new LongAdder();
    private final Map<String, LongAdder> rejectedByRule = new ConcurrentHashMap<>();
    private final Set<TxId> acceptedIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();

    public LoadGenerator(List<Chain> targets, double ratePerSecond, TxFactory factory, Random random) {
        if (targets.isEmpty() || ratePerSecond < 0) {
            throw new IllegalArgumentException("need nodes and a rate >= 0");
        }
        this.targets = List.copyOf(targets);
        this.ratePerSecond = ratePerSecond;
        this.factory = factory;
        this.random = random;
    }

    public void start() {
        if (ratePerSecond > 0) {
            long periodNanos = Math.max(1, (long) (1e9 / ratePerSecond));
            scheduler.scheduleAtFixedRate(this::tick, 0, periodNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops making transactions and waits (bounded) for the answers to those submitted. */
    public void stop(long timeoutMillis) throws InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            synchronized (inFlight) {
                inFlight.wait(50);
            }
        }
    }

    private void tick() {
        if (acceptedIds.size() >= MAX_TRACKED) {
            scheduler.shutdown();
            return;
        }
        if (inFlight.get() >= MAX_IN_FLIGHT) {
            skipped.increment();
            return;
        }
        Chain target = targets.get((int) (ticks++ % targets.size()));
        promoteRegistered(targets.get(0));
        ChainTransaction tx = nextTransaction(target);
        submitted.increment();
        inFlight.incrementAndGet();
        target.submitTransaction(tx).whenComplete((id, failure) -> {
            if (failure == null) {
                accepted.increment();
                acceptedIds.add(id);
            } else {
                rejected.increment();
                rejectedByRule.computeIfAbsent(reason(failure), k -> new LongAdder()).increment();
            }
            if (inFlight.decrementAndGet() == 0) {
                synchronized (inFlight) {
                    inFlight.notifyAll();
                }
            }
        });
    }

    private ChainTransaction nextTransaction(Chain target) {
        if (!registered.isEmpty() && random.nextDouble() < DATA_SHARE) {
            Account account = registered.get(random.nextInt(registered.size()));
            if (target.store().name(NameEntry.fold(account.name())).isPresent()) {
                data.increment();
                return factory.data(account.name(), account.key());
            }
        }
        Account fresh = new Account(freshName(), KeyPair.generate());
        pendingNames.addLast(fresh);
        names.increment();
        return factory.nameRegistration(fresh.name(), fresh.key());
    }

    /** Moves names that reached the chain of node 0 from pending to registered. */
    private void promoteRegistered(Chain reference) {
        for (int i = 0; i < MAX_PENDING_CHECKS_PER_TICK && !pendingNames.isEmpty(); i++) {
            Account next = pendingNames.pollFirst();
            if (reference.store().name(NameEntry.fold(next.name())).isPresent()) {
                registered.add(next);
            } else {
                pendingNames.addLast(next);
            }
        }
        while (pendingNames.size() > MAX_IN_FLIGHT) {
            pendingNames.pollFirst(); // rejected or lost registrations: forget the oldest
        }
    }

    private String freshName() {
        return "player-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof ValidationException v ? v.rule().name() : cause.getClass().getSimpleName();
    }

    public long submitted() {
        return submitted.sum();
    }

    /** NAME registrations made. */
    public long names() {
        return names.sum();
    }

    /** DATA transactions made. */
    public long data() {
        return data.sum();
    }

    public long accepted() {
        return accepted.sum();
    }

    public long rejected() {
        return rejected.sum();
    }

    public Map<String, Long> rejectedByRule() {
        Map<String, Long> out = new java.util.TreeMap<>();
        rejectedByRule.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Snapshot of the accepted ids. */
    public Set<TxId> acceptedIds() {
        return Set.copyOf(acceptedIds);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
