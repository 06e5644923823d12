package org.protoblock.p2p.session;

import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.protoblock.p2p.link.DisconnectReason;

/**
 * The bytes queued for sending on all sessions of a node together (libp2p's resource manager
 * system scope). Each {@link Session} also keeps its own bound
 * ({@link SessionLimits#maxOutboundQueueBytes()}); this one keeps the sum bounded however many
 * peers stop reading (125 × 16 MiB would be 2 GiB).
 *
 * <p>Rules: a reservation that does not fit is refused (the session refuses the send as when its
 * own queue is full). Then the open session holding the most queued bytes, if it holds more than
 * half a fair share (budget ÷ open sessions ÷ 2), is closed as SLOW_READER: its peer stopped
 * reading, and its bytes come back when its pending writes fail. Rationale: peers that read keep
 * their queues short, so the largest queue belongs to the peer that costs us the most; refusing
 * alone would let stalled peers keep the budget and starve every honest one. When the budget is
 * full the largest holds at least about a fair share, so someone is always shed.
 *
 * <p>Threads: any; a lock-free counter. Shedding runs on the thread whose reservation failed and
 * only asks sessions to close (which hop to their event loops).
 */
public final class OutboundBudget {
    private final long maxBytes;
    private final Supplier<Collection<Session>> sessions;
    private final AtomicLong used = new AtomicLong();

    /** {@code sessions}: the node's established sessions, the candidates for shedding. */
    public OutboundBudget(long maxBytes, Supplier<Collection<Session>> sessions) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes < 1");
        }
        this.maxBytes = maxBytes;
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /** No node-wide bound (sessions made outside a host, e.g. in unit tests). */
    public static OutboundBudget unlimited() {
        return new OutboundBudget(Long.MAX_VALUE, java.util.List::of);
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Bytes reserved on all sessions and not yet taken by their transports. */
    public long usedBytes() {
        return used.get();
    }

    /** Reserves {@code size} bytes, or refuses and sheds the largest queue (see the class comment). */
    boolean tryReserve(long size) {
        long cur;
        do {
            cur = used.get();
            if (cur + size > maxBytes) {
                shedLargest();
                return false;
            }
        } while (!used.compareAndSet(cur, cur + size));
        return true;
    }

    void release(long size) {
        used.addAndGet(-size);
    }

    private void shedLargest() {
        Collection<Session> all = sessions.get();
        long open = all.stream().filter(Session::isOpen).count();
        Optional<Session> largest = all.stream().filter(Session::isOpen).max(Comparator.comparingLong(Session::queuedBytes));
        if (largest.isPresent() && largest.get().queuedBytes() > maxBytes / Math.max(1, open) / 2) {
            largest.get().disconnect(DisconnectReason.SLOW_READER, "holds " + largest.get().queuedBytes()
                    + " bytes of the node's outbound budget of " + maxBytes);
        }
    }
}
