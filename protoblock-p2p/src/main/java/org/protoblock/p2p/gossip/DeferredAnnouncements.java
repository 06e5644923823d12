package org.protoblock.p2p.gossip;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.protoblock.chain.types.TxId;

/**
 * One link's announcements held back because we are the link's follower: released after a short
 * delay unless the peer announces the same transaction first.
 *
 * <p>Rules:
 * <ul>
 *   <li>The follower is the end whose {@code TxRelaySalt} is the larger (unsigned); equal salts or a
 *       link without them has no follower. Rationale: both ends know both salts, so they agree
 *       without a message, and the roles are random per link.</li>
 *   <li>When both ends of a link get a transaction within a few milliseconds of each other, both
 *       would announce it (a crossing: two messages and two ACK segments that tell nobody anything).
 *       The leader announces at once; the follower waits {@code delay} and drops the announcement
 *       when the leader's arrives meanwhile ({@link #cancel}). Rationale: at 20 tx/s on loopback
 *       each link carried ≈ 1.5 announcements per transaction, and segments (each with its own ACK),
 *       not bytes, set the traffic; a few milliseconds cover a crossing on a LAN. On a WAN link (tens of ms) the delay
 *       suppresses little and costs at most {@code delay} where the follower is the first to know.
 *       Only on an idle link (the caller decides): under load the pacer batches announcements
 *       anyway.</li>
 *   <li>Bounded by the caller together with the link's pending announcements
 *       ({@link GossipConfig#maxQueuedAnnouncements}); released in arrival order, as the delay is
 *       the same for all.</li>
 * </ul>
 *
 * <p>No I/O, no clock of its own: callers pass the time in nanoseconds. Threads: not thread-safe;
 * one per peer, owned by the gossip executor.
 */
final class DeferredAnnouncements {
    private final long delayNanos;
    /** Held ids and when each may go, in arrival order (so in due order). */
    private final LinkedHashMap<TxId, Long> held = new LinkedHashMap<>();

    DeferredAnnouncements(long delayNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delay < 0");
        }
        this.delayNanos = delayNanos;
    }

    /** Whether the end that sent {@code ourSalt} follows on a link whose other end sent {@code theirSalt}. */
    static boolean follows(long ourSalt, long theirSalt) {
        return Long.compareUnsigned(ourSalt, theirSalt) > 0;
    }

    /** Holds {@code id} until {@code delay} after {@code nowNanos}; false when already held. */
    boolean hold(TxId id, long nowNanos) {
        return held.putIfAbsent(id, nowNanos + delayNanos) == null;
    }

    /** The peer announced {@code id}: ours is not needed. */
    void cancel(TxId id) {
        held.remove(id);
    }

    /** Removes and returns the ids due at {@code nowNanos}, oldest first. */
    List<TxId> takeDue(long nowNanos) {
        List<TxId> due = new ArrayList<>();
        Iterator<Map.Entry<TxId, Long>> it = held.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<TxId, Long> e = it.next();
            if (e.getValue() - nowNanos > 0) {
                break;
            }
            due.add(e.getKey());
            it.remove();
        }
        return due;
    }

    /** When the oldest held id is due; empty when nothing is held. */
    OptionalLong nextDueNanos() {
        return held.isEmpty() ? OptionalLong.empty() : OptionalLong.of(held.values().iterator().next());
    }

    int size() {
        return held.size();
    }
}
