package org.protoblock.p2p.session;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The peer's requests that we have not answered yet.
 *
 * <p>Rules: at most {@code capacity} open ids; a new request when full is refused (the session then
 * disconnects the peer as MISBEHAVIOUR), unless the oldest entries are older than {@code ttlNanos}:
 * those are forgotten first. Rationale: the peer gave up on them after its own timeout, so an
 * unanswered request of ours must not count against an honest peer forever. An id may be open only
 * once at a time; a response closes it.
 *
 * <p>Memory O(capacity); amortized O(1) per operation. No I/O: owned by the link's event loop.
 */
final class InboundRequests {
    enum Outcome { OPENED, DUPLICATE, FULL }

    private final int capacity;
    private final long ttlNanos;
    private final LinkedHashMap<Long, Long> openedAt = new LinkedHashMap<>();

    InboundRequests(int capacity, long ttlNanos) {
        this.capacity = capacity;
        this.ttlNanos = ttlNanos;
    }

    Outcome open(long id, long nowNanos) {
        if (openedAt.containsKey(id)) {
            return Outcome.DUPLICATE;
        }
        if (openedAt.size() >= capacity) {
            expire(nowNanos);
        }
        if (openedAt.size() >= capacity) {
            return Outcome.FULL;
        }
        openedAt.put(id, nowNanos);
        return Outcome.OPENED;
    }

    /** True when {@code id} was open (the response may go out). */
    boolean close(long id) {
        return openedAt.remove(id) != null;
    }

    int size() {
        return openedAt.size();
    }

    private void expire(long nowNanos) {
        Iterator<Map.Entry<Long, Long>> it = openedAt.entrySet().iterator();
        while (it.hasNext()) {
            if (nowNanos - it.next().getValue() < ttlNanos) {
                return; // insertion order: the rest are younger
            }
            it.remove();
        }
    }
}
