package org.protoblock.p2p.gossip;

/**
 * When one peer's pending transaction announcements go out: at once on an idle link, in batches
 * under load (Nagle's rule applied to announcements). No I/O, no clock of its own: callers pass
 * the time in nanoseconds.
 *
 * <p>Rules:
 * <ul>
 *   <li>Idle link: when nothing was announced to the peer within the last {@code interval} and its
 *       outbound queue is empty, pending ids go out at once. Rationale: a fixed batch delay at every
 *       hop made low-load latency 5–6× that of eager push (issue 14); an idle link has nothing to
 *       amortize a message over.</li>
 *   <li>Busy link (announced within the interval, or bytes still queued to the peer): ids
 *       accumulate until the interval since the last announcement has passed and, while bytes are
 *       still queued, until the oldest pending id has waited one interval. Rationale: under load one
 *       message per interval carries many ids, so the per-message overhead (envelope, Noise tag, TCP
 *       segment) is paid once per batch, the message rate per link stays at most 1/interval, and no
 *       id waits more than about one interval.</li>
 *   <li>Full batch: {@code batch} pending ids go out at once whatever the link's state.
 *       Rationale: waiting longer would not make the message cheaper per id, only later.</li>
 * </ul>
 *
 * <p>Memory O(1); the pending ids themselves are bounded by the caller
 * ({@link GossipConfig#maxQueuedAnnouncements}). Threads: not thread-safe; one per peer, owned by
 * the gossip executor.
 */
final class AnnouncePacer {
    private final long intervalNanos;
    private final int batch;
    private long lastSentNanos;
    private boolean sentOnce;
    private long firstPendingNanos;
    private boolean pending;

    AnnouncePacer(long intervalNanos, int batch) {
        if (intervalNanos < 0 || batch < 1) {
            throw new IllegalArgumentException("interval < 0 or batch < 1");
        }
        this.intervalNanos = intervalNanos;
        this.batch = batch;
    }

    /** An id was queued at {@code nowNanos} (the first since the last send starts the clock of the batch). */
    void queued(long nowNanos) {
        if (!pending) {
            pending = true;
            firstPendingNanos = nowNanos;
        }
    }

    /** Whether the {@code pendingIds} queued should be announced now. */
    boolean shouldSend(long nowNanos, int pendingIds, boolean outboundQueueEmpty) {
        if (pendingIds <= 0) {
            return false;
        }
        if (pendingIds >= batch) {
            return true;
        }
        boolean quietLongEnough = !sentOnce || nowNanos - lastSentNanos >= intervalNanos;
        boolean waitedLongEnough = pending && nowNanos - firstPendingNanos >= intervalNanos;
        return quietLongEnough && (outboundQueueEmpty || waitedLongEnough);
    }

    /** Whether the link is idle: nothing announced within the interval and nothing queued to the peer. */
    boolean idle(long nowNanos, boolean outboundQueueEmpty) {
        return outboundQueueEmpty && (!sentOnce || nowNanos - lastSentNanos >= intervalNanos);
    }

    /** When to ask {@link #shouldSend} again if it said no: the earliest time the answer can change without new events. */
    long nextCheckNanos(long nowNanos, boolean outboundQueueEmpty) {
        long quietAt = sentOnce ? lastSentNanos + intervalNanos : nowNanos;
        long waitedAt = pending ? firstPendingNanos + intervalNanos : nowNanos;
        return outboundQueueEmpty ? quietAt : Math.max(quietAt, waitedAt);
    }

    /** The pending ids went out at {@code nowNanos}. */
    void sent(long nowNanos) {
        lastSentNanos = nowNanos;
        sentOnce = true;
        pending = false;
    }
}
