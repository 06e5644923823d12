package org.protoblock.p2p.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * Our requests awaiting the peer's responses.
 *
 * <p>Rules: ids are assigned here, from 1 upwards, never reused within a session (0 means one-way);
 * at most {@code capacity} entries exist; each entry leaves exactly once (response, timeout,
 * cancellation or link close), cancelling its timer. Rationale: a response for an id that is no
 * longer here (late after a timeout) is simply dropped by the caller.
 *
 * <p>Memory O(capacity); every operation O(1). No I/O and no threads: owned by the link's event loop.
 */
final class RequestTracker {
    /** One outstanding request. */
    record Pending(CompletableFuture<Envelope> future, Future<?> timer, long startNanos) {
    }

    private final int capacity;
    private final Map<Long, Pending> pending;
    private long nextId = 1;

    RequestTracker(int capacity) {
        this.capacity = capacity;
        this.pending = new HashMap<>(Math.min(capacity, 1024) * 2);
    }

    boolean isFull() {
        return pending.size() >= capacity;
    }

    int size() {
        return pending.size();
    }

    long nextId() {
        return nextId++;
    }

    /** True when {@code id} was handed out by {@link #nextId()}: a response to anything else is forged. */
    boolean wasIssued(long id) {
        return id > 0 && id < nextId;
    }

    void add(long id, Pending p) {
        if (isFull()) {
            throw new IllegalStateException("request tracker full");
        }
        if (pending.putIfAbsent(id, p) != null) {
            throw new IllegalStateException("request id reused: " + id);
        }
    }

    /** Removes the entry and cancels its timer; empty when it already left. */
    Optional<Pending> remove(long id) {
        Pending p = pending.remove(id);
        if (p == null) {
            return Optional.empty();
        }
        p.timer().cancel(false);
        return Optional.of(p);
    }

    /** Empties the tracker (link closed), cancelling every timer. */
    List<Pending> drain() {
        List<Pending> all = new ArrayList<>(pending.values());
        pending.clear();
        all.forEach(p -> p.timer().cancel(false));
        return all;
    }

    /** For tests: the invariants above still hold. */
    void sanityCheck() {
        if (pending.size() > capacity) {
            throw new AssertionError("over capacity: " + pending.size());
        }
        pending.keySet().forEach(id -> {
            if (id <= 0 || id >= nextId) {
                throw new AssertionError("id out of range: " + id);
            }
        });
    }
}
